import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { checkDatabase } from '../services/health.ts';
import type { AppEnv } from '../types.ts';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'unreachable']),
    version: z.string().optional(),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Is Hearth up, and can it reach its database?',
  description:
    'Answers within five seconds. 503 means the Worker is running but the database did not answer; static pages keep working.',
  responses: {
    200: { description: 'Everything answers.', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'The database is unreachable.', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function healthRoutes(version: string) {
  return new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
    const db = await checkDatabase(c.var.db);
    if (db === 'ok') return c.json({ status: 'ok' as const, db, version }, 200);
    c.header('Retry-After', '5');
    return c.json({ status: 'degraded' as const, db }, 503);
  });
}
