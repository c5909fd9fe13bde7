import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listOutbox } from '../mail/transport.ts';
import type { AppEnv } from '../types.ts';

const outboxRoute = createRoute({
  method: 'get',
  path: '/dev/outbox',
  tags: ['Development'],
  summary: 'Mail kept by the local outbox transport, newest first',
  description: 'Exists only while EMAIL_TRANSPORT=outbox (the local default); never under a delivering transport.',
  responses: {
    200: {
      description: 'The outbox.',
      content: {
        'application/json': {
          schema: z.array(z.object({ to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() })),
        },
      },
    },
  },
});

export const devRoutes = new OpenAPIHono<AppEnv>().openapi(outboxRoute, async (c) => {
  const mails = await listOutbox(c.var.db);
  return c.json(
    mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt.toISOString() })),
    200,
  );
});
