import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError, tooManyRequests } from '../errors.ts';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { accountContext } from '../lib/request-context.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { clearSessionCookie, requireUser, setSessionCookie, signedIn } from '../middleware/session.ts';
import { passwordProblem } from '../auth/password.ts';
import { invalidateSession, invalidateUserSessions } from '../auth/session.ts';
import { errorResponse, writeErrorResponses, jsonOrForm } from '../schemas/common.ts';
import {
  ChangePasswordInputSchema,
  PasswordResetConfirmInputSchema,
  PasswordResetInputSchema,
  SignInInputSchema,
  SignOutInputSchema,
  SignUpInputSchema,
  UserEnvelopeSchema,
  VerifyEmailInputSchema,
} from '../schemas/auth.ts';
import { hit } from '../services/rate-limits.ts';
import * as accounts from '../services/accounts.ts';
import { auditInsert } from '../services/audit.ts';
import type { AppEnv } from '../types.ts';

/** Limits from the accounts issue; counted per client address in the database. */
export const AUTH_RATES = {
  signUp: { name: 'sign-up', limit: 3, windowSeconds: 3600 },
  signInMinute: { name: 'sign-in-minute', limit: 6, windowSeconds: 60 },
  signInHour: { name: 'sign-in-hour', limit: 30, windowSeconds: 3600 },
  verify: { name: 'verify-email', limit: 10, windowSeconds: 600 },
  resend: { name: 'verify-email-resend', limit: 3, windowSeconds: 3600 },
  resetPerEmail: { name: 'password-reset-email', limit: 3, windowSeconds: 3600 },
  resetPerIp: { name: 'password-reset-ip', limit: 10, windowSeconds: 3600 },
  resetConfirm: { name: 'password-reset-confirm', limit: 10, windowSeconds: 600 },
  changePassword: { name: 'change-password', limit: 6, windowSeconds: 600 },
};
/** Passwords are refused before any hashing when the body reaches 4 KB. */
const AUTH_BODY_LIMIT = 4 * 1024 - 1;

const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const signUp = createRoute({
  method: 'post',
  path: '/auth/sign-up',
  tags: ['Accounts'],
  summary: 'Create an account',
  description:
    'Creates an account and signs it in; a 6-digit code is emailed to confirm the address. The answer is the same whether or not the address already has an account. Until the address is verified the member can read but not post.',
  middleware: [bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.signUp)] as const,
  request: { body: jsonOrForm(SignUpInputSchema) },
  responses: {
    201: json(UserEnvelopeSchema, 'Created and signed in; the session cookie is set.'),
    303: { description: 'HTML forms: on to /verify-email.' },
    ...writeErrorResponses,
  },
});

const verifyEmail = createRoute({
  method: 'post',
  path: '/auth/verify-email',
  tags: ['Accounts'],
  summary: 'Confirm the email address with the emailed code',
  middleware: [signedIn, bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.verify)] as const,
  request: { body: jsonOrForm(VerifyEmailInputSchema) },
  responses: {
    200: json(UserEnvelopeSchema, 'Verified; the session is renewed.'),
    303: { description: 'HTML forms: on to the account page.' },
    401: errorResponse('Not signed in.'),
    409: errorResponse('The address was verified on another account meanwhile.'),
    ...writeErrorResponses,
  },
});

const resend = createRoute({
  method: 'post',
  path: '/auth/verify-email/resend',
  tags: ['Accounts'],
  summary: 'Send a new verification code',
  middleware: [signedIn, bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.resend)] as const,
  responses: {
    202: { description: 'A new code is on its way.' },
    303: { description: 'HTML forms: back to the page.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
  },
});

const signIn = createRoute({
  method: 'post',
  path: '/auth/sign-in',
  tags: ['Accounts'],
  summary: 'Sign in with email and password',
  description:
    'Always starts a new session (any session the client brought is ended). Unknown emails and wrong passwords get the same answer.',
  middleware: [
    bodyLimit(AUTH_BODY_LIMIT),
    rateLimit(AUTH_RATES.signInMinute),
    rateLimit(AUTH_RATES.signInHour),
  ] as const,
  request: { body: jsonOrForm(SignInInputSchema) },
  responses: {
    200: json(
      z.union([UserEnvelopeSchema, z.object({ twoFactorRequired: z.literal(true) })]),
      'Signed in, or (with two-factor on) `{"twoFactorRequired": true}`: then POST /api/auth/two-factor.',
    ),
    303: { description: 'HTML forms: on to `next` or the account page.' },
    401: errorResponse('The email and password do not match an account.'),
    ...writeErrorResponses,
  },
});

const signOut = createRoute({
  method: 'post',
  path: '/auth/sign-out',
  tags: ['Accounts'],
  summary: 'Sign out here, or everywhere with `all: true`',
  middleware: [bodyLimit(AUTH_BODY_LIMIT)] as const,
  request: { body: jsonOrForm(SignOutInputSchema) },
  responses: {
    204: { description: 'Signed out; the cookie is cleared.' },
    303: { description: 'HTML forms: to the home page.' },
    ...writeErrorResponses,
  },
});

const reset = createRoute({
  method: 'post',
  path: '/auth/password-reset',
  tags: ['Accounts'],
  summary: 'Email a password reset code',
  description: 'Always 202, whether or not the address has an account. At most 3 per address per hour.',
  middleware: [bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.resetPerIp)] as const,
  request: { body: jsonOrForm(PasswordResetInputSchema) },
  responses: {
    202: { description: 'If the address has an account, a code is on its way.' },
    303: { description: 'HTML forms: on to the code form.' },
    ...writeErrorResponses,
  },
});

