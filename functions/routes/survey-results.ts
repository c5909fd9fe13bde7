import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth/permissions.ts';
import { allowed } from '../middleware/session.ts';
import { errorResponse } from '../schemas/common.ts';
import * as results from '../services/survey-results.ts';
import { HIDDEN } from '../surveys/publish.ts';
import type { AppEnv } from '../types.ts';

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(100)
  .openapi({ param: { name: 'slug', in: 'path' } });

const Figure = z
  .union([z.number(), z.literal(HIDDEN)])
  .openapi('SurveyFigure', { description: `A count, or "${HIDDEN}" where it is hidden to protect small groups.` });

const SegmentQuery = z.strictObject({
  segment: z
    .enum(results.SEGMENT_KEYS as [results.SegmentBy, ...results.SegmentBy[]])
    .optional()
    .openapi({
      description:
        'Break each question down by `role` (members, mentors), `cohort` (month joined) or `group` (the cohort discussion group the member was in when answering, the one joined last; key `""` for none; labelled with the group\'s name). Groups of fewer than 10 respondents are left out, with the next smallest where one alone would show; the rest appear together as `other`. Every breakdown is suppressed together with the others, so no combination of views gives a hidden figure away.',
    }),
});

const SurveySummary = z
  .object({
    slug: z.string(),
    title: z.string(),
    audience: z.string(),
    group: z.string().nullable().openapi({ description: 'The discussion group (slug) of a `group` audience.' }),
    identity: z.enum(['anonymous', 'identified', 'pseudonymous']),
    trigger: z.string(),
    instrument: z.string().nullable(),
    phase: z.enum(['pre', 'post']).nullable(),
    pairKey: z.string().nullable(),
    opens: z.string(),
    closes: z.string().nullable(),
    status: z.enum(['upcoming', 'open', 'closed']),
    responses: Figure,
    responseRate: z.number().nullable(),
  })
  .openapi('SurveySummary');

const staffOnly = {
  401: errorResponse('Not signed in.'),
  403: errorResponse('Coordinators and admins only.'),
};

const list = createRoute({
  method: 'get',
  path: '/admin/surveys',
  tags: ['Survey results'],
  middleware: [allowed('read:survey-results:any')] as const,
  summary: 'Published surveys with their response counts and rates (coordinators, admins)',
  responses: {
    200: {
      description: 'Every published survey.',
      content: { 'application/json': { schema: z.array(SurveySummary) } },
    },
    ...staffOnly,
  },
});

const resultsJson = createRoute({
  method: 'get',
  path: '/admin/surveys/{slug}/results',
  tags: ['Survey results'],
  middleware: [allowed('read:survey-results:any')] as const,
  summary: 'A survey’s results: suppressed aggregates only (coordinators, admins)',
  description: `Response rate; per question the distribution (and, for ratings, the mean, median and 95% confidence interval; for 0–10 questions the Net Promoter Score), for everyone or per group with \`segment\`; written answers for the whole survey only, when a question has at least 5; and for pre/post instruments the paired change per cohort (pairs, mean change, Cohen's d_z). No figure comes from fewer than 5 answers, no group from fewer than 10 respondents, and a hidden figure cannot be worked out from the others: every hidden figure reads "${HIDDEN}". Averages are computed from the published figures, as ranges (\`low\`, \`high\`) where some are hidden.`,
  request: { params: z.strictObject({ slug: Slug }), query: SegmentQuery },
  responses: {
    200: {
      description: 'The results.',
      content: { 'application/json': { schema: z.looseObject({}).openapi('SurveyResults') } },
    },
    400: errorResponse('An unknown `segment`.'),
    ...staffOnly,
    404: errorResponse('No such survey.'),
  },
});

const csv = { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } };

const resultsCsv = createRoute({
  method: 'get',
  path: '/admin/surveys/{slug}/results.csv',
  tags: ['Survey results'],
  middleware: [allowed('read:survey-results:any')] as const,
  summary: 'The same suppressed aggregates as CSV, one figure per line (coordinators, admins)',
  request: { params: z.strictObject({ slug: Slug }), query: SegmentQuery },
  responses: {
    200: csv,
    400: errorResponse('An unknown `segment`.'),
    ...staffOnly,
    404: errorResponse('No such survey.'),
  },
});

const responsesCsv = createRoute({
  method: 'get',
  path: '/admin/surveys/{slug}/responses.csv',
  tags: ['Survey results'],
  middleware: [allowed('read:survey-results:any')] as const,
  summary: 'Every response of an identified survey, with who answered (coordinators, admins; audited)',
  description:
    'Only for surveys whose members were told their answers carry their name (`identity: identified`); anonymous and pseudonymous surveys answer 403 `raw_export_not_allowed` and export nothing. Each download is recorded in the security log.',
  request: { params: z.strictObject({ slug: Slug }) },
  responses: {
    200: csv,
    401: errorResponse('Not signed in.'),
    403: errorResponse('Coordinators and admins only, and identified surveys only.'),
    404: errorResponse('No such survey.'),
  },
});

const csvHeaders = (name: string) => ({
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="${name}"`,
});

export const surveyResultRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await results.surveyList(c.var.db, await c.var.surveys(), c.var.clock.now()), 200))
  .openapi(resultsJson, async (c) =>
    c.json(
      await results.surveyResults(c.var.db, await c.var.surveys(), c.req.valid('param').slug, {
        segment: c.req.valid('query').segment,
        now: c.var.clock.now(),
      }),
      200,
    ),
  )
  .openapi(resultsCsv, async (c) => {
    const { slug } = c.req.valid('param');
    const { segment } = c.req.valid('query');
    const now = c.var.clock.now();
    const data = await results.surveyResults(c.var.db, await c.var.surveys(), slug, { segment, now });
    const name = `hearth-${slug}-results${segment ? `-by-${segment}` : ''}-${now.toISOString().slice(0, 10)}.csv`;
    return c.text(results.resultsCsv(data), 200, csvHeaders(name));
  })
  .openapi(responsesCsv, async (c) => {
    const actor = requirePermission(c.var.user, 'read:survey-results:any');
    const { slug } = c.req.valid('param');
    const now = c.var.clock.now();
    const out = await results.rawResponsesCsv(c.var.db, await c.var.surveys(), slug, actor, now);
    return c.text(out.csv, 200, csvHeaders(`hearth-${slug}-responses-${now.toISOString().slice(0, 10)}.csv`));
  });
