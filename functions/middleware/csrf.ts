import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for every state-changing request. Browsers send
 * Sec-Fetch-Site; it must say same-origin. Older browsers send only Origin, which must match
 * this site. A request with neither is refused too: no legitimate caller of this API omits both.
 */
export const csrf = createMiddleware(async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const ownOrigin = new URL(c.req.url).origin;
  const allowed = site ? site === 'same-origin' : origin !== undefined && origin === ownOrigin;
  if (!allowed) {
    throw new ApiError(403, 'cross_site_request', 'This request came from another site and was refused.');
  }
  return next();
});
