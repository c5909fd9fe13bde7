import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { sessions } from '#db/schema/index.ts';
import { notFound } from '../errors.ts';
import { answersWithRedirect, redirectWithFlash } from '../lib/forms.ts';
import { requireUser, signedIn } from '../middleware/session.ts';
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
  .openapi(endSessionForm, async (c) => {
    await endOwnSession(c, c.req.valid('param').id);
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, '/account#sessions', { kind: 'success', message: 'That session has ended.' });
    return c.body(null, 204);
  });
