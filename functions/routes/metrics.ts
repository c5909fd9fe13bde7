import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { allowed } from '../middleware/session.ts';
import { errorResponse } from '../schemas/common.ts';
import { METRIC_PANELS, MetricsCsvQuerySchema, MetricsQuerySchema } from '../schemas/metrics.ts';
import {
  DEFINITIONS,
  impactMetrics,
  metricsCsv,
  metricsRange,
  qaCategories,
  satisfactionItem,
} from '../services/metrics.ts';
import type { AppEnv } from '../types.ts';

const definitions = METRIC_PANELS.map((p) => `- **${p}**: ${DEFINITIONS[p]}`).join('\n');
const errors = {
  400: errorResponse(
    '`from` or `to` is not a day, `from` is after `to`, or the range is longer than two years; `details.fields` names the field.',
  ),
  401: errorResponse('Not signed in.'),
  403: errorResponse('Only admins see the impact dashboard.'),
};

const metrics = createRoute({
  method: 'get',
  path: '/admin/metrics',
  tags: ['Administration'],
  middleware: [allowed('read:metrics:any')] as const,
  summary: 'The impact dashboard: weekly series over a date range (admins)',
  description: `Weeks are ISO weeks in UTC (Monday to Sunday); the range is widened to whole weeks and stops at the current week, which is marked \`partialWeek\`. Aggregates only: retention cells from fewer than 5 people and satisfaction months with fewer than 5 answers are hidden (\`{"kind":"small","label":"<5"}\`).\n\n${definitions}`,
  request: { query: MetricsQuerySchema },
  responses: {
    200: {
      description: 'The range and one series per panel.',
      content: {
        'application/json': {
          schema: z.looseObject({
            range: z.looseObject({}),
            series: z.looseObject({}),
            definitions: z.looseObject({}),
          }),
        },
      },
    },
    ...errors,
  },
});

const metricsCsvRoute = createRoute({
  method: 'get',
  path: '/admin/metrics.csv',
  tags: ['Administration'],
  middleware: [allowed('read:metrics:any')] as const,
  summary: 'The impact dashboard as CSV: one panel or all (admins)',
  description:
    'Columns: panel, period (a week’s Monday, or a month), measure, value. Hidden figures read "<5" or "suppressed". Text that a spreadsheet would run as a formula is prefixed with an apostrophe.',
  request: { query: MetricsCsvQuerySchema },
  responses: {
    200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
    ...errors,
  },
});

/** Reads the dashboard's figures for a query, with the content they need (tracks, the survey item). */
async function read(c: { var: AppEnv['Variables'] }, query: { from?: string | undefined; to?: string | undefined }) {
  const now = c.var.clock.now();
  const [training, surveys, discussions] = await Promise.all([c.var.training(), c.var.surveys(), c.var.discussions()]);
  return impactMetrics(c.var.db, {
    ...metricsRange(query, now),
    now,
    training,
    qaCategories: qaCategories(discussions),
    satisfaction: satisfactionItem(surveys),
  });
}

export const metricsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(metrics, async (c) => c.json({ ...(await read(c, c.req.valid('query'))), definitions: DEFINITIONS }, 200))
  .openapi(metricsCsvRoute, async (c) => {
    const { panel = 'all', ...query } = c.req.valid('query');
    const data = await read(c, query);
    return c.text(metricsCsv(data, panel), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="hearth-impact-${panel}-${data.range.from}-to-${data.range.to}.csv"`,
    });
  });
