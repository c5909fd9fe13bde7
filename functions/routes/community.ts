import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { errorResponse } from '../schemas/common.ts';
import { getOverview } from '../services/community.ts';
import type { AppEnv } from '../types.ts';

const OverviewSchema = z
  .object({
    members: z.number().int(),
    mentors: z.number().int(),
    team: z.array(
      z.object({
        displayName: z.string(),
        roles: z.array(z.enum(['mentor', 'moderator', 'coordinator', 'admin'])),
      }),
    ),
  })
  .openapi('CommunityOverview');

const route = createRoute({
  method: 'get',
  path: '/community',
  tags: ['Community'],
  summary: 'Public facts about the community',
  description: 'How many members and mentors there are, and the coordinators and moderators who look after it.',
  responses: {
    200: { description: 'The overview.', content: { 'application/json': { schema: OverviewSchema } } },
    503: errorResponse('The database is unreachable; see Retry-After.'),
  },
});

export const communityRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  return c.json(await getOverview(c.var.db), 200);
});
