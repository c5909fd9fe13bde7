// @ts-check
import cloudflare from '@astrojs/cloudflare';
import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';
import { readFile, writeFile } from 'node:fs/promises';
import { staticHeadersFile } from './functions/lib/security-headers.ts';

/** Writes the static-assets `_headers` file from the same header list the API and pages use. */
const securityHeadersFile = {
  name: 'hearth:security-headers',
  hooks: {
    /** @param {{ dir: URL }} options */
    'astro:build:done': async ({ dir }) => {
      const file = new URL('_headers', dir);
      const existing = await readFile(file, 'utf8').catch(() => '');
      await writeFile(file, staticHeadersFile(existing));
    },
  },
};

export default defineConfig({
  site: process.env.HEARTH_SITE_URL ?? 'http://localhost:4321',
  output: 'static',
  adapter: cloudflare({
    // No Cloudflare Images binding: Hearth serves its few images as they are.
    imageService: 'passthrough',
  }),
  // Hearth keeps its own sessions in libSQL (see the accounts ADR); Astro sessions are off.
  session: false,
  i18n: {
    locales: ['en', 'es'],
    defaultLocale: 'en',
    // English lives at /, Spanish at /es/; pages without a translation fall back to English there.
    routing: { prefixDefaultLocale: false },
  },
  integrations: [preact(), securityHeadersFile],
  security: {
    checkOrigin: true,
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
    },
  },
  markdown: { syntaxHighlight: 'prism' },
  build: { format: 'directory' },
  server: { port: Number(process.env.PORT ?? 4321), host: '127.0.0.1' },
  vite: {
    define: {
      // Build-time settings for content pages (see README, Configuration).
      'import.meta.env.HEARTH_EDIT_URL': JSON.stringify(
        process.env.HEARTH_EDIT_URL ?? 'https://github.com/hearth-community/hearth/edit/main/',
      ),
      'import.meta.env.HEARTH_REGION': JSON.stringify(process.env.HEARTH_REGION ?? 'international'),
    },
    server: { watch: { ignored: ['**/.data/**', '**/.wrangler/**'] } },
  },
});
