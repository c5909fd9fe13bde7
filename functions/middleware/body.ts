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
