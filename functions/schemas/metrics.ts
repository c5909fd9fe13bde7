import { z } from '@hono/zod-openapi';

/** The longest range the impact dashboard reads at once. */
export const MAX_RANGE_DAYS = 731;
/** Without `from`, the dashboard shows this many weeks up to `to`. */
export const DEFAULT_RANGE_WEEKS = 26;

/** The dashboard's panels, each with its own CSV. */
export const METRIC_PANELS = [
  'members',
  'posts',
  'replies',
  'questions',
  'training',
  'funnel',
  'check-ins',
  'retention',
  'satisfaction',
] as const;
export type MetricPanel = (typeof METRIC_PANELS)[number];

const day = z.iso.date().openapi({ description: 'A day, YYYY-MM-DD (UTC).', example: '2026-06-01' });

export const MetricsQuerySchema = z.strictObject({
  from: day.optional().openapi({
    description: `First day (default: the Monday that makes ${DEFAULT_RANGE_WEEKS} whole weeks up to \`to\`). Widened to its ISO week's Monday.`,
  }),
  to: day.optional().openapi({
    description: `Last day (default: today; at most ${MAX_RANGE_DAYS} days after \`from\`). Widened to its week's Sunday.`,
  }),
});

export const MetricsCsvQuerySchema = MetricsQuerySchema.extend({
  panel: z
    .enum(['all', ...METRIC_PANELS])
    .optional()
    .openapi({ description: 'One panel, or `all` (the default).' }),
});
