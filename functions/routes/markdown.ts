import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { renderMarkdown } from '../lib/markdown.ts';
import { bodyLimit, POST_BODY_LIMIT } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed } from '../middleware/session.ts';
import { errorResponse, writeErrorResponses } from '../schemas/common.ts';
import { PreviewSchema } from '../schemas/discussions.ts';
import { cleanText } from '../services/discussions/shared.ts';
import type { AppEnv } from '../types.ts';

/** Previews as a member types (the composer asks when they pause). */
export const PREVIEW_RATE = { name: 'markdown-preview', limit: 120, windowSeconds: 600 };

const preview = createRoute({
  method: 'post',
  path: '/markdown/preview',
  tags: ['Discussions'],
  middleware: [allowed('create:content:own'), bodyLimit(POST_BODY_LIMIT), rateLimit(PREVIEW_RATE)] as const,
  summary: 'Render Markdown exactly as a post would be rendered (sanitized HTML)',
  request: { body: { required: true, content: { 'application/json': { schema: PreviewSchema } } } },
  responses: {
    200: {
      description: '`{html}`: the same pipeline as posts, so what you see is what will be posted.',
      content: { 'application/json': { schema: z.object({ html: z.string() }) } },
    },
    401: errorResponse('Not signed in.'),
    ...writeErrorResponses,
  },
});

export const markdownRoutes = new OpenAPIHono<AppEnv>().openapi(preview, async (c) =>
  c.json({ html: renderMarkdown(cleanText(c.req.valid('json').body)) }, 200),
);
