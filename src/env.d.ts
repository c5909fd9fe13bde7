/// <reference types="astro/client" />
/// <reference types="@astrojs/cloudflare/types.d.ts" />

declare namespace App {
  interface Locals {
    /** A one-time message left by a form post, read from the flash cookie. */
    flash: import('#functions/lib/forms.ts').Flash | null;
    /** The signed-in member on on-demand pages; always null on prerendered ones. */
    user: import('#functions/auth/session.ts').SessionUser | null;
    session: import('#functions/auth/session.ts').Session | null;
    /** The password step of a two-factor sign-in is done; the code is still owed. */
    pendingTwoFactor: boolean;
    /** Unread notifications of the signed-in member (on-demand pages only). */
    unreadNotifications: number;
    /** Surveys waiting for the signed-in member (on-demand pages only), for the banner. */
    pendingSurveys: number;
  }
}

/** The Worker's bindings, as wrangler.toml and `wrangler secret put` define them. */
interface HearthBindings {
  DATABASE_URL?: string;
  DATABASE_AUTH_TOKEN?: string;
  HEARTH_ENV?: 'production' | 'development' | 'test';
  EMAIL_TRANSPORT?: 'outbox' | 'http';
  MAIL_PROVIDER?: 'resend' | 'postmark';
  MAIL_API_KEY?: string;
  MAIL_FROM?: string;
  TOTP_ENCRYPTION_KEY?: string;
  STAFF_TWO_FACTOR?: 'required' | 'optional';
}

declare module 'cloudflare:workers' {
  export const env: HearthBindings;
}
