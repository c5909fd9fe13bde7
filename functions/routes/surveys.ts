import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { LOCALES } from '#src/lib/content/schema.ts';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { requireUser, signedIn } from '../middleware/session.ts';
import { errorResponse, nextField, writeErrorResponses } from '../schemas/common.ts';
import * as surveys from '../services/surveys.ts';
import type { AppEnv } from '../types.ts';

export const SURVEY_RESPONSE_RATE = { name: 'survey-response', limit: 20, windowSeconds: 600 };

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(100)
  .openapi({ param: { name: 'slug', in: 'path' } });
const Instance = z
  .string()
  .regex(/^[a-z0-9:-]{1,120}$/, 'Not a survey instance.')
  .default('manual')
  .openapi({ description: '`manual`, or the instance named in the invitation (e.g. `mentorship:<id>:close`).' });
const AnswerValue = z.union([z.string().max(4000), z.number(), z.array(z.string().max(100)).max(12)]);

/** An HTML form sends `q.<question>` fields (repeated for multiple choice). */
const fromForm = (v: unknown) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  const answers: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) {
    if (k.startsWith('q.')) answers[k.slice(2)] = value;
    else out[k] = value;
  }
  return Object.keys(answers).length ? { ...out, answers } : out;
};
const ResponseInput = z.preprocess(
  fromForm,
  z.strictObject({
    answers: z.record(z.string().max(100), AnswerValue).default({}),
    instance: Instance,
    next: nextField,
  }),
);

const pending = createRoute({
  method: 'get',
  path: '/surveys/pending',
  tags: ['Surveys'],
  middleware: [signedIn] as const,
  summary: 'Surveys waiting for the member',
  request: { query: z.strictObject({ locale: z.enum(LOCALES).optional() }) },
  responses: {
    200: {
      description: 'Pending surveys.',
      content: {
        'application/json': {
          schema: z.array(
            z.object({ slug: z.string(), instance: z.string(), title: z.string(), closesAt: z.string().nullable() }),
          ),
        },
      },
    },
    401: errorResponse('Not signed in.'),
  },
});

const definition = createRoute({
  method: 'get',
  path: '/surveys/{slug}',
  tags: ['Surveys'],
  middleware: [signedIn] as const,
  summary: 'A survey’s questions (nothing about other respondents)',
  request: { params: z.strictObject({ slug: Slug }), query: z.strictObject({ locale: z.enum(LOCALES).optional() }) },
  responses: {
    200: { description: 'The definition.', content: { 'application/json': { schema: z.looseObject({}) } } },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such survey.'),
  },
});

const respond = createRoute({
  method: 'post',
  path: '/surveys/{slug}/responses',
  tags: ['Surveys'],
  middleware: [signedIn, bodyLimit(64 * 1024), rateLimit(SURVEY_RESPONSE_RATE)] as const,
  summary: 'Answer a survey (once per instance)',
  description:
    'Anonymous surveys store no user, session or address with the answers. 409 when already answered, 403 outside the audience or window, 400 with `details.fields["answers.<question>"]`.',
  request: {
    params: z.strictObject({ slug: Slug }),
    body: {
      required: true,
      content: {
        'application/json': { schema: ResponseInput },
        'application/x-www-form-urlencoded': { schema: ResponseInput },
      },
    },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } },
    303: { description: 'HTML forms.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such survey.'),
    409: errorResponse('Already answered.'),
    ...writeErrorResponses,
    403: errorResponse('Not in the audience, not invited, or the survey is closed.'),
  },
});

export const surveyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(pending, async (c) =>
    c.json(
      await surveys.pendingSurveys(
        c.var.db,
        await c.var.surveys(),
        requireUser(c).user.id,
        c.var.clock.now(),
        c.req.valid('query').locale,
      ),
      200,
    ),
  )
  .openapi(definition, async (c) =>
    c.json(
      surveys.surveyDefinition(await c.var.surveys(), c.req.valid('param').slug, c.req.valid('query').locale ?? 'en'),
      200,
    ),
  )
  .openapi(respond, async (c) => {
    const { user } = requireUser(c);
    const { slug } = c.req.valid('param');
    const input = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await surveys.respond(
      c.var.db,
      await c.var.surveys(),
      user.id,
      slug,
      input.instance,
      input.answers,
      c.var.clock.now(),
      c.var.pseudonymKey,
    );
    if (answersWithRedirect(c.req.raw))
      return redirectWithFlash(c, safeNextPath(input.next, '/surveys'), {
        kind: 'success',
        message: 'Thank you: your answers are in.',
      });
    return c.json(result, 201);
  });
