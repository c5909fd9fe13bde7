import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit, POST_BODY_LIMIT } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import {
  IdParam,
  NewThreadSchema,
  ReadSchema,
  ReplySchema,
  SolutionSchema,
  ThreadQuery,
} from '../schemas/discussions.ts';
import { getThread, markThreadRead } from '../services/discussions/read.ts';
import { setSolution } from '../services/discussions/reactions.ts';
import { postPath, threadPath } from '../services/discussions/shared.ts';
import { writePost } from '../services/discussions/write.ts';
import type { AppEnv } from '../types.ts';

/** Generous for people, dull for scripts. Per-member posting limits are the posting policy's. */
export const DISCUSSION_WRITE_RATE = { name: 'discussion-write', limit: 120, windowSeconds: 600 };

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const params = z.strictObject({ id: IdParam('id') });
const post = [allowed('create:content:own'), bodyLimit(POST_BODY_LIMIT), rateLimit(DISCUSSION_WRITE_RATE)];
const heldMessage = 'Thank you. Your post is waiting for a moderator’s approval; you will see it marked as pending.';

const routes = {
  create: createRoute({
    method: 'post',
    path: '/threads',
    tags: ['Discussions'],
    middleware: post,
    summary: 'Start a thread: its title and opening post',
    description:
      'Title 5–150 characters, body up to 32,000 (400 naming the field; 413 for a body over 400 KB). 404 for a category the member cannot see, 403 where they may not post (wrong role, email not confirmed).',
    request: { body: jsonOrForm(NewThreadSchema) },
    responses: {
      201: ok(
        '`{thread: {id, category, title}, post: {id, seq, status}}`; status is `held` when it waits for approval.',
      ),
      303: { description: 'HTML forms: to the new thread.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such category (or not visible to you).'),
      ...writeErrorResponses,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/threads/{id}',
    tags: ['Discussions'],
    summary: 'A thread and a page of its posts (keyset on the post number)',
    description:
      '`?cursor=N` returns the posts after number N: `nextCursor` for the next page, or the last number you have when polling for new replies. Sends an ETag; `If-None-Match` answers 304 when nothing changed. Changes nothing: reading state is saved with POST /api/threads/{id}/read.',
    request: { params, query: ThreadQuery },
    responses: {
      200: ok(
        '`{thread, category, posts: [{id, seq, author: {kind, displayName, …}, bodyHtml, createdAt, editedAt, reactions, myReactions, isSolution, …}], nextCursor, hiddenReplies, viewer}`.',
      ),
      304: { description: 'Not modified since the ETag sent in If-None-Match.' },
      400: errorResponse('Bad cursor.'),
      404: errorResponse('No such thread (or not visible to you).'),
      503: errorResponse('The database is unreachable; see Retry-After.'),
    },
  }),
  reply: createRoute({
    method: 'post',
    path: '/threads/{id}/posts',
    tags: ['Discussions'],
    middleware: post,
    summary: 'Reply to a thread (optionally to one post: quote-reply)',
    description:
      '409 when the thread is locked or closed, or when asking for an identity other than the one already used in the thread; 429 with Retry-After under slow mode.',
    request: { params, body: jsonOrForm(ReplySchema) },
    responses: {
      201: ok('`{post: {id, seq, status}, thread}`.'),
      303: { description: 'HTML forms: to the new post.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such thread (or not visible to you).'),
      409: errorResponse('Locked, closed, or the thread’s identity rule.'),
      ...writeErrorResponses,
    },
  }),
  solution: createRoute({
    method: 'post',
    path: '/threads/{id}/solution',
    tags: ['Discussions'],
    middleware: [allowed('create:content:own'), bodyLimit(4096)] as const,
    summary: 'Accept a reply as the solution (Q&A categories; the asker, facilitators and moderators)',
    request: { params, body: jsonOrForm(SolutionSchema) },
    responses: {
      200: ok('`{threadId, solutionPostId}`.'),
      303: { description: 'HTML forms.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such thread (or not visible to you).'),
      409: errorResponse('Not a Q&A category.'),
      ...writeErrorResponses,
      403: errorResponse('Only the asker, a facilitator or a moderator can accept a solution.'),
    },
  }),
  read: createRoute({
    method: 'post',
    path: '/threads/{id}/read',
    tags: ['Discussions'],
    middleware: [signedIn, bodyLimit(1024)] as const,
    summary: 'Save how far you have read (a post number; never moves backwards)',
    request: { params, body: { required: true, content: { 'application/json': { schema: ReadSchema } } } },
    responses: {
      200: ok('`{lastSeq}`.'),
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such thread (or not visible to you).'),
      ...writeErrorResponses,
    },
  }),
};

/** A weak ETag over the answer: pollers that send it back get 304 when nothing changed. */
async function etagOf(body: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return `W/"${[...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

export const threadRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.create, async (c) => {
    const { next: _next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await writePost(
      c.var.db,
      { catalog: await c.var.discussions(), now: c.var.clock.now(), policy: c.var.postingPolicy },
      requireUser(c).user,
      { kind: 'thread', ...input },
    );
    return answerJsonOrRedirect(c, result, 201, {
      message: result.post.status === 'held' ? heldMessage : 'Your thread is up.',
      fallback: threadPath(result.thread.id),
      next: undefined,
    });
  })
  .openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const page = await getThread(c.var.db, await c.var.discussions(), c.var.user, id, {
      cursor: cursor === undefined ? undefined : Number(cursor),
      limit,
    });
    const body = JSON.stringify(page);
    const etag = await etagOf(body);
    c.header('ETag', etag);
    // Never stored (a member's view of a thread is theirs alone); the island keeps the ETag itself.
    c.header('Cache-Control', 'no-store');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  })
  .openapi(routes.reply, async (c) => {
    const { id } = c.req.valid('param');
    const { next: _next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await writePost(
      c.var.db,
      { catalog: await c.var.discussions(), now: c.var.clock.now(), policy: c.var.postingPolicy },
      requireUser(c).user,
      { kind: 'reply', threadId: id, ...input },
    );
    return answerJsonOrRedirect(c, result, 201, {
      message: result.post.status === 'held' ? heldMessage : 'Reply posted.',
      fallback: postPath(result.post.id),
      next: undefined,
    });
  })
  .openapi(routes.solution, async (c) => {
    const { id } = c.req.valid('param');
    const { postId, next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await setSolution(
      c.var.db,
      await c.var.discussions(),
      requireUser(c).user,
      id,
      postId,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, result, 200, {
      message: postId ? 'Marked as the solution. Thank you for closing the loop.' : 'Solution unmarked.',
      fallback: threadPath(id),
      next,
    });
  })
  .openapi(routes.read, async (c) => {
    const { id } = c.req.valid('param');
    const { seq } = c.req.valid('json');
    return c.json(
      await markThreadRead(c.var.db, await c.var.discussions(), requireUser(c).user, id, seq, c.var.clock.now()),
      200,
    );
  });
