import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse } from '../schemas/common.ts';
import { trustProgress } from '../services/moderation/trust.ts';
import type { AppEnv } from '../types.ts';

const progress = createRoute({
  method: 'get',
  path: '/me/trust',
  tags: ['Account'],
  middleware: [signedIn] as const,
  summary: 'The member’s trust level, what it allows, and progress towards the next',
  responses: {
    200: {
      description: 'Level, activity, limits, next level.',
      content: { 'application/json': { schema: z.looseObject({}) } },
    },
    401: errorResponse('Not signed in.'),
  },
});

export const trustRoutes = new OpenAPIHono<AppEnv>().openapi(progress, async (c) =>
  c.json(await trustProgress(c.var.db, requireUser(c).user, c.var.clock.now()), 200),
);
