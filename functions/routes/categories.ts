import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { LOCALES } from '#src/lib/content/schema.ts';
import { errorResponse } from '../schemas/common.ts';
import { SlugParam, ThreadListQuery } from '../schemas/discussions.ts';
import { listCategories, listThreads } from '../services/discussions/read.ts';
import type { AppEnv } from '../types.ts';

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/categories',
    tags: ['Discussions'],
    summary: 'Discussion categories you can read, with counts and what is new since your last visit',
    request: { query: z.strictObject({ locale: z.enum(LOCALES).optional() }) },
    responses: {
      200: {
        description:
          '`[{slug, name, description, visibility, whoMayPost, anonymous, qa, postFirst, threadCount, lastActivityAt, newThreads, canPost}]`. Group-only categories appear only to their group.',
        content: { 'application/json': { schema: z.array(z.looseObject({})) } },
      },
      503: errorResponse('The database is unreachable; see Retry-After.'),
    },
  }),
  threads: createRoute({
    method: 'get',
    path: '/categories/{slug}/threads',
    tags: ['Discussions'],
    summary: 'A category’s threads by latest activity (keyset pagination; pinned threads first)',
    request: { params: z.strictObject({ slug: SlugParam('slug') }), query: ThreadListQuery },
    responses: {
      200: ok(
        '`{category, pinned: [...], threads: [{id, title, author, lastPostAt, replyCount, unread, unopened, newSinceLastVisit, …}], nextCursor}`. Pinned threads come on the first page only.',
      ),
      400: errorResponse('Bad cursor.'),
      404: errorResponse('No such category (or not visible to you).'),
    },
  }),
};

export const categoryRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.list, async (c) =>
    c.json(await listCategories(c.var.db, await c.var.discussions(), c.var.user, c.req.valid('query').locale), 200),
  )
  .openapi(routes.threads, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(
      await listThreads(c.var.db, await c.var.discussions(), c.var.user, c.req.valid('param').slug, { cursor, limit }),
      200,
    );
  });
