import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requirePermission } from '../auth/permissions.ts';
import { shortHash } from '../lib/hash.ts';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import {
  ItemActionInputSchema,
  RevealInputSchema,
  RowId,
  ThreadActionInputSchema,
  WatchedWordInputSchema,
} from '../schemas/moderation.ts';
import { actOnItem, actOnThread, revealAuthor } from '../services/moderation/actions.ts';
import { listModerationLog } from '../services/moderation/log.ts';
import { listQueue } from '../services/moderation/queue.ts';
import { loadCategoryGroups, requireModerationScope } from '../services/moderation/scope.ts';
import * as watched from '../services/moderation/watched-words.ts';
import type { AppEnv } from '../types.ts';

/** The review queue, actions on its items and on threads, reveals, watched words and the log. */

const scopeOf = async (c: Context<AppEnv>) =>
  requireModerationScope(c.var.db, c.var.user, await loadCategoryGroups(await c.var.discussions()));

/** 401/403 before validation: moderators, coordinators, and facilitators of a group's categories. */
const moderates = createMiddleware<AppEnv>(async (c, next) => {
  await scopeOf(c);
  await next();
});

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const form = { 303: { description: 'HTML forms: back to the page with a message.' } };
const who = {
  401: errorResponse('Not signed in.'),
  403: errorResponse('Not a moderator, coordinator or facilitator here; or the request came from another site.'),
};

const ACTION_DONE: Record<string, string> = {
  keep: 'Kept: the post stays as it is.',
  hide: 'Hidden until the author edits it. They have been told why.',
  delete: 'Deleted. The author has been told why.',
  'request-source': 'Source requested. The author has a task and the post shows “source requested”.',
  'mark-reviewed': 'Marked “Reviewed by a facilitator”.',
  warn: 'Warning sent.',
  silence: 'The member cannot post for now. They have been told until when and why.',
  suspend: 'The member is suspended and signed out. They have been told until when and why.',
  'lock-thread': 'The thread is locked.',
};

const routes = {
  queue: createRoute({
    method: 'get',
    path: '/moderation/queue',
    tags: ['Moderation'],
    middleware: [moderates] as const,
    summary: 'The review queue: safety concerns first, then by weighted flags, then oldest',
    description:
      'Moderators and coordinators see every category; facilitators their groups’ categories, without flaggers’ names. Anonymous authors appear by alias unless this moderator revealed them.',
    request: {
      query: z.strictObject({
        cursor: z.string().max(400).optional().openapi({ description: 'From `nextCursor` of the previous page.' }),
        limit: z.coerce.number().int().min(1).max(50).optional(),
      }),
    },
    responses: { 200: ok('A page of open items, with `nextCursor`.'), 400: errorResponse('Bad cursor.'), ...who },
  }),
  itemAction: createRoute({
    method: 'post',
    path: '/moderation/items/{id}/actions',
    tags: ['Moderation'],
    middleware: [moderates, bodyLimit(16 * 1024)] as const,
    summary:
      'Decide on a queue item: keep, hide, delete, request a source, mark reviewed, warn, silence, suspend, lock',
    description:
      'Resolves the item and its flags (upheld, or dismissed for keep and mark-reviewed), records actor, reason, before and after, and notifies the author without naming anyone who flagged. `sanction` and `lockThread` combine with a post decision. Sanctions need `sanction:member:any`.',
    request: { params: z.strictObject({ id: RowId('id') }), body: jsonOrForm(ItemActionInputSchema) },
    responses: {
      200: ok('The item resolved, with the post’s state after.'),
      ...form,
      ...who,
      404: errorResponse('No such item in your categories.'),
      409: errorResponse('Already resolved by someone else.'),
      ...writeErrorResponses,
    },
  }),
  threadAction: createRoute({
    method: 'post',
    path: '/moderation/threads/{id}/actions',
    tags: ['Moderation'],
    middleware: [moderates, bodyLimit(16 * 1024)] as const,
    summary: 'Thread tools: pin, unpin, lock, unlock, close, reopen, move, slow mode',
    request: { params: z.strictObject({ id: RowId('id') }), body: jsonOrForm(ThreadActionInputSchema) },
    responses: {
      200: ok('The thread’s state after.'),
      ...form,
      ...who,
      404: errorResponse('No such thread in your categories.'),
      ...writeErrorResponses,
    },
  }),
  reveal: createRoute({
    method: 'post',
    path: '/moderation/posts/{id}/reveal',
    tags: ['Moderation'],
    middleware: [allowed('reveal:anonymous:any'), bodyLimit(8 * 1024)] as const,
    summary: 'Reveal who wrote an anonymous post (moderators; audited)',
    request: { params: z.strictObject({ id: RowId('id') }), body: jsonOrForm(RevealInputSchema) },
    responses: {
      200: ok('The author.'),
      ...form,
      ...who,
      404: errorResponse('No such post.'),
      409: errorResponse('Not an anonymous post.'),
      ...writeErrorResponses,
    },
  }),
  watchedWords: createRoute({
    method: 'get',
    path: '/moderation/watched-words',
    tags: ['Moderation'],
    middleware: [allowed('manage:watched-words:any')] as const,
    summary: 'Watched words and what each does (block, hold, flag)',
    responses: { 200: ok('The list.'), ...who },
  }),
  addWatchedWord: createRoute({
    method: 'post',
    path: '/moderation/watched-words',
    tags: ['Moderation'],
    middleware: [allowed('manage:watched-words:any'), bodyLimit(4 * 1024)] as const,
    summary: 'Watch a word or phrase (case-insensitive, whole words, `*` wildcard)',
    request: { body: jsonOrForm(WatchedWordInputSchema) },
    responses: {
      201: ok('Added.'),
      ...form,
      ...who,
      409: errorResponse('Already on the list.'),
      ...writeErrorResponses,
    },
  }),
  removeWatchedWord: createRoute({
    method: 'delete',
    path: '/moderation/watched-words/{id}',
    tags: ['Moderation'],
    middleware: [allowed('manage:watched-words:any')] as const,
    summary: 'Stop watching a word',
    request: { params: z.strictObject({ id: RowId('id') }) },
    responses: { 200: ok('Removed.'), ...who, 404: errorResponse('No such watched word.') },
  }),
  removeWatchedWordForm: createRoute({
    method: 'post',
    path: '/moderation/watched-words/{id}/delete',
    tags: ['Moderation'],
    middleware: [allowed('manage:watched-words:any'), bodyLimit(4 * 1024)] as const,
    summary: 'Stop watching a word (HTML form variant)',
    request: {
      params: z.strictObject({ id: RowId('id') }),
      body: jsonOrForm(z.strictObject({ next: z.string().max(2048).optional() })),
    },
    responses: { 200: ok('Removed.'), ...form, ...who, 404: errorResponse('No such watched word.') },
  }),
  log: createRoute({
    method: 'get',
    path: '/moderation/log',
    tags: ['Moderation'],
    middleware: [allowed('moderate:discussions:any')] as const,
    summary: 'The moderation log, newest first',
    request: { query: z.strictObject({ before: z.string().regex(/^\d+$/).optional() }) },
    responses: { 200: ok('A page of entries, with `nextBefore`.'), ...who },
  }),
};

