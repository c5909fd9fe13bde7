import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.ts';

/** Default request body limit for API routes; a route may set a smaller one. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Refuses bodies over `maxSize` bytes with 413 before any handler reads them. Hono's limiter
 * counts the stream as it arrives, so a chunked body without Content-Length is caught too.
 */
export function bodyLimit(maxSize = DEFAULT_BODY_LIMIT) {
  return honoBodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes.`, {
        details: { maxBytes: maxSize },
      });
    },
  });
}

/**
 * Routes that take discussion posts set their own, larger limit: a post may be 32,000 characters,
 * and an HTML form sends each non-ASCII character as up to 12 bytes (`%F0%9F%92%9B` is one emoji).
 * The app-wide default limit leaves these paths to the route's own.
 */
export const POST_BODY_LIMIT = 400 * 1024;
const OWN_LIMIT = [
  /^\/api\/threads$/,
  /^\/api\/threads\/[^/]+\/posts$/,
  /^\/api\/posts\/[^/]+$/,
  /^\/api\/markdown\/preview$/,
];

/** The app-wide body limit, except on the paths that set their own (see OWN_LIMIT). */
export function defaultBodyLimit() {
  const limit = bodyLimit();
  return createMiddleware(async (c, next) =>
    OWN_LIMIT.some((path) => path.test(c.req.path)) ? next() : limit(c, next),
  );
}

const ACCEPTED_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** A body in any other format than JSON or an HTML form is refused with 415. */
export const requireKnownContentType = createMiddleware(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
  const hasBody = c.req.header('content-length') !== '0' && (c.req.raw.body !== null || c.req.header('content-length'));
  if (!hasBody) return next();
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json or as an HTML form.', {
      details: { accepted: ACCEPTED_TYPES },
    });
  }
  return next();
});
