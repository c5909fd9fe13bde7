import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { errorResponse } from '../schemas/common.ts';
import { SearchQuery } from '../schemas/discussions.ts';
import { searchPosts } from '../services/discussions/search.ts';
import type { AppEnv } from '../types.ts';

const search = createRoute({
  method: 'get',
  path: '/search',
  tags: ['Discussions'],
  summary: 'Search discussions: thread titles and posts you can read, with highlighted snippets',
  description:
    'Every word must match; the last may be the start of a word. `titleHtml` and `snippetHtml` are escaped HTML whose only markup is `<mark>` around matches. (The site’s guidelines, training and resources have their own search at /search.)',
  request: { query: SearchQuery },
  responses: {
    200: {
      description:
        '`{query, results: [{postId, threadId, seq, url, titleHtml, snippetHtml, category, author, createdAt}]}`, best first, at most 30.',
      content: { 'application/json': { schema: z.looseObject({}) } },
    },
    400: errorResponse('No query.'),
  },
});

export const discussionSearchRoutes = new OpenAPIHono<AppEnv>().openapi(search, async (c) => {
  const { q, category } = c.req.valid('query');
  return c.json(await searchPosts(c.var.db, await c.var.discussions(), c.var.user, q, { category }), 200);
});