export const moderationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.queue, async (c) => {
    const { user } = requireUser(c);
    const scope = await scopeOf(c);
    return c.json(await listQueue(c.var.db, user, scope, c.req.valid('query')), 200);
  })
  .openapi(routes.itemAction, async (c) => {
    const { user } = requireUser(c);
    const scope = await scopeOf(c);
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await actOnItem(
      c.var.db,
      { now: c.var.clock.now(), ipHash: shortHash(c.var.clientIp) },
      user,
      scope,
      c.req.valid('param').id,
      input,
    );
    return answerJsonOrRedirect(c, result, 200, {
      message: ACTION_DONE[input.action] ?? 'Done.',
      fallback: '/moderation',
      next,
    });
  })
  .openapi(routes.threadAction, async (c) => {
    const { user } = requireUser(c);
    const scope = await scopeOf(c);
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const catalog = await c.var.discussions();
    const result = await actOnThread(
      c.var.db,
      { now: c.var.clock.now(), isCategory: (slug) => catalog.category(slug) !== undefined },
      user,
      scope,
      c.req.valid('param').id,
      input,
    );
    return answerJsonOrRedirect(c, result, 200, { message: 'Thread updated.', fallback: '/moderation', next });
  })
  .openapi(routes.reveal, async (c) => {
    const actor = requirePermission(c.var.user, 'reveal:anonymous:any');
    const { next, reason } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await revealAuthor(
      c.var.db,
      { now: c.var.clock.now(), ipHash: shortHash(c.var.clientIp) },
      actor,
      c.req.valid('param').id,
      reason,
    );
    return answerJsonOrRedirect(c, result, 200, {
      message: `${result.post.alias} is ${result.author.displayName}. This reveal is recorded; please keep it to yourself.`,
      fallback: '/moderation',
      next,
    });
  })
  .openapi(routes.watchedWords, async (c) => c.json({ watchedWords: await watched.listWatchedWords(c.var.db) }, 200))
  .openapi(routes.addWatchedWord, async (c) => {
    const { user } = requireUser(c);
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await watched.createWatchedWord(c.var.db, user.id, input, c.var.clock.now());
    return answerJsonOrRedirect(c, { watchedWord: saved }, 201, {
      message: `Now watching “${saved.pattern}”.`,
      fallback: '/moderation/watched-words',
      next,
    });
  })
  .openapi(routes.removeWatchedWord, async (c) =>
    c.json(await watched.deleteWatchedWord(c.var.db, c.req.valid('param').id), 200),
  )
  .openapi(routes.removeWatchedWordForm, async (c) => {
    const { next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await watched.deleteWatchedWord(c.var.db, c.req.valid('param').id);
    return answerJsonOrRedirect(c, result, 200, {
      message: 'No longer watched.',
      fallback: '/moderation/watched-words',
      next,
    });
  })
  .openapi(routes.log, async (c) => c.json(await listModerationLog(c.var.db, c.req.valid('query')), 200));
