import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';

/**
 * HTML forms post to the same routes JSON clients use. A form post is answered with a 303
 * redirect back to the page it came from and a flash message; JSON clients get JSON.
 */
export function isFormRequest(req: Request): boolean {
  const type = req.headers.get('content-type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

/**
 * Whether to answer with a redirect and a flash message: an HTML form post from a browser. A
 * client that posts form data but asks for JSON (`Accept: application/json`) gets JSON.
 */
export function answersWithRedirect(req: Request): boolean {
  return isFormRequest(req) && !/^\s*application\/json/i.test(req.headers.get('accept') ?? '');
}

/**
 * Keeps redirect targets on this site. Anything that is not a plain absolute path (`//evil`,
 * `/\evil`, `javascript:`, control characters, a full URL) becomes `/`.
 */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, 'http://hearth.invalid');
    if (url.origin !== 'http://hearth.invalid') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

export type FlashKind = 'success' | 'error' | 'info';
export interface Flash {
  kind: FlashKind;
  message: string;
  /** Per-field messages for a form that failed validation. */
  fields?: Record<string, string>;
  /** What the person typed, to fill the form in again (never passwords or codes). */
  values?: Record<string, string>;
}

export const FLASH_COOKIE = 'hearth_flash';

/**
 * Redirects a form post back with a flash message, which on-demand pages read once from a cookie.
 * Prerendered pages cannot read cookies: for them the caller passes an `anchor`, the redirect
 * carries `#anchor`, and the page reveals its own message for that fragment with CSS `:target`.
 */
export function redirectWithFlash(c: Context, next: string, flash: Flash, anchor?: string): Response {
  const path = safeNextPath(next);
  if (anchor) return c.redirect(`${path.split('#')[0]}#${anchor}`, 303);
  setCookie(c, FLASH_COOKIE, JSON.stringify(flash), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 60,
  });
  return c.redirect(path, 303);
}

/** Reads and validates a flash cookie value; anything malformed is ignored. */
export function parseFlash(raw: string | undefined): Flash | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Flash>;
    if (
      (value.kind === 'success' || value.kind === 'error' || value.kind === 'info') &&
      typeof value.message === 'string'
    ) {
      const fields =
        value.fields && typeof value.fields === 'object'
          ? Object.fromEntries(Object.entries(value.fields).filter(([, v]) => typeof v === 'string'))
          : undefined;
      const values =
        value.values && typeof value.values === 'object'
          ? Object.fromEntries(Object.entries(value.values).filter(([, v]) => typeof v === 'string'))
          : undefined;
      return {
        kind: value.kind,
        message: value.message.slice(0, 500),
        ...(fields ? { fields } : {}),
        ...(values ? { values } : {}),
      };
    }
  } catch {
    /* a tampered or truncated cookie is simply dropped */
  }
  return null;
}

const SECRET_FIELDS = /password|code|token|secret/i;

/** The fields of a posted form worth typing again for the person: short strings, no secrets. */
export async function refillableValues(c: Context): Promise<Record<string, string>> {
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(
      Object.entries(body).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === 'string' &&
          entry[1].length <= 300 &&
          !SECRET_FIELDS.test(entry[0]) &&
          entry[0] !== 'next',
      ),
    );
  } catch {
    return {};
  }
}

/**
 * The answer of a route that both HTML forms and JSON clients use: JSON with `status`, or for a
 * form a 303 to `next` (cleaned; else `fallback`) carrying a success flash.
 */
export function answerJsonOrRedirect(
  c: Context,
  body: object | null,
  status: 200 | 201,
  redirect: { message: string; fallback: string; next?: string | undefined; anchor?: string },
) {
  if (answersWithRedirect(c.req.raw))
    return redirectWithFlash(
      c,
      safeNextPath(redirect.next, redirect.fallback),
      { kind: 'success', message: redirect.message },
      redirect.anchor,
    );
  return c.json(body, status);
}
