import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ROLES } from '#db/schema/index.ts';
import { requirePermission } from '../auth/permissions.ts';
import { answersWithRedirect, redirectWithFlash } from '../lib/forms.ts';
import { allowed } from '../middleware/session.ts';
import { errorResponse, writeErrorResponses } from '../schemas/common.ts';
import * as members from '../services/members.ts';
import type { AppEnv } from '../types.ts';

const Role = z.enum(ROLES);
const MemberSchema = z
  .object({ id: z.string(), email: z.string(), displayName: z.string(), createdAt: z.string(), roles: z.array(Role) })
  .openapi('Member');

const list = createRoute({
  method: 'get',
  path: '/admin/members',
  tags: ['Administration'],
  middleware: [allowed('read:member:any')] as const,
  summary: 'Verified members and their roles (coordinators and admins)',
  request: {
    query: z.strictObject({
      cursor: z.string().max(100).optional().openapi({ description: 'From `nextCursor` of the previous page.' }),
      q: z.string().max(100).optional().openapi({ description: 'Part of a name or email address.' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of members, newest first.',
      content: {
        'application/json': { schema: z.object({ members: z.array(MemberSchema), nextCursor: z.string().nullable() }) },
      },
    },
    400: errorResponse('A query parameter is invalid.'),
    401: errorResponse('Not signed in.'),
    403: errorResponse('Only coordinators and admins see the member list.'),
  },
});

/** Roles arrive as a JSON array, or from an HTML form as repeated `roles` checkboxes. */
const RolesInput = z.strictObject({
  roles: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(Role).max(ROLES.length)),
  next: z.string().max(2048).optional(),
});

const setRoles = createRoute({
  method: 'put',
  path: '/admin/members/{id}/roles',
  tags: ['Administration'],
  middleware: [allowed('update:role:any')] as const,
  summary: 'Set a member’s roles (admins)',
  description: 'Audited. The member’s sessions end, so their next sign-in carries the new privileges.',
  request: {
    params: z.strictObject({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
    body: { required: true, content: { 'application/json': { schema: RolesInput } } },
  },
  responses: {
    200: {
      description: 'The member’s roles now.',
      content: { 'application/json': { schema: z.object({ roles: z.array(Role) }) } },
    },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such verified member.'),
    409: errorResponse('That would leave Hearth without an admin.'),
    ...writeErrorResponses,
  },
});

const setRolesForm = createRoute({
  method: 'post',
  path: '/admin/members/{id}/roles',
  tags: ['Administration'],
  middleware: [allowed('update:role:any')] as const,
  summary: 'Set a member’s roles (HTML form variant)',
  request: {
    params: z.strictObject({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
    body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: RolesInput } } },
  },
  responses: {
    303: { description: 'Back to the member list.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such verified member.'),
    ...writeErrorResponses,
  },
});

const audit = createRoute({
  method: 'get',
  path: '/admin/audit',
  tags: ['Administration'],
  middleware: [allowed('read:audit:any')] as const,
  summary: 'Security events, newest first (admins)',
  request: {
    query: z.strictObject({
      before: z.string().regex(/^\d+$/).optional().openapi({ description: 'From `nextBefore` of the previous page.' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of events.',
      content: {
        'application/json': {
          schema: z.object({ events: z.array(z.record(z.string(), z.unknown())), nextBefore: z.string().nullable() }),
        },
      },
    },
    401: errorResponse('Not signed in.'),
    403: errorResponse('Only admins read the audit log.'),
  },
});

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    requirePermission(c.var.user, 'read:member:any');
    const { cursor, q } = c.req.valid('query');
    return c.json(await members.listMembers(c.var.db, { cursor, query: q }), 200);
  })
  .openapi(setRoles, async (c) => {
    const actor = requirePermission(c.var.user, 'update:role:any');
    const result = await members.setRoles(
      c.var.db,
      actor.id,
      c.req.valid('param').id,
      c.req.valid('json').roles,
      c.var.clock.now(),
    );
    return c.json({ roles: result.roles }, 200);
  })
  .openapi(setRolesForm, async (c) => {
    const actor = requirePermission(c.var.user, 'update:role:any');
    const form = c.req.valid('form');
    const result = await members.setRoles(c.var.db, actor.id, c.req.valid('param').id, form.roles, c.var.clock.now());
    if (!answersWithRedirect(c.req.raw)) return c.body(null, 204);
    return redirectWithFlash(c, form.next ?? '/admin/members', {
      kind: 'success',
      message: result.changed ? 'Roles saved. The member will sign in again with the new roles.' : 'Nothing changed.',
    });
  })
  .openapi(audit, async (c) => {
    requirePermission(c.var.user, 'read:audit:any');
    return c.json(await members.listAudit(c.var.db, { before: c.req.valid('query').before }), 200);
  });
