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
  /** Fields sent more than once (a group of checkboxes), with every value in order. */
  lists?: Record<string, string[]>;
  /** Fields whose text was too long to bring back in a cookie: the page asks for them again. */
  dropped?: string[];
}

export const FLASH_COOKIE = 'hearth_flash';

/**
 * Browsers drop a cookie over 4096 bytes (name and value) without a word, which would lose the
 * whole message. The encoded flash is kept under this many bytes: the longest typed values go
 * first (named in `dropped`), then the lists, then the field messages.
 */
export const FLASH_BUDGET = 3800;

const encodedSize = (flash: Flash) => encodeURIComponent(JSON.stringify(flash)).length;

/** The flash, made to fit a cookie (see FLASH_BUDGET). */
export function fitFlash(flash: Flash): Flash {
  if (encodedSize(flash) <= FLASH_BUDGET) return flash;
  const values = { ...flash.values };
  const dropped = [...(flash.dropped ?? [])];
  const fitted: Flash = { ...flash, values, dropped };
  const byLength = Object.keys(values).sort(
    (a, b) => encodeURIComponent(values[b]!).length - encodeURIComponent(values[a]!).length,
  );
  for (const name of byLength) {
    if (encodedSize(fitted) <= FLASH_BUDGET) return fitted;
    delete values[name];
    dropped.push(name);
  }
  if (encodedSize(fitted) <= FLASH_BUDGET) return fitted;
  const { kind, message, fields } = flash;
  const lean: Flash = { kind, message: message.slice(0, 500), ...(fields ? { fields } : {}) };
  return encodedSize(lean) <= FLASH_BUDGET ? lean : { kind, message: lean.message };
}

/**
 * Redirects a form post back with a flash message, which on-demand pages read once from a cookie.
 * Prerendered pages cannot read cookies: for them the caller passes an `anchor`, the redirect
 * carries `#anchor`, and the page reveals its own message for that fragment with CSS `:target`.
 */
export function redirectWithFlash(c: Context, next: string, flash: Flash, anchor?: string): Response {
  const path = safeNextPath(next);
  if (anchor) return c.redirect(`${path.split('#')[0]}#${anchor}`, 303);
  setCookie(c, FLASH_COOKIE, JSON.stringify(fitFlash(flash)), {
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
      const lists =
        value.lists && typeof value.lists === 'object'
          ? Object.fromEntries(
              Object.entries(value.lists).filter(
                (entry): entry is [string, string[]] =>
                  Array.isArray(entry[1]) && entry[1].every((v) => typeof v === 'string'),
              ),
            )
          : undefined;
      const dropped = Array.isArray(value.dropped)
        ? value.dropped.filter((v): v is string => typeof v === 'string')
        : undefined;
      return {
        kind: value.kind,
        message: value.message.slice(0, 500),
        ...(fields ? { fields } : {}),
        ...(values ? { values } : {}),
        ...(lists ? { lists } : {}),
        ...(dropped?.length ? { dropped } : {}),
      };
    }
  } catch {
    /* a tampered or truncated cookie is simply dropped */
  }
  return null;
}

const SECRET_FIELDS = /password|code|token|secret/i;

/**
 * The fields of a posted form worth typing again for the person: text, no secrets. A field sent
 * more than once (a group of checkboxes) comes back whole in `lists`. Size is left to fitFlash.
 */
export async function refillableValues(c: Context): Promise<Pick<Flash, 'values' | 'lists'>> {
  try {
    const body = await c.req.parseBody({ all: true });
    const values: Record<string, string> = {};
    const lists: Record<string, string[]> = {};
    for (const [name, raw] of Object.entries(body)) {
      if (SECRET_FIELDS.test(name) || name === 'next') continue;
      const texts = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
      if (texts.length === 0 || texts.some((t) => t.length > 4000)) continue;
      if (Array.isArray(raw)) lists[name] = texts.slice(0, 50);
      else values[name] = texts[0]!;
    }
    return { values, ...(Object.keys(lists).length ? { lists } : {}) };
  } catch {
    return {};
  }
}

/** What a failed post brought back for a group of checkboxes or radios: every value sent. */
export function flashChoices(flash: Flash | null, name: string): string[] | undefined {
  const list = flash?.lists?.[name];
  if (list) return list;
  const one = flash?.values?.[name];
  return one === undefined ? undefined : [one];
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
