import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import * as notifications from '../services/notifications.ts';
import type { AppEnv } from '../types.ts';

const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    url: z.string().nullable(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .openapi('Notification');

const list = createRoute({
  method: 'get',
  path: '/notifications',
  tags: ['Notifications'],
  middleware: [signedIn] as const,
  summary: 'The member’s notifications, newest first, with the unread count',
  request: { query: z.strictObject({ before: z.string().regex(/^\d+$/).optional() }) },
  responses: {
    200: {
      description: 'A page of notifications.',
      content: {
        'application/json': {
          schema: z.object({
            notifications: z.array(NotificationSchema),
            nextBefore: z.string().nullable(),
            unread: z.number().int(),
          }),
        },
      },
    },
    400: errorResponse('Bad cursor.'),
    401: errorResponse('Not signed in.'),
  },
});

const read = createRoute({
  method: 'post',
  path: '/notifications/read',
  tags: ['Notifications'],
  middleware: [signedIn, bodyLimit(16 * 1024)] as const,
  summary: 'Mark notifications read: `ids`, or `all: true`',
  request: {
    body: jsonOrForm(
      z
        .strictObject({
          ids: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.uuid()).max(100)).optional(),
          all: z.union([z.boolean(), z.enum(['true', 'on'])]).optional(),
          next: nextField,
        })
        .refine((v) => v.ids?.length || v.all, {
          message: 'Name the notifications, or send all: true.',
          path: ['ids'],
        }),
    ),
  },
  responses: {
    200: {
      description: 'How many were marked.',
      content: { 'application/json': { schema: z.object({ marked: z.number().int() }) } },
    },
    303: { description: 'HTML forms.' },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
  },
});

export const notificationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const { before } = c.req.valid('query');
    return c.json(
      await notifications.listNotifications(
        c.var.db,
        requireUser(c).user.id,
        before ? new Date(Number(before)) : undefined,
      ),
      200,
    );
  })
  .openapi(read, async (c) => {
    const body = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const all = body.all === true || body.all === 'true' || body.all === 'on';
    const result = await notifications.markRead(
      c.var.db,
      requireUser(c).user.id,
      all ? 'all' : (body.ids ?? []),
      c.var.clock.now(),
    );
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, safeNextPath(body.next, '/notifications'), {
        kind: 'success',
        message: 'Marked as read.',
      });
    return c.json(result, 200);
  });
