import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import { BlockInputSchema, RowId } from '../schemas/moderation.ts';
import { blockMember, unblockMember } from '../services/moderation/blocks.ts';
import type { AppEnv } from '../types.ts';

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const params = z.strictObject({ id: RowId('id') });

const routes = {
  block: createRoute({
    method: 'post',
    path: '/members/{id}/block',
    tags: ['Members'],
    middleware: [signedIn, bodyLimit(4 * 1024)] as const,
    summary: 'Block (posts collapsed, no mentions of you) or mute (posts collapsed) a member',
    request: { params, body: jsonOrForm(BlockInputSchema) },
    responses: {
      200: ok('Blocked or muted.'),
      303: { description: 'HTML forms.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such member.'),
      409: errorResponse('Moderators and coordinators cannot be blocked.'),
      ...writeErrorResponses,
    },
  }),
  unblock: createRoute({
    method: 'delete',
    path: '/members/{id}/block',
    tags: ['Members'],
    middleware: [signedIn] as const,
    summary: 'Unblock or unmute a member',
    request: { params },
    responses: { 200: ok('Removed.'), 401: errorResponse('Not signed in.'), 404: errorResponse('Not blocked.') },
  }),
  unblockForm: createRoute({
    method: 'post',
    path: '/members/{id}/unblock',
    tags: ['Members'],
    middleware: [signedIn, bodyLimit(4 * 1024)] as const,
    summary: 'Unblock or unmute a member (HTML form variant)',
    request: { params, body: jsonOrForm(z.strictObject({ next: nextField })) },
    responses: {
      200: ok('Removed.'),
      303: { description: 'HTML forms.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('Not blocked.'),
      ...writeErrorResponses,
    },
  }),
};

export const memberBlockRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.block, async (c) => {
    const { user } = requireUser(c);
    const { next, kind } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await blockMember(c.var.db, user.id, c.req.valid('param').id, kind, c.var.clock.now());
    return answerJsonOrRedirect(c, result, 200, {
      message:
        kind === 'block'
          ? `${result.member.displayName} is blocked: their posts are folded away and they cannot mention you.`
          : `${result.member.displayName} is muted: their posts are folded away.`,
      fallback: '/account/blocked',
      next,
    });
  })
  .openapi(routes.unblock, async (c) =>
    c.json(await unblockMember(c.var.db, requireUser(c).user.id, c.req.valid('param').id), 200),
  )
  .openapi(routes.unblockForm, async (c) => {
    const { next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await unblockMember(c.var.db, requireUser(c).user.id, c.req.valid('param').id);
    return answerJsonOrRedirect(c, result, 200, {
      message: result.removed === 'block' ? 'Unblocked.' : 'Unmuted.',
      fallback: '/account/blocked',
      next,
    });
  });
