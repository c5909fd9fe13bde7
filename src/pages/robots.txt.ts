import type { APIRoute } from 'astro';

/** Content is public; account and staff pages are not for search engines. */
export const GET: APIRoute = ({ site, url }) =>
  new Response(
    [
      'User-agent: *',
      'Disallow: /account',
      'Disallow: /admin',
      'Disallow: /coordinator',
      'Disallow: /api/',
      `Sitemap: ${new URL('/sitemap-index.xml', site ?? url.origin).href}`,
      '',
    ].join('\n'),
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  );
