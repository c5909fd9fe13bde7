/// <reference types="astro/client" />
/// <reference types="@astrojs/cloudflare/types.d.ts" />

declare namespace App {
  interface Locals {
    /** A one-time message left by a form post, read from the flash cookie. */
    flash: import('#functions/lib/forms.ts').Flash | null;
  }
}
