import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { answersWithRedirect, isFormRequest, redirectWithFlash, safeNextPath } from '../lib/forms.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { errorResponse, jsonOrForm, writeErrorResponses } from '../schemas/common.ts';
import {
  CheckInputSchema,
  CheckResultSchema,
  CompleteInputSchema,
  CompleteResultSchema,
  CompletionReportSchema,
  LessonParams,
  ProgressSchema,
} from '../schemas/training.ts';
import * as training from '../services/training.ts';
import type { AppEnv } from '../types.ts';

/** Enough for a member working through a track; too few to brute-force a check by script. */
export const CHECK_RATE = { name: 'training-check', limit: 30, windowSeconds: 600 };

const progress = createRoute({
  method: 'get',
  path: '/training/progress',
  tags: ['Training'],
  middleware: [allowed('update:training:own')] as const,
  summary: 'The member’s progress on every track',
  responses: {
    200: { description: 'Progress per track.', content: { 'application/json': { schema: ProgressSchema } } },
    401: errorResponse('Not signed in.'),
    503: errorResponse('The database is unreachable; see Retry-After.'),
  },
});

const complete = createRoute({
  method: 'post',
  path: '/training/{track}/lessons/{lesson}/complete',
  tags: ['Training'],
  middleware: [allowed('update:training:own'), bodyLimit(4 * 1024)] as const,
  summary: 'Mark a lesson as done',
  description:
    'A track is passed once every lesson is done and every knowledge check passed. An HTML form post is redirected to `next` (default: the track page).',
  request: { params: LessonParams, body: jsonOrForm(CompleteInputSchema) },
  responses: {
    200: { description: 'Done.', content: { 'application/json': { schema: CompleteResultSchema } } },
    303: { description: 'HTML form posts: on to `next`.' },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such track or lesson.'),
    ...writeErrorResponses,
  },
});

const check = createRoute({
  method: 'post',
  path: '/training/{track}/lessons/{lesson}/check',
  tags: ['Training'],
  middleware: [allowed('update:training:own'), bodyLimit(8 * 1024), rateLimit(CHECK_RATE)] as const,
  summary: 'Submit a knowledge check',
  description:
    'Graded on the server; answers are never sent to the browser before this. Every question needs an answer (`details.fields` names the missing ones). Passing the check also marks the lesson done.',
  request: {
    params: LessonParams,
    body: { required: true, content: { 'application/json': { schema: CheckInputSchema } } },
  },
  responses: {
    200: {
      description: 'The grade and an explanation per question.',
      content: { 'application/json': { schema: CheckResultSchema } },
    },
    401: errorResponse('Not signed in.'),
    404: errorResponse('No such track or lesson.'),
    ...writeErrorResponses,
  },
});

const report = createRoute({
  method: 'get',
  path: '/training/completions',
  tags: ['Training'],
  middleware: [allowed('read:training-report:any')] as const,
  summary: 'Completions and expiries per track (coordinators and admins)',
  responses: {
    200: {
      description: 'Per track, newest completion per member.',
      content: { 'application/json': { schema: CompletionReportSchema } },
    },
    401: errorResponse('Not signed in.'),
    403: errorResponse('Only coordinators and admins see completions.'),
    503: errorResponse('The database is unreachable; see Retry-After.'),
  },
});

export const trainingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(progress, async (c) => {
    const { user } = requireUser(c);
    const now = c.var.clock.now();
    const [result, eligibilities] = await Promise.all([
      training.getProgress(c.var.db, await c.var.training(), user.id, now),
      training.eligibilities(c.var.db, user.id, now),
    ]);
    return c.json({ ...result, eligibilities }, 200);
  })
  .openapi(complete, async (c) => {
    const { user } = requireUser(c);
    const { track, lesson } = c.req.valid('param');
    const input = isFormRequest(c.req.raw)
      ? c.req.valid('form')
      : c.req.header('content-type')
        ? c.req.valid('json')
        : {};
    const result = await training.completeLesson(
      c.var.db,
      await c.var.training(),
      await c.var.surveys(),
      user.id,
      track,
      lesson,
      c.var.clock.now(),
    );
    if (answersWithRedirect(c.req.raw)) {
      const back = safeNextPath(input.next, `/training/${track}/`);
      const message = result.trackCompleted
        ? 'Well done: you have completed this track. Your certificate is ready.'
        : 'Lesson marked as done.';
      return redirectWithFlash(c, back, { kind: 'success', message });
    }
    return c.json(result, 200);
  })
  .openapi(check, async (c) => {
    const { user } = requireUser(c);
    const { track, lesson } = c.req.valid('param');
    const { answers, locale } = c.req.valid('json');
    const result = await training.submitCheck(
      c.var.db,
      await c.var.training(),
      await c.var.surveys(),
      user.id,
      track,
      lesson,
      answers,
      locale ?? 'en',
      c.var.clock.now(),
    );
    return c.json(result, 200);
  })
  .openapi(report, async (c) => {
    const tracks = await training.completionReport(c.var.db, await c.var.training(), c.var.clock.now());
    return c.json({ tracks }, 200);
  });
