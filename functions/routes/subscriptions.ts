import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import { DigestSchema, SubscriptionSchema } from '../schemas/discussions.ts';
import { setDigestFrequency, setSubscription } from '../services/discussions/subscriptions.ts';
import type { AppEnv } from '../types.ts';

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});

const LEVEL_MESSAGE = {
  watch: 'Watching: you will be notified of every new post.',
  track: 'Tracking: you will see unread counts, without notifications.',
  mute: 'Muted: you will not be notified, even when mentioned.',
  default: 'Back to the usual notifications.',
} as const;

const routes = {
  subscribe: createRoute({
    method: 'post',
    path: '/subscriptions',
    tags: ['Discussions'],
    middleware: [signedIn, bodyLimit(4096)] as const,
    summary: 'Watch, track or mute a thread or a category',
    request: { body: jsonOrForm(SubscriptionSchema) },
    responses: {
      200: ok('`{targetType, target, level}` (level null after `default`).'),
      303: { description: 'HTML forms.' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such thread or category (or not visible to you).'),
      ...writeErrorResponses,
    },
  }),
  digest: createRoute({
    method: 'put',
    path: '/me/digest',
    tags: ['Discussions'],
    middleware: [signedIn, bodyLimit(1024)] as const,
    summary: 'Choose the email digest: daily, weekly or off',
    request: { body: { required: true, content: { 'application/json': { schema: DigestSchema } } } },
    responses: { 200: ok('`{frequency}`.'), 401: errorResponse('Not signed in.'), ...writeErrorResponses },
  }),
  digestForm: createRoute({
    method: 'post',
    path: '/me/digest',
    tags: ['Discussions'],
    middleware: [signedIn, bodyLimit(1024)] as const,
    summary: 'Choose the email digest (HTML forms; as PUT)',
    request: { body: jsonOrForm(DigestSchema) },
    responses: {
      200: ok('`{frequency}`.'),
      303: { description: 'HTML forms.' },
      401: errorResponse('Not signed in.'),
      ...writeErrorResponses,
    },
  }),
};

export const subscriptionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.subscribe, async (c) => {
    const { next, ...input } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await setSubscription(
      c.var.db,
      await c.var.discussions(),
      requireUser(c).user,
      input,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, result, 200, {
      message: LEVEL_MESSAGE[input.level],
      fallback: input.targetType === 'thread' ? `/discussions/t/${input.target}` : `/discussions/${input.target}`,
      next,
    });
  })
  .openapi(routes.digest, async (c) => {
    const { frequency } = c.req.valid('json');
    return c.json(await setDigestFrequency(c.var.db, requireUser(c).user.id, frequency), 200);
  })
  .openapi(routes.digestForm, async (c) => {
    const { frequency, next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await setDigestFrequency(c.var.db, requireUser(c).user.id, frequency);
    return answerJsonOrRedirect(c, result, 200, {
      message:
        frequency === 'off'
          ? 'No more digest emails.'
          : `You will get a ${frequency} digest when something is waiting.`,
      fallback: '/account#digest',
      next,
    });
  });
