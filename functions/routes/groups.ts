import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import { GroupMemberSchema, GroupRoleSchema, GroupSchema, IdParam, SlugParam } from '../schemas/discussions.ts';
import * as groups from '../services/groups.ts';
import type { AppEnv } from '../types.ts';

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const manage = [allowed('manage:groups:any'), bodyLimit(8 * 1024)];
const slugParams = z.strictObject({ slug: SlugParam('slug') });
const memberParams = z.strictObject({ slug: SlugParam('slug'), userId: IdParam('userId') });
const common = {
  401: errorResponse('Not signed in.'),
  404: errorResponse('No such group or member.'),
  ...writeErrorResponses,
  403: errorResponse('Coordinators only.'),
};
const page = (slug: string) => `/coordinator/groups/${slug}`;

const routes = {
  list: createRoute({
    method: 'get',
    path: '/groups',
    tags: ['Groups'],
    middleware: [allowed('manage:groups:any')] as const,
    summary: 'Groups (cohorts and subgroups) with their member counts',
    responses: {
      200: { description: 'Groups.', content: { 'application/json': { schema: z.array(z.looseObject({})) } } },
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/groups',
    tags: ['Groups'],
    middleware: manage,
    summary: 'Create a group',
    request: { body: jsonOrForm(GroupSchema) },
    responses: { ...common, 201: ok('`{id, slug, name}`.'), 303: { description: 'HTML forms.' } },
  }),
  get: createRoute({
    method: 'get',
    path: '/groups/{slug}',
    tags: ['Groups'],
    middleware: [allowed('manage:groups:any')] as const,
    summary: 'A group and its members (facilitators first)',
    request: { params: slugParams },
    responses: {
      200: ok('The group.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
      404: errorResponse('No such group.'),
    },
  }),
  add: createRoute({
    method: 'post',
    path: '/groups/{slug}/members',
    tags: ['Groups'],
    middleware: manage,
    summary: 'Add a member (by email or id) as a member or a facilitator; an existing member gets the new role',
    request: { params: slugParams, body: jsonOrForm(GroupMemberSchema) },
    responses: { ...common, 201: ok('`{group, userId, displayName, role}`.'), 303: { description: 'HTML forms.' } },
  }),
  role: createRoute({
    method: 'post',
    path: '/groups/{slug}/members/{userId}',
    tags: ['Groups'],
    middleware: manage,
    summary: 'Name a member facilitator, or make a facilitator a member again',
    request: { params: memberParams, body: jsonOrForm(GroupRoleSchema) },
    responses: { ...common, 200: ok('`{group, userId, role}`.'), 303: { description: 'HTML forms.' } },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/groups/{slug}/members/{userId}',
    tags: ['Groups'],
    middleware: manage,
    summary: 'Remove a member from the group',
    request: { params: memberParams },
    responses: { ...common, 200: ok('`{group, userId, removed: true}`.') },
  }),
  formRemove: createRoute({
    method: 'post',
    path: '/groups/{slug}/members/{userId}/remove',
    tags: ['Groups'],
    middleware: manage,
    summary: 'Remove a member from the group (HTML forms)',
    request: { params: memberParams, body: jsonOrForm(z.strictObject({ next: nextField })) },
    responses: { ...common, 200: ok('`{group, userId, removed: true}`.'), 303: { description: 'HTML forms.' } },
  }),
};

export const groupRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.list, async (c) => c.json(await groups.listGroups(c.var.db), 200))
  .openapi(routes.create, async (c) => {
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await groups.createGroup(c.var.db, requireUser(c).user.id, input, c.var.clock.now());
    return answerJsonOrRedirect(c, result, 201, {
      message: `Group “${result.name}” created. Add its members next.`,
      fallback: page(result.slug),
      next,
    });
  })
  .openapi(routes.get, async (c) => c.json(await groups.getGroup(c.var.db, c.req.valid('param').slug), 200))
  .openapi(routes.add, async (c) => {
    const { slug } = c.req.valid('param');
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await groups.addMember(c.var.db, requireUser(c).user.id, slug, input, c.var.clock.now());
    return answerJsonOrRedirect(c, result, 201, {
      message: `${result.displayName} is now ${result.role === 'facilitator' ? 'a facilitator' : 'a member'} of the group.`,
      fallback: page(slug),
      next,
    });
  })
  .openapi(routes.role, async (c) => {
    const { slug, userId } = c.req.valid('param');
    const { role, next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await groups.setMemberRole(c.var.db, requireUser(c).user.id, slug, userId, role, c.var.clock.now());
    return answerJsonOrRedirect(c, result, 200, { message: 'Role changed.', fallback: page(slug), next });
  })
  .openapi(routes.remove, async (c) => {
    const { slug, userId } = c.req.valid('param');
    return c.json(await groups.removeMember(c.var.db, requireUser(c).user.id, slug, userId, c.var.clock.now()), 200);
  })
  .openapi(routes.formRemove, async (c) => {
    const { slug, userId } = c.req.valid('param');
    const { next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await groups.removeMember(c.var.db, requireUser(c).user.id, slug, userId, c.var.clock.now());
    return answerJsonOrRedirect(c, result, 200, { message: 'Removed from the group.', fallback: page(slug), next });
  });