const resetConfirm = createRoute({
  method: 'post',
  path: '/auth/password-reset/confirm',
  tags: ['Accounts'],
  summary: 'Set a new password with the emailed code',
  description: 'Every session of the account ends. Sign in with the new password afterwards.',
  middleware: [bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.resetConfirm)] as const,
  request: { body: jsonOrForm(PasswordResetConfirmInputSchema) },
  responses: {
    200: { description: 'The password is changed.' },
    303: { description: 'HTML forms: on to sign-in.' },
    ...writeErrorResponses,
  },
});

const changePassword = createRoute({
  method: 'post',
  path: '/me/password',
  tags: ['Accounts'],
  summary: 'Change the password',
  description: 'Needs the current password. Ends every other session and renews this one.',
  middleware: [signedIn, bodyLimit(AUTH_BODY_LIMIT), rateLimit(AUTH_RATES.changePassword)] as const,
  request: { body: jsonOrForm(ChangePasswordInputSchema) },
  responses: {
    204: { description: 'Changed; the session cookie is renewed.' },
    303: { description: 'HTML forms: back to the account page.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
    403: errorResponse('The current password is not right, or the request came from another site.'),
  },
});

export const authRoutes = new OpenAPIHono<AppEnv>()
  .openapi(signUp, async (c) => {
    const form = isFormRequest(c.req.raw);
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const problem = passwordProblem(input.password);
    if (problem) {
      throw new ApiError(400, 'validation_failed', 'Please check the field: password.', {
        details: { fields: { password: problem } },
      });
    }
    const previous = c.var.session;
    const result = await accounts.signUp(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      input,
      accountContext(c),
    );
    if (previous) await invalidateSession(c.var.db, previous.id);
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/verify-email', {
        kind: 'success',
        message: `Welcome to Hearth. We have sent a 6-digit code to ${result.user!.email}.`,
      });
    return c.json({ user: result.user! }, 201);
  })
  .openapi(verifyEmail, async (c) => {
    const { user, session } = requireUser(c);
    const form = isFormRequest(c.req.raw);
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const result = await accounts.verifyEmail(c.var.db, user.id, session.id, input.code, accountContext(c));
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, safeNextPath(input.next, '/account'), {
        kind: 'success',
        message: 'Your email address is confirmed. You can now take part fully.',
      });
    return c.json({ user: result.user! }, 200);
  })
  .openapi(resend, async (c) => {
    const { user } = requireUser(c);
    await accounts.resendVerification(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      user.id,
      accountContext(c),
    );
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/verify-email', {
        kind: 'success',
        message: 'A new code is on its way. It works for 15 minutes.',
      });
    return c.body(null, 202);
  })
  .openapi(signIn, async (c) => {
    const form = isFormRequest(c.req.raw);
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const previous = c.var.session ?? c.var.pendingSession;
    const result = await accounts.signIn(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      input,
      accountContext(c),
    );
    if (previous) await invalidateSession(c.var.db, previous.id);
    setSessionCookie(c, result.token);
    if (result.twoFactorRequired) {
      if (answersWithRedirect(c.req.raw)) {
        const next = safeNextPath(input.next, '/account');
        return redirectWithFlash(c, `/two-factor?next=${encodeURIComponent(next)}`, {
          kind: 'info',
          message: 'Enter the code from your authenticator app to finish signing in.',
        });
      }
      return c.json({ twoFactorRequired: true as const }, 200);
    }
    const user = result.user!;
    if (answersWithRedirect(c.req.raw)) {
      const destination = user.emailVerified ? safeNextPath(input.next, '/account') : '/verify-email';
      return redirectWithFlash(c, destination, { kind: 'success', message: `Welcome back, ${user.displayName}.` });
    }
    return c.json({ user }, 200);
  })
  .openapi(signOut, async (c) => {
    const form = isFormRequest(c.req.raw);
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const current = c.var.session;
    if (current) {
      if (input.all) await invalidateUserSessions(c.var.db, current.userId);
      else await invalidateSession(c.var.db, current.id);
      await auditInsert(
        c.var.db,
        {
          type: 'sign_out',
          actorUserId: current.userId,
          subjectUserId: current.userId,
          detail: { all: Boolean(input.all) },
        },
        c.var.clock.now(),
      );
    }
    clearSessionCookie(c);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/', {
        kind: 'info',
        message: input.all ? 'You are signed out on every device.' : 'You are signed out.',
      });
    return c.body(null, 204);
  })
  .openapi(reset, async (c) => {
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const email = accounts.normalizeEmail(input.email);
    const perEmail = await hit(c.var.db, AUTH_RATES.resetPerEmail, email, c.var.clock.now());
    if (!perEmail.allowed) throw tooManyRequests(perEmail.retryAfterSeconds);
    await accounts.requestPasswordReset(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      email,
      accountContext(c),
    );
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, `/reset-password?email=${encodeURIComponent(email)}`, {
        kind: 'success',
        message: 'If that address has an account, a 6-digit code is on its way. It works for 15 minutes.',
      });
    return c.body(null, 202);
  })
  .openapi(resetConfirm, async (c) => {
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    await accounts.confirmPasswordReset(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      input,
      accountContext(c),
    );
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/sign-in', {
        kind: 'success',
        message: 'Your password is changed. Sign in with the new one.',
      });
    return c.json({ message: 'Your password is changed. Sign in with the new one.' }, 200);
  })
  .openapi(changePassword, async (c) => {
    const { user } = requireUser(c);
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await accounts.changePassword(
      c.var.db,
      { passwords: c.var.passwords, mail: c.var.mail },
      user.id,
      input,
      accountContext(c),
    );
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account', {
        kind: 'success',
        message: 'Your password is changed. Other devices are signed out.',
      });
    return c.body(null, 204);
  });
