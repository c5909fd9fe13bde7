import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import {
  PageFeedbackCreatedSchema,
  PageFeedbackInputSchema,
  PageFeedbackSummarySchema,
  PagePathSchema,
} from '../schemas/page-feedback.ts';
import * as pageFeedback from '../services/page-feedback.ts';
import type { AppEnv } from '../types.ts';

/** Ten answers per ten minutes per address is plenty for a reader and dull for a script. */
export const PAGE_FEEDBACK_RATE = { name: 'page-feedback', limit: 10, windowSeconds: 600 };

const create = createRoute({
  method: 'post',
  path: '/page-feedback',
  tags: ['Page feedback'],
  summary: 'Say whether a published page helped',
  description:
    'Anonymous: no account, session or address is stored with the answer. An HTML form post is redirected back to the page (`next`, else `pagePath`) with `#feedback-thanks`.',
  middleware: [bodyLimit(8 * 1024), rateLimit(PAGE_FEEDBACK_RATE)] as const,
  request: { body: jsonOrForm(PageFeedbackInputSchema) },
  responses: {
    201: { description: 'Saved.', content: { 'application/json': { schema: PageFeedbackCreatedSchema } } },
    303: { description: 'HTML form posts: back to the page.' },
    ...writeErrorResponses,
  },
});

const summary = createRoute({
  method: 'get',
  path: '/page-feedback',
  tags: ['Page feedback'],
  summary: 'How readers rated a page',
  request: { query: z.strictObject({ path: PagePathSchema }) },
  responses: {
    200: {
      description: 'Counts for the page.',
      content: { 'application/json': { schema: PageFeedbackSummarySchema } },
    },
    400: errorResponse('The path is missing or is not a path on this site.'),
    503: errorResponse('The database is unreachable; see Retry-After.'),
  },
});

export const pageFeedbackRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const form = isFormRequest(c.req.raw);
    if (!form && !c.req.header('content-type')) {
      throw new ApiError(400, 'validation_failed', 'Send the answer as a JSON body.', {
        details: { fields: { pagePath: 'Required', helpful: 'Required' } },
      });
    }
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const saved = await pageFeedback.create(c.var.db, input, c.var.clock.now());
    if (answersWithRedirect(c.req.raw)) {
      const back = safeNextPath(input.next, input.pagePath);
      return redirectWithFlash(
        c,
        back,
        { kind: 'success', message: 'Thank you. Your answer helps us improve this page.' },
        'feedback-thanks',
      );
    }
    return c.json(saved, 201);
  })
  .openapi(summary, async (c) => {
    const { path } = c.req.valid('query');
    return c.json(await pageFeedback.getSummary(c.var.db, path), 200);
  });
