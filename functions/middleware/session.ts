import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { requirePermission, type Permission } from '../auth/permissions.ts';
import { sessionCookieName, validateSessionToken, MEMBER_SESSION } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../types.ts';

const isSecure = (c: Context) => new URL(c.req.url).protocol === 'https:';

/** Reads the session cookie, if any, and puts the session and its user on `c.var` (or null). */
export const session = createMiddleware<AppEnv>(async (c, next) => {
  const name = sessionCookieName(isSecure(c));
  const token = getCookie(c, name);
  c.set('session', null);
  c.set('user', null);
  c.set('pendingSession', null);
  if (token) {
    const result = await validateSessionToken(c.var.db, token, c.var.clock.now(), {
      staffNeedTwoFactor: c.var.staffNeedTwoFactor,
    });
    if (result?.session.twoFactorVerified) {
      c.set('session', result.session);
      c.set('user', result.user);
    } else if (result) {
      // Password given, second factor still owed: good for POST /api/auth/two-factor only.
      c.set('pendingSession', result.session);
    } else {
      deleteCookie(c, name, { path: '/', secure: isSecure(c) });
    }
  }
  await next();
});

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, and `__Host-` with Secure on https. */
export function setSessionCookie(c: Context, token: string): void {
  const secure = isSecure(c);
  setCookie(c, sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    maxAge: Math.floor(MEMBER_SESSION.absoluteMs / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName(isSecure(c)), { path: '/', secure: isSecure(c) });
}

/** The signed-in member, or a 401 in the error shape. */
export function requireUser(c: Context<AppEnv>) {
  const user = c.var.user;
  const current = c.var.session;
  if (!user || !current) throw new ApiError(401, 'unauthenticated', 'Please sign in first.');
  return { user, session: current };
}

/** Route middleware: 401 before any validation when nobody is signed in. */
export const signedIn = createMiddleware<AppEnv>(async (c, next) => {
  requireUser(c);
  await next();
});

/** Route middleware: 401 or 403 before any validation, from the shared policy. */
export function allowed(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    requirePermission(c.var.user, permission);
    await next();
  });
}
