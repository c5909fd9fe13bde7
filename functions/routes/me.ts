import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { sessions } from '#db/schema/index.ts';
import { notFound } from '../errors.ts';
import { answersWithRedirect, redirectWithFlash } from '../lib/forms.ts';
import { clearSessionCookie, requireUser, signedIn } from '../middleware/session.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { ApiError } from '../errors.ts';
import { deleteAccount, exportMemberData } from '../services/privacy.ts';
import { confirmPassword } from '../services/accounts.ts';
import { invalidateSession, listUserSessions } from '../auth/session.ts';
import { errorResponse, writeErrorResponses } from '../schemas/common.ts';
import { SessionInfoSchema, UserEnvelopeSchema } from '../schemas/auth.ts';
import { getAccount } from '../services/accounts.ts';
import { auditInsert } from '../services/audit.ts';
import type { AppEnv } from '../types.ts';

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Accounts'],
  middleware: [signedIn] as const,
  summary: 'The signed-in member',
  responses: {
    200: { description: 'The member.', content: { 'application/json': { schema: UserEnvelopeSchema } } },
    401: errorResponse('Not signed in.'),
  },
});

const listSessions = createRoute({
  method: 'get',
  path: '/me/sessions',
  tags: ['Accounts'],
  middleware: [signedIn] as const,
  summary: 'Where the member is signed in',
  responses: {
    200: {
      description: 'The member’s sessions.',
      content: { 'application/json': { schema: z.object({ sessions: z.array(SessionInfoSchema) }) } },
    },
    401: errorResponse('Not signed in.'),
  },
});

const SessionParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z2-7]{32}$/, 'Not a session id.')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const endSession = createRoute({
  method: 'delete',
  path: '/me/sessions/{id}',
  tags: ['Accounts'],
  middleware: [signedIn] as const,
  summary: 'End one of the member’s sessions',
  request: { params: SessionParams },
  responses: {
    204: { description: 'Ended.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such session of yours.'),
    ...writeErrorResponses,
  },
});

const endSessionForm = createRoute({
  method: 'post',
  path: '/me/sessions/{id}/end',
  tags: ['Accounts'],
  middleware: [signedIn] as const,
  summary: 'End one of the member’s sessions (HTML form variant)',
  request: { params: SessionParams },
  responses: {
    303: { description: 'Back to the account page.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such session of yours.'),
    ...writeErrorResponses,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/me/export',
  tags: ['Accounts'],
  summary: 'Download every row Hearth holds about the member',
  description:
    'A JSON file, one key per table; the set of tables is derived from the schema. Hashed secrets are redacted.',
  middleware: [signedIn] as const,
  responses: {
    200: {
      description: 'The export, as an attachment.',
      content: {
        'application/json': {
          schema: z.object({
            exportedAt: z.string(),
            format: z.string(),
            tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
          }),
        },
      },
    },
    401: errorResponse('Not signed in.'),
  },
});

const DeleteInput = z.strictObject({
  password: z.string().min(1, 'Enter your password to confirm.').max(1024),
  confirm: z.union([z.literal(true), z.literal('true')], { error: 'Tick the box to confirm.' }).optional(),
  next: z.string().max(2048).optional(),
});
const DELETE_RATE = { name: 'delete-account', limit: 5, windowSeconds: 600 };

const deleteRoute = createRoute({
  method: 'delete',
  path: '/me',
  tags: ['Accounts'],
  summary: 'Delete the account',
  description:
    'Needs the password again. Deletes the account, its sessions, codes, roles and mail in one step; content the member wrote stays, credited to "former member".',
  middleware: [signedIn, bodyLimit(4 * 1024 - 1), rateLimit(DELETE_RATE)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: DeleteInput } } } },
  responses: {
    204: { description: 'Deleted; the cookie is cleared.' },
    401: errorResponse('Not signed in.'),
    409: errorResponse('The last admin cannot delete their account.'),
    ...writeErrorResponses,
    403: errorResponse('The password is not right, or the request came from another site.'),
  },
});

const deleteFormRoute = createRoute({
  method: 'post',
  path: '/me/delete',
  tags: ['Accounts'],
  summary: 'Delete the account (HTML form variant)',
  middleware: [signedIn, bodyLimit(4 * 1024 - 1), rateLimit(DELETE_RATE)] as const,
  request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: DeleteInput } } } },
  responses: {
    303: { description: 'To the home page.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
    403: errorResponse('The password is not right, or the request came from another site.'),
  },
});

/** Ends a session only if it belongs to the member; another member's session is simply not found. */
async function endOwnSession(c: Parameters<typeof requireUser>[0], id: string) {
  const { user } = requireUser(c);
  const [owned] = await c.var.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, user.id)));
  if (!owned) throw notFound('That session');
  await invalidateSession(c.var.db, id);
  await auditInsert(
    c.var.db,
    { type: 'session.revoked', actorUserId: user.id, subjectUserId: user.id },
    c.var.clock.now(),
  );
}

export const meRoutes = new OpenAPIHono<AppEnv>()
  .openapi(me, async (c) => {
    const { user } = requireUser(c);
    const account = await getAccount(c.var.db, user.id);
    return c.json({ user: account! }, 200);
  })
  .openapi(listSessions, async (c) => {
    const { user, session } = requireUser(c);
    const rows = await listUserSessions(c.var.db, user.id);
    return c.json(
      {
        sessions: rows.map((r) => ({
          id: r.id,
          device: r.device,
          createdAt: r.createdAt.toISOString(),
          lastSeenAt: r.lastSeenAt.toISOString(),
          current: r.id === session.id,
        })),
      },
      200,
    );
  })
  .openapi(endSession, async (c) => {
    await endOwnSession(c, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(exportRoute, async (c) => {
    const { user } = requireUser(c);
    const now = c.var.clock.now();
    const data = await exportMemberData(c.var.db, user.id, now);
    c.header('Content-Disposition', `attachment; filename="hearth-export-${now.toISOString().slice(0, 10)}.json"`);
    return c.json(data, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { user } = requireUser(c);
    await confirmPassword(c.var.db, c.var.passwords, user.id, c.req.valid('json').password);
    await deleteAccount(c.var.db, user.id, c.var.clock.now());
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(deleteFormRoute, async (c) => {
    const input = c.req.valid('form');
    if (input.confirm === undefined) {
      throw new ApiError(400, 'validation_failed', 'Please check the field: confirm.', {
        details: { fields: { confirm: 'Tick the box to confirm.' } },
      });
    }
    const { user } = requireUser(c);
    await confirmPassword(c.var.db, c.var.passwords, user.id, input.password);
    await deleteAccount(c.var.db, user.id, c.var.clock.now());
    clearSessionCookie(c);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/', {
        kind: 'info',
        message: 'Your account and your personal data have been deleted. Take care.',
      });
    return c.body(null, 204);
  })
  .openapi(endSessionForm, async (c) => {
    await endOwnSession(c, c.req.valid('param').id);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account#sessions', { kind: 'success', message: 'That session has ended.' });
    return c.body(null, 204);
  });
