import { defineMiddleware } from 'astro:middleware';
import { FLASH_COOKIE, parseFlash } from '#functions/lib/forms.ts';
import { applySecurityHeaders } from '#functions/lib/security-headers.ts';

/**
 * Runs for on-demand pages and the /api endpoint (prerendered pages get the same headers from
 * the `_headers` file). Reads a one-time flash message and adds the security headers.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.flash = null;
  if (!context.isPrerendered && !context.url.pathname.startsWith('/api/')) {
    const raw = context.cookies.get(FLASH_COOKIE)?.value;
    if (raw) {
      context.locals.flash = parseFlash(raw);
      context.cookies.delete(FLASH_COOKIE, { path: '/' });
    }
  }
  const response = await next();
  if (!context.isPrerendered) {
    applySecurityHeaders(response.headers, context.url.pathname.startsWith('/api/') ? 'api' : 'page');
    if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
  }
  return response;
});
