import { defineMiddleware } from 'astro:middleware';
import { sessionCookieName, validateSessionToken } from '#functions/auth/session.ts';
import { FLASH_COOKIE, parseFlash } from '#functions/lib/forms.ts';
import { applySecurityHeaders } from '#functions/lib/security-headers.ts';
import { surveyCatalog, workerRuntime } from '#src/lib/server/runtime.ts';
import { unreadCount } from '#functions/services/notifications.ts';
import { pendingSurveys } from '#functions/services/surveys.ts';

/**
 * Runs for on-demand pages and the /api endpoint (prerendered pages get the same headers from
 * the `_headers` file). On pages it reads the session (the API does its own) and a one-time flash
 * message, and it adds the security headers to every answer.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.flash = null;
  context.locals.user = null;
  context.locals.session = null;
  context.locals.pendingTwoFactor = false;
  context.locals.unreadNotifications = 0;
  context.locals.pendingSurveys = 0;
  const isPage = !context.isPrerendered && !context.url.pathname.startsWith('/api/');
  if (isPage) {
    const raw = context.cookies.get(FLASH_COOKIE)?.value;
    if (raw) {
      context.locals.flash = parseFlash(raw);
      context.cookies.delete(FLASH_COOKIE, { path: '/' });
    }
    const cookieName = sessionCookieName(context.url.protocol === 'https:');
    const token = context.cookies.get(cookieName)?.value;
    if (token) {
      try {
        const runtime = workerRuntime();
        const result = await validateSessionToken(runtime.db, token, new Date(), {
          staffNeedTwoFactor: runtime.config.STAFF_TWO_FACTOR === 'required',
        });
        if (result?.session.twoFactorVerified) {
          context.locals.user = result.user;
          context.locals.session = result.session;
          // The header's figures, side by side: one round trip each (the surveys' is one batch).
          const [unread, surveys] = await Promise.all([
            unreadCount(runtime.db, result.user.id),
            // A failure here costs the banner, never the page.
            surveyCatalog()
              .then((catalog) => pendingSurveys(runtime.db, catalog, result.user.id, new Date()))
              .catch(() => []),
          ]);
          context.locals.unreadNotifications = unread;
          context.locals.pendingSurveys = surveys.length;
        } else if (result) {
          context.locals.pendingTwoFactor = true;
        }
      } catch {
        // Database away: the page renders signed out; pages that need a member say so.
      }
    }
  }
  const response = await next();
  if (!context.isPrerendered) {
    applySecurityHeaders(response.headers, context.url.pathname.startsWith('/api/') ? 'api' : 'page');
    if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
  }
  return response;
});
