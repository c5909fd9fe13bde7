import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import { FlagInputSchema, RowId } from '../schemas/moderation.ts';
import { createFlag } from '../services/moderation/flags.ts';
import { loadCategoryGroups } from '../services/moderation/scope.ts';
import type { AppEnv } from '../types.ts';

/** Generous for a member reading a busy thread, dull for a script. One flag per post is in the database. */
export const FLAG_RATE = { name: 'flags', limit: 30, windowSeconds: 600 };

/** After a safety concern, a plain form lands on a page with crisis resources. */
export const SAFETY_FLAG_PAGE = '/flag-sent';

const create = createRoute({
  method: 'post',
  path: '/posts/{id}/flags',
  tags: ['Moderation'],
  middleware: [allowed('flag:post:own'), bodyLimit(8 * 1024), rateLimit(FLAG_RATE)] as const,
  summary: 'Flag a post for the moderators (once per member per post)',
  description:
    'Only posts the member can see, never their own. A `safety` flag is urgent: top of the queue, coordinators on duty emailed, and the answer carries `crisis` resources (HTML forms land on /flag-sent).',
  request: { params: z.strictObject({ id: RowId('id') }), body: jsonOrForm(FlagInputSchema) },
  responses: {
    201: {
      description: 'Flagged.',
      content: {
        'application/json': {
          schema: z.object({
            flag: z.object({ id: z.string(), postId: z.string(), reason: z.string(), createdAt: z.string() }),
            crisis: z.object({ url: z.string(), message: z.string() }).optional(),
          }),
        },
      },
    },
    303: { description: 'HTML forms.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such post, or not one the member can see.'),
    409: errorResponse('Already flagged by this member.'),
    ...writeErrorResponses,
    403: errorResponse('Their own post; email not confirmed; paused account (safety flags only); or another site.'),
  },
});

export const flagRoutes = new OpenAPIHono<AppEnv>().openapi(create, async (c) => {
  const { user } = requireUser(c);
  const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
  const result = await createFlag(
    c.var.db,
    {
      mail: c.var.mail,
      siteUrl: c.var.siteUrl,
      now: c.var.clock.now(),
      categoryGroups: await loadCategoryGroups(await c.var.discussions()),
    },
    user,
    c.req.valid('param').id,
    input,
  );
  if (answersWithRedirect(c.req.raw)) {
    if (result.crisis)
      return redirectWithFlash(c, SAFETY_FLAG_PAGE, {
        kind: 'success',
        message:
          'Thank you. Your safety concern is at the top of the moderators’ queue and the coordinators on duty have been emailed.',
      });
    return redirectWithFlash(c, safeNextPath(next, '/'), {
      kind: 'success',
      message: 'Thank you. A moderator will look at this post. The author is not told who flagged it.',
    });
  }
  return c.json(result, 201);
});
