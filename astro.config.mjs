// @ts-check
import cloudflare from '@astrojs/cloudflare';
import preact from '@astrojs/preact';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';
import { readFile, writeFile } from 'node:fs/promises';
import { staticHeadersFile } from './functions/lib/security-headers.ts';
import { buildSearchIndex } from './scripts/lib/search-index.ts';
import { loadContent } from './scripts/lib/content.ts';

const site = process.env.HEARTH_SITE_URL ?? 'http://localhost:4321';

/** On-demand content pages, which the sitemap cannot discover from the build output. */
function onDemandPages() {
  const tracks = loadContent().tracks.filter((t) => t.locale === 'en' && !t.data.draft);
  const paths = ['/', '/training/', '/resources/', ...tracks.map((t) => `/training/${t.slug}/`)];
  return paths.flatMap((p) => [new URL(p, site).href, new URL(`/es${p}`, site).href]);
}

/** Pages that are not content: never in the sitemap. */
const NOT_CONTENT = /\/(404|500|dev|account|admin|coordinator)(\/|$)/;

/** Indexes the published pages for search (Pagefind) once they are built. */
const searchIndex = {
  name: 'hearth:search-index',
  hooks: {
    /** @param {{ dir: URL, logger: import('astro').AstroIntegrationLogger }} options */
    'astro:build:done': async ({ dir, logger }) => {
      const { pages, records } = await buildSearchIndex(dir);
      logger.info(`Search index: ${pages} pages and ${records} track records.`);
    },
  },
};

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
  site,
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
  integrations: [
    preact(),
    sitemap({
      customPages: onDemandPages(),
      filter: (page) => !NOT_CONTENT.test(new URL(page).pathname),
      i18n: { defaultLocale: 'en', locales: { en: 'en', es: 'es' } },
    }),
    securityHeadersFile,
    searchIndex,
  ],
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
      // Pagefind's search runs as WebAssembly on the search page.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
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
