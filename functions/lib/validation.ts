import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { answersWithRedirect, redirectWithFlash, refillableValues, safeNextPath } from './forms.ts';

type Issue = z.core.$ZodIssue;

/** Turns zod issues into `{ field: message }`, naming each field by its dotted path. */
export function fieldErrors(issues: readonly Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= `"${key}" is not a field this request accepts.`;
      continue;
    }
    const name = issue.path.length ? issue.path.join('.') : '_';
    fields[name] ??= issue.message;
  }
  return fields;
}

export function validationError(fields: Record<string, string>): ApiError {
  const names = Object.keys(fields).filter((f) => f !== '_');
  const message = names.length
    ? `Please check ${names.length === 1 ? 'the field' : 'these fields'}: ${names.join(', ')}.`
    : 'The request could not be understood.';
  return new ApiError(400, 'validation_failed', message, { details: { fields } });
}

/**
 * The zod-openapi hook for every route: a failed validation becomes the one error shape with
 * per-field details, or, for an HTML form, a redirect back with the field messages.
 */
export async function validationHook(
  result: { success: true } | { success: false; error: { issues: readonly Issue[] } },
  c: Context,
): Promise<Response | undefined> {
  if (result.success) return undefined;
  const fields = fieldErrors(result.error.issues);
  const error = validationError(fields);
  if (answersWithRedirect(c.req.raw)) return formFailure(c, error);
  throw error;
}

/**
 * Sends a failed form post back to its page with the message, the message for each field and
 * what the person typed (never passwords or codes).
 */
export async function formFailure(c: Context, error: ApiError): Promise<Response> {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const details = error.details as { fields?: Record<string, string> } | undefined;
  // A form that needs a member (e.g. "Mark this lesson as done" on a static page) leads to
  // sign-in, which then returns to the page.
  if (error.code === 'unauthenticated')
    return redirectWithFlash(c, `/sign-in?next=${encodeURIComponent(refererPath(c))}`, {
      kind: 'info',
      message: error.message,
    });
  return redirectWithFlash(c, refererPath(c), {
    kind: 'error',
    message: error.message,
    ...(details?.fields ? { fields: details.fields } : {}),
    ...(await refillableValues(c)),
  });
}

/** The same-site path of the page that sent the request, or `/`. */
export function refererPath(c: Context): string {
  const referer = c.req.header('referer');
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    if (url.origin !== new URL(c.req.url).origin) return '/';
    return safeNextPath(url.pathname + url.search);
  } catch {
    return '/';
  }
}
