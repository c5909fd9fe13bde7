import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { REACTION_KINDS } from '#db/schema/index.ts';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit, POST_BODY_LIMIT } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import { EditSchema, IdParam, ReactionSchema } from '../schemas/discussions.ts';
import { listRevisions } from '../services/discussions/read.ts';
import { react } from '../services/discussions/reactions.ts';
import { postPath, threadPath } from '../services/discussions/shared.ts';
import { deleteOwnPost, writePost } from '../services/discussions/write.ts';
import type { AppEnv } from '../types.ts';
import { DISCUSSION_WRITE_RATE } from './threads.ts';

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const params = z.strictObject({ id: IdParam('id') });
const common = {
  401: errorResponse('Not signed in.'),
  404: errorResponse('No such post (or not visible to you).'),
  ...writeErrorResponses,
  403: errorResponse('Not your post, or you may not post in this category.'),
};
const write = (limit = 4096) => [allowed('create:content:own'), bodyLimit(limit), rateLimit(DISCUSSION_WRITE_RATE)];

const editRoute = (method: 'patch' | 'post') =>
  createRoute({
    method,
    path: '/posts/{id}',
    tags: ['Discussions'],
    middleware: write(POST_BODY_LIMIT),
    summary:
      method === 'patch' ? 'Edit your post (the earlier version is kept)' : 'Edit your post (HTML forms; as PATCH)',
    description:
      'The earlier version goes into the post’s history (author and moderators: GET /api/posts/{id}/revisions) and the post shows “edited”. `title` only for a thread’s opening post.',
    request: { params, body: jsonOrForm(EditSchema) },
    responses: {
      ...common,
      200: ok('`{thread, post}`.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('Deleted, or the thread is locked.'),
    },
  });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/posts/{id}',
  tags: ['Discussions'],
  middleware: write(),
  summary: 'Delete your post (soft: replies keep their place)',
  request: { params },
  responses: { ...common, 200: ok('`{thread: {id}, post: {id, seq}}`.') },
});

const formDeleteRoute = createRoute({
  method: 'post',
  path: '/posts/{id}/delete',
  tags: ['Discussions'],
  middleware: write(),
  summary: 'Delete your post (HTML forms; as DELETE)',
  request: { params, body: jsonOrForm(z.strictObject({ next: nextField })) },
  responses: { ...common, 200: ok('`{thread: {id}, post: {id, seq}}`.'), 303: { description: 'HTML forms.' } },
});

const routes = {
  patch: editRoute('patch'),
  postEdit: editRoute('post'),
  delete: deleteRoute,
  postDelete: formDeleteRoute,
  revisions: createRoute({
    method: 'get',
    path: '/posts/{id}/revisions',
    tags: ['Discussions'],
    middleware: [signedIn] as const,
    summary: 'A post’s edit history (its author and moderators)',
    request: { params },
    responses: {
      200: ok('`{post, current, revisions: [{createdAt, title, body, bodyHtml, reason, editor}]}`, newest first.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('Neither the author nor a moderator.'),
      404: errorResponse('No such post (or not visible to you).'),
    },
  }),
  react: createRoute({
    method: 'post',
    path: '/posts/{id}/reactions',
    tags: ['Discussions'],
    middleware: write(),
    summary: 'React to a post: helpful, thanks or me-too (`remove: true` takes it back, for HTML forms)',
    request: { params, body: jsonOrForm(ReactionSchema) },
    responses: {
      ...common,
      200: ok('Taken back: `{postId, kind, reacted: false}`.'),
      201: ok('`{postId, kind, reacted: true}`.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('Your own post, or not published.'),
    },
  }),
  unreact: createRoute({
    method: 'delete',
    path: '/posts/{id}/reactions',
    tags: ['Discussions'],
    middleware: write(),
    summary: 'Take back a reaction',
    request: { params, query: z.strictObject({ kind: z.enum(REACTION_KINDS) }) },
    responses: { ...common, 200: ok('`{postId, kind, reacted: false}`.') },
  }),
};

export const postRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.patch, async (c) => edit(c, c.req.valid('param').id, c.req.valid('json')))
  .openapi(routes.postEdit, async (c) =>
    edit(c, c.req.valid('param').id, isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json')),
  )
  .openapi(routes.delete, async (c) =>
    c.json(
      await deleteOwnPost(
        c.var.db,
        await c.var.discussions(),
        requireUser(c).user,
        c.req.valid('param').id,
        c.var.clock.now(),
      ),
      200,
    ),
  )
  .openapi(routes.postDelete, async (c) =>
    remove(c, c.req.valid('param').id, (isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json')).next),
  )
  .openapi(routes.revisions, async (c) =>
    c.json(await listRevisions(c.var.db, await c.var.discussions(), requireUser(c).user, c.req.valid('param').id), 200),
  )
  .openapi(routes.react, async (c) => {
    const { id } = c.req.valid('param');
    const { kind, remove: takeBack, next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await react(
      c.var.db,
      await c.var.discussions(),
      requireUser(c).user,
      id,
      kind,
      takeBack === true,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, result, result.reacted ? 201 : 200, {
      message: result.reacted ? 'Thank you for letting them know.' : 'Reaction taken back.',
      fallback: postPath(id),
      next,
    });
  })
  .openapi(routes.unreact, async (c) =>
    c.json(
      await react(
        c.var.db,
        await c.var.discussions(),
        requireUser(c).user,
        c.req.valid('param').id,
        c.req.valid('query').kind,
        true,
        c.var.clock.now(),
      ),
      200,
    ),
  );

type Ctx = Context<AppEnv>;

async function edit(
  c: Ctx,
  id: string,
  input: { body: string; title?: string | undefined; reason?: string | undefined; next?: string | undefined },
) {
  const { next: _next, ...draft } = input;
  const result = await writePost(
    c.var.db,
    { catalog: await c.var.discussions(), now: c.var.clock.now(), policy: c.var.postingPolicy },
    requireUser(c).user,
    { kind: 'edit', postId: id, ...draft },
  );
  return answerJsonOrRedirect(c, result, 200, {
    message:
      result.post.status === 'held' ? 'Saved; the post waits for a moderator’s approval.' : 'Your changes are saved.',
    fallback: postPath(result.post.id),
    next: undefined,
  });
}

async function remove(c: Ctx, id: string, next: string | undefined) {
  const result = await deleteOwnPost(c.var.db, await c.var.discussions(), requireUser(c).user, id, c.var.clock.now());
  return answerJsonOrRedirect(c, result, 200, {
    message: 'Your post was deleted.',
    fallback: threadPath(result.thread.id),
    next,
  });
}
