import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { accountContext } from '../lib/request-context.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { requireUser, setSessionCookie, signedIn } from '../middleware/session.ts';
import { errorResponse, nextField, writeErrorResponses, jsonOrForm } from '../schemas/common.ts';
import * as twoFactor from '../services/two-factor.ts';
import type { AppEnv } from '../types.ts';

const LIMIT = 4 * 1024 - 1;
const IP_RATE = { name: 'two-factor-ip', limit: 20, windowSeconds: 600 };
const CodeInput = z.strictObject({
  code: z.string().trim().min(6, 'Enter the 6-digit code, or a recovery code.').max(40),
  next: nextField,
});
const PasswordInput = z.strictObject({
  password: z.string().min(1, 'Enter your password to confirm.').max(1024),
  next: nextField,
});

const secondStep = createRoute({
  method: 'post',
  path: '/auth/two-factor',
  tags: ['Accounts'],
  summary: 'Finish signing in with an authenticator or recovery code',
  description: 'Needs the cookie from the password step. A code works once; after 5 wrong codes further tries wait.',
  middleware: [bodyLimit(LIMIT), rateLimit(IP_RATE)] as const,
  request: { body: jsonOrForm(CodeInput) },
  responses: {
    204: { description: 'Signed in; the session cookie is renewed.' },
    303: { description: 'HTML forms: on to `next`.' },
    401: errorResponse('No password step in progress.'),
    ...writeErrorResponses,
  },
});

const setup = createRoute({
  method: 'post',
  path: '/me/two-factor/setup',
  tags: ['Accounts'],
  summary: 'Start setting up two-factor: a new secret to scan',
  middleware: [signedIn, bodyLimit(LIMIT)] as const,
  responses: {
    200: {
      description: 'The QR code (SVG) and the key to type.',
      content: {
        'application/json': { schema: z.object({ manualKey: z.string(), uri: z.string(), qrSvg: z.string() }) },
      },
    },
    303: { description: 'HTML forms: to the set-up page.' },
    401: errorResponse('Not signed in.'),
    409: errorResponse('Two-factor is already on.'),
    ...writeErrorResponses,
  },
});

const enable = createRoute({
  method: 'post',
  path: '/me/two-factor/enable',
  tags: ['Accounts'],
  summary: 'Turn two-factor on with a first code',
  description: 'Answers ten single-use recovery codes, shown only this once. Other sessions end.',
  middleware: [signedIn, bodyLimit(LIMIT)] as const,
  request: { body: jsonOrForm(CodeInput) },
  responses: {
    200: {
      description: 'On.',
      content: { 'application/json': { schema: z.object({ recoveryCodes: z.array(z.string()) }) } },
    },
    303: { description: 'HTML forms: to the page showing the recovery codes.' },
    401: errorResponse('Not signed in.'),
    409: errorResponse('No set-up in progress, or already on.'),
    ...writeErrorResponses,
  },
});

const disable = createRoute({
  method: 'post',
  path: '/me/two-factor/disable',
  tags: ['Accounts'],
  summary: 'Turn two-factor off (needs the password again)',
  middleware: [
    signedIn,
    bodyLimit(LIMIT),
    rateLimit({ name: 'two-factor-disable', limit: 5, windowSeconds: 600 }),
  ] as const,
  request: { body: jsonOrForm(PasswordInput) },
  responses: {
    204: { description: 'Off.' },
    303: { description: 'HTML forms: back to the account page.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
    403: errorResponse('The password is not right, or the request came from another site.'),
  },
});

const input = <T>(c: { req: { raw: Request; valid: (target: 'form' | 'json') => T } }) =>
  isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');

export const twoFactorRoutes = new OpenAPIHono<AppEnv>()
  .openapi(secondStep, async (c) => {
    const pending = c.var.pendingSession;
    if (!pending) throw new ApiError(401, 'unauthenticated', 'Sign in with your password first.');
    const body = input(c) as z.infer<typeof CodeInput>;
    const result = await twoFactor.completeSignIn(c.var.db, c.var.secrets, pending, body.code, accountContext(c));
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw)) {
      const message =
        result.method === 'recovery'
          ? 'Signed in with a recovery code. That code will not work again.'
          : 'Welcome back.';
      return redirectWithFlash(c, safeNextPath(body.next, '/account'), { kind: 'success', message });
    }
    return c.body(null, 204);
  })
  .openapi(setup, async (c) => {
    const { user } = requireUser(c);
    await twoFactor.startEnrolment(c.var.db, c.var.secrets, user.id);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account/two-factor', {
        kind: 'info',
        message: 'Scan the code with your authenticator app, then enter the 6 digits it shows.',
      });
    return c.json((await twoFactor.pendingEnrolment(c.var.db, c.var.secrets, user.id))!, 200);
  })
  .openapi(enable, async (c) => {
    const { user } = requireUser(c);
    const body = input(c) as z.infer<typeof CodeInput>;
    const result = await twoFactor.enable(c.var.db, c.var.secrets, user.id, body.code, accountContext(c));
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw)) {
      return redirectWithFlash(c, '/account/two-factor', {
        kind: 'success',
        message: 'Two-factor is on. Save your recovery codes now: they are shown only this once.',
        values: { recoveryCodes: result.recoveryCodes.join(' ') },
      });
    }
    return c.json({ recoveryCodes: result.recoveryCodes }, 200);
  })
  .openapi(disable, async (c) => {
    const { user } = requireUser(c);
    const body = input(c) as z.infer<typeof PasswordInput>;
    await twoFactor.disable(c.var.db, c.var.passwords, user.id, body.password, accountContext(c));
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account', { kind: 'info', message: 'Two-factor is off.' });
    return c.body(null, 204);
  });
