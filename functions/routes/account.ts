import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answersWithRedirect, isFormRequest, redirectWithFlash } from '../lib/forms.ts';
import { accountContext } from '../lib/request-context.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { requireUser, setSessionCookie, signedIn } from '../middleware/session.ts';
import { errorResponse, nextField, writeErrorResponses, jsonOrForm } from '../schemas/common.ts';
import { UserEnvelopeSchema } from '../schemas/auth.ts';
import * as accounts from '../services/accounts.ts';
import type { AppEnv } from '../types.ts';

const LIMIT = 4 * 1024 - 1;

const EmailChangeInput = z
  .strictObject({
    email: z.string().trim().max(254).pipe(z.email('Enter an email address, like name@example.org.')),
    password: z
      .string()
      .max(1024)
      .optional()
      .openapi({ description: 'Needed unless the member signed in within the last 10 minutes.' }),
    next: nextField,
  })
  .openapi('EmailChangeInput');
const CodeInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'),
  next: nextField,
});
const ProfileInput = z
  .strictObject({
    displayName: z
      .string()
      .trim()
      .min(1, 'Enter the name others will see.')
      .max(60, 'Keep the name to 60 characters or fewer.'),
    bio: z.string().trim().max(500, 'Keep the introduction to 500 characters or fewer.').optional(),
    next: nextField,
  })
  .openapi('ProfileInput');

const changeEmail = createRoute({
  method: 'post',
  path: '/me/email',
  tags: ['Accounts'],
  summary: 'Start changing the email address',
  description:
    'Needs the password, or a sign-in within 10 minutes. A code goes to the new address; the address changes once it is entered.',
  middleware: [signedIn, bodyLimit(LIMIT), rateLimit({ name: 'change-email', limit: 5, windowSeconds: 3600 })] as const,
  request: { body: jsonOrForm(EmailChangeInput) },
  responses: {
    202: { description: 'A code is on its way to the new address.' },
    303: { description: 'HTML forms: to the code form.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
    403: errorResponse('Re-authentication needed or failed, or the request came from another site.'),
  },
});

const confirmEmail = createRoute({
  method: 'post',
  path: '/me/email/confirm',
  tags: ['Accounts'],
  summary: 'Finish changing the email address with the code',
  middleware: [
    signedIn,
    bodyLimit(LIMIT),
    rateLimit({ name: 'change-email-confirm', limit: 10, windowSeconds: 600 }),
  ] as const,
  request: { body: jsonOrForm(CodeInput) },
  responses: {
    200: {
      description: 'Changed; the session is renewed.',
      content: { 'application/json': { schema: UserEnvelopeSchema } },
    },
    303: { description: 'HTML forms: back to the account page.' },
    401: errorResponse('Not signed in.'),
    409: errorResponse('The address now belongs to another account.'),
    ...writeErrorResponses,
  },
});

const profile = createRoute({
  method: 'patch',
  path: '/me',
  tags: ['Accounts'],
  summary: 'Update the name others see and the short introduction',
  middleware: [signedIn, bodyLimit(LIMIT)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ProfileInput } } } },
  responses: {
    200: { description: 'Updated.', content: { 'application/json': { schema: UserEnvelopeSchema } } },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
  },
});

const profileForm = createRoute({
  method: 'post',
  path: '/me/profile',
  tags: ['Accounts'],
  summary: 'Update the profile (HTML form variant)',
  middleware: [signedIn, bodyLimit(LIMIT)] as const,
  request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ProfileInput } } } },
  responses: {
    303: { description: 'Back to the account page.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
  },
});

const deps = (c: { var: AppEnv['Variables'] }) => ({ passwords: c.var.passwords, mail: c.var.mail });

export const accountRoutes = new OpenAPIHono<AppEnv>()
  .openapi(changeEmail, async (c) => {
    const { session } = requireUser(c);
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await accounts.requestEmailChange(c.var.db, deps(c), session, input, accountContext(c));
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account/email', {
        kind: 'success',
        message: `We sent a 6-digit code to ${result.email}. Enter it here to finish.`,
      });
    return c.body(null, 202);
  })
  .openapi(confirmEmail, async (c) => {
    const { session } = requireUser(c);
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await accounts.confirmEmailChange(c.var.db, deps(c), session, input.code, accountContext(c));
    setSessionCookie(c, result.token);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account', {
        kind: 'success',
        message: `Your address is now ${result.user!.email}.`,
      });
    return c.json({ user: result.user! }, 200);
  })
  .openapi(profile, async (c) => {
    const { user } = requireUser(c);
    return c.json(
      { user: (await accounts.updateProfile(c.var.db, user.id, c.req.valid('json'), accountContext(c)))! },
      200,
    );
  })
  .openapi(profileForm, async (c) => {
    const { user } = requireUser(c);
    await accounts.updateProfile(c.var.db, user.id, c.req.valid('form'), accountContext(c));
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account', { kind: 'success', message: 'Your profile is saved.' });
    return c.body(null, 204);
  });
