import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import { PagePathSchema } from '../schemas/page-feedback.ts';
import * as reports from '../services/content-reports.ts';
import type { AppEnv } from '../types.ts';

/** Readers rarely report more than a page or two; this keeps a script from filling the list. */
export const CONTENT_REPORT_RATE = { name: 'content-report', limit: 5, windowSeconds: 600 };

const ReportInput = z
  .strictObject({
    pagePath: PagePathSchema,
    note: z
      .string()
      .trim()
      .max(1000, 'Keep the note to 1,000 characters or fewer.')
      .optional()
      .transform((v) => (v ? v : undefined))
      .openapi({ description: 'What seems out of date (optional, plain text).' }),
    next: nextField,
  })
  .openapi('ContentReportInput');

const create = createRoute({
  method: 'post',
  path: '/content-reports',
  tags: ['Content'],
  middleware: [bodyLimit(8 * 1024), rateLimit(CONTENT_REPORT_RATE)] as const,
  summary: 'Report a published page as out of date',
  description:
    'Anyone may report; a signed-in reporter is remembered so coordinators can ask for details. The page goes on the coordinators’ review list. HTML form posts return to the page with `#report-thanks`.',
  request: { body: jsonOrForm(ReportInput) },
  responses: {
    201: {
      description: 'On the review list.',
      content: { 'application/json': { schema: z.object({ id: z.string(), pagePath: z.string() }) } },
    },
    303: { description: 'HTML form posts: back to the page.' },
    ...writeErrorResponses,
  },
});

const list = createRoute({
  method: 'get',
  path: '/content-reports',
  tags: ['Content'],
  middleware: [allowed('review:content:any')] as const,
  summary: 'Open reports, grouped by page (coordinators and admins)',
  responses: {
    200: {
      description: 'Pages with open reports, longest waiting first.',
      content: {
        'application/json': {
          schema: z.object({
            pages: z.array(
              z.object({
                pagePath: z.string(),
                firstReportedAt: z.string(),
                reports: z.array(z.object({ id: z.string(), note: z.string().nullable(), createdAt: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    401: errorResponse('Not signed in.'),
    403: errorResponse('Only coordinators and admins review content.'),
  },
});

const resolve = createRoute({
  method: 'post',
  path: '/content-reports/resolve',
  tags: ['Content'],
  middleware: [allowed('review:content:any'), bodyLimit(4 * 1024)] as const,
  summary: 'Close the open reports on a page (coordinators and admins)',
  request: { body: jsonOrForm(z.strictObject({ pagePath: PagePathSchema, next: nextField })) },
  responses: {
    200: {
      description: 'Closed.',
      content: { 'application/json': { schema: z.object({ pagePath: z.string(), resolved: z.number().int() }) } },
    },
    303: { description: 'HTML form posts: back to the review list.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No open report on that page.'),
    ...writeErrorResponses,
  },
});

export const contentReportRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const form = isFormRequest(c.req.raw);
    if (!form && !c.req.header('content-type'))
      throw new ApiError(400, 'validation_failed', 'Send the report as a JSON body.', {
        details: { fields: { pagePath: 'Required' } },
      });
    const input = form ? c.req.valid('form') : c.req.valid('json');
    const saved = await reports.reportOutdated(c.var.db, input, c.var.user?.id ?? null, c.var.clock.now());
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(
        c,
        safeNextPath(input.next, input.pagePath),
        { kind: 'success', message: 'Thank you. A coordinator will review this page.' },
        'report-thanks',
      );
    return c.json(saved, 201);
  })
  .openapi(list, async (c) => c.json({ pages: await reports.listOpenReports(c.var.db) }, 200))
  .openapi(resolve, async (c) => {
    const { user } = requireUser(c);
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await reports.resolveReports(c.var.db, input.pagePath, user.id, c.var.clock.now());
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, safeNextPath(input.next, '/coordinator/content/'), {
        kind: 'success',
        message: `Marked ${input.pagePath} as reviewed.`,
      });
    return c.json(result, 200);
  });
