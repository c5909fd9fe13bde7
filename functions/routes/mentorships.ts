import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import { Id, LocalDateTimeSchema, resolveLocalDateTime, TimezoneSchema } from '../schemas/mentoring.ts';
import * as spaces from '../services/mentoring/mentorships.ts';
import type { AppEnv } from '../types.ts';

/** Messages and updates in a space: generous for two people, dull for a script. */
export const SPACE_WRITE_RATE = { name: 'mentorship-write', limit: 60, windowSeconds: 600 };

const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const write = (limit = 16 * 1024) => [allowed('use:mentoring:own'), bodyLimit(limit), rateLimit(SPACE_WRITE_RATE)];
const params = z.strictObject({ id: Id('id') });
const common = {
  401: errorResponse('Not signed in.'),
  404: errorResponse('Not your mentorship.'),
  409: errorResponse('The mentorship has ended.'),
  ...writeErrorResponses,
};

const routes = {
  get: createRoute({
    method: 'get',
    path: '/mentorships/{id}',
    tags: ['Mentorships'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'The private space: people, goals, sessions, check-ins and messages (the pair only)',
    request: { params },
    responses: {
      200: ok('The space.'),
      401: errorResponse('Not signed in.'),
      404: errorResponse('Not your mentorship.'),
    },
  }),
  staffRead: createRoute({
    method: 'post',
    path: '/mentorships/{id}/staff-read',
    tags: ['Mentorships'],
    middleware: [allowed('read:mentorship:any'), bodyLimit(4096)] as const,
    summary: 'Coordinators read a space: needs an open report on it, or a reason (audited either way)',
    request: {
      params,
      body: {
        required: false,
        content: { 'application/json': { schema: z.strictObject({ reason: z.string().trim().max(500).optional() }) } },
      },
    },
    responses: {
      200: ok('The space.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('No open report and no reason given.'),
      404: errorResponse('No such mentorship.'),
    },
  }),
  message: createRoute({
    method: 'post',
    path: '/mentorships/{id}/messages',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Post a message (Markdown, sanitized on the server)',
    request: {
      params,
      body: jsonOrForm(
        z.strictObject({
          body: z.string().trim().min(1, 'Write a message first.').max(8000, 'At most 8,000 characters.'),
          next: nextField,
        }),
      ),
    },
    responses: { ...common, 201: ok('The message.'), 303: { description: 'HTML forms.' } },
  }),
  goal: createRoute({
    method: 'post',
    path: '/mentorships/{id}/goals',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Add a shared goal',
    request: {
      params,
      body: jsonOrForm(
        z.strictObject({
          title: z.string().trim().min(3, 'Name the goal.').max(200),
          targetDate: z
            .union([z.literal(''), z.iso.date()])
            .optional()
            .transform((v) => v || undefined),
          next: nextField,
        }),
      ),
    },
    responses: { ...common, 201: ok('The goal.'), 303: { description: 'HTML forms.' } },
  }),
  updateGoal: createRoute({
    method: 'post',
    path: '/mentorships/{id}/goals/{goalId}',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Update a goal’s status or progress',
    request: {
      params: z.strictObject({ id: Id('id'), goalId: Id('goalId') }),
      body: jsonOrForm(
        z.strictObject({
          status: z.enum(['not-started', 'in-progress', 'done']).optional(),
          progress: z.coerce.number().int().min(0).max(100).optional(),
          next: nextField,
        }),
      ),
    },
    responses: { ...common, 200: ok('The goal.'), 303: { description: 'HTML forms.' } },
  }),
  session: createRoute({
    method: 'post',
    path: '/mentorships/{id}/sessions',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Schedule a session',
    request: {
      params,
      body: jsonOrForm(
        z
          .strictObject({
            startsAt: LocalDateTimeSchema,
            timezone: TimezoneSchema.optional().openapi({
              description: 'HTML forms: the zone a datetime-local value is in.',
            }),
            durationMinutes: z.coerce.number().int().min(10).max(240),
            videoUrl: z
              .union([z.literal(''), z.url({ protocol: /^https$/, error: 'Use an https:// link.' })])
              .optional()
              .transform((v) => v || undefined),
            agenda: z.string().trim().max(1000).optional(),
            next: nextField,
          })
          .transform(({ startsAt, timezone, ...rest }, ctx) => {
            const at = resolveLocalDateTime(startsAt, timezone);
            if (!at || Number.isNaN(at.getTime())) {
              ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'Give a date and time.' });
              return z.NEVER;
            }
            return { ...rest, startsAt: at };
          }),
      ),
    },
    responses: { ...common, 201: ok('The session.'), 303: { description: 'HTML forms.' } },
  }),
  ics: createRoute({
    method: 'get',
    path: '/mentorships/{id}/sessions/{file}',
    tags: ['Mentorships'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'A session as a calendar file',
    request: {
      params: z.strictObject({
        id: Id('id'),
        file: z
          .string()
          .regex(/^[0-9a-f-]{36}\.ics$/, 'Ask for <session id>.ics.')
          .openapi({ param: { name: 'file', in: 'path' }, example: '3f1c…-….ics' }),
      }),
    },
    responses: {
      200: { description: 'text/calendar' },
      401: errorResponse('Not signed in.'),
      404: errorResponse('Not found.'),
    },
  }),
  checkIn: createRoute({
    method: 'post',
    path: '/mentorships/{id}/check-ins',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Check in: progress, confidence from 1 to 5, anything blocking',
    request: {
      params,
      body: jsonOrForm(
        z.strictObject({
          progress: z.string().trim().min(1, 'Say how things are going.').max(2000),
          confidence: z.coerce.number().int().min(1, 'From 1 to 5.').max(5, 'From 1 to 5.'),
          blockers: z.string().trim().max(2000).optional(),
          sessionId: z
            .union([z.literal(''), z.uuid()])
            .optional()
            .transform((v) => v || undefined),
          next: nextField,
        }),
      ),
    },
    responses: { ...common, 201: ok('The check-in.'), 303: { description: 'HTML forms.' } },
  }),
  end: createRoute({
    method: 'post',
    path: '/mentorships/{id}/end',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'End the mentorship with a reason (the mentee may ask for a rematch)',
    request: {
      params,
      body: jsonOrForm(
        z.strictObject({
          reason: z.string().trim().min(3, 'Say briefly why.').max(1000),
          outcome: z.enum(['completed', 'ended_early']).default('completed'),
          rematch: z
            .union([z.boolean(), z.enum(['on', 'true'])])
            .optional()
            .transform((v) => v === true || v === 'on' || v === 'true'),
          next: nextField,
        }),
      ),
    },
    responses: { ...common, 200: ok('Ended.'), 303: { description: 'HTML forms.' } },
  }),
  extend: createRoute({
    method: 'post',
    path: '/mentorships/{id}/extend',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Extend the planned end by some weeks',
    request: {
      params,
      body: jsonOrForm(z.strictObject({ weeks: z.coerce.number().int().min(1).max(16), next: nextField })),
    },
    responses: { ...common, 200: ok('The new end date.'), 303: { description: 'HTML forms.' } },
  }),
  report: createRoute({
    method: 'post',
    path: '/mentorships/{id}/reports',
    tags: ['Mentorships'],
    middleware: write(),
    summary: 'Report a concern to the coordinators (urgent)',
    request: {
      params,
      body: jsonOrForm(
        z.strictObject({ reason: z.string().trim().min(3, 'Tell us what worries you.').max(2000), next: nextField }),
      ),
    },
    responses: { ...common, 201: ok('Sent.'), 303: { description: 'HTML forms.' } },
  }),
};

export const mentorshipRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.get, async (c) =>
    c.json(await spaces.getForParty(c.var.db, c.req.valid('param').id, requireUser(c).user.id), 200),
  )
  .openapi(routes.staffRead, async (c) => {
    const body = c.req.header('content-type') ? c.req.valid('json') : {};
    return c.json(
      await spaces.readAsStaff(c.var.db, c.req.valid('param').id, requireUser(c).user, body.reason, c.var.clock.now()),
      200,
    );
  })
  .openapi(routes.message, async (c) => {
    const { id } = c.req.valid('param');
    const { body, next } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await spaces.postMessage(c.var.db, id, requireUser(c).user.id, body, c.var.clock.now());
    return answerJsonOrRedirect(c, saved, 201, {
      message: 'Message sent.',
      fallback: `/mentorships/${id}`,
      next: next,
      anchor: 'messages',
    });
  })
  .openapi(routes.goal, async (c) => {
    const { id } = c.req.valid('param');
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.addGoal(c.var.db, id, requireUser(c).user.id, body, c.var.clock.now()),
      201,
      { message: 'Goal added.', fallback: `/mentorships/${id}`, next: next, anchor: 'goals' },
    );
  })
  .openapi(routes.updateGoal, async (c) => {
    const { id, goalId } = c.req.valid('param');
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.updateGoal(c.var.db, id, goalId, requireUser(c).user.id, body, c.var.clock.now()),
      200,
      { message: 'Goal updated.', fallback: `/mentorships/${id}`, next: next, anchor: 'goals' },
    );
  })
  .openapi(routes.session, async (c) => {
    const { id } = c.req.valid('param');
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.addSession(c.var.db, id, requireUser(c).user.id, body, c.var.clock.now()),
      201,
      { message: 'Session scheduled.', fallback: `/mentorships/${id}`, next: next, anchor: 'sessions' },
    );
  })
  .openapi(routes.ics, async (c) => {
    const { id, file } = c.req.valid('param');
    const sid = file.slice(0, -'.ics'.length);
    const ics = await spaces.sessionIcs(c.var.db, id, sid, requireUser(c).user.id, c.var.siteUrl, c.var.clock.now());
    return c.body(ics, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="hearth-session-${sid.slice(0, 8)}.ics"`,
    });
  })
  .openapi(routes.checkIn, async (c) => {
    const { id } = c.req.valid('param');
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.addCheckIn(c.var.db, id, requireUser(c).user.id, body, c.var.clock.now()),
      201,
      { message: 'Check-in saved. Thank you.', fallback: `/mentorships/${id}`, next: next, anchor: 'check-ins' },
    );
  })
  .openapi(routes.end, async (c) => {
    const { id } = c.req.valid('param');
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.end(
        c.var.db,
        c.var.mail,
        await c.var.surveys(),
        c.var.siteUrl,
        id,
        requireUser(c).user.id,
        body,
        c.var.clock.now(),
      ),
      200,
      { message: 'The mentorship has ended. Thank you both.', fallback: `/mentorships/${id}`, next: next },
    );
  })
  .openapi(routes.extend, async (c) => {
    const { id } = c.req.valid('param');
    const { next, weeks } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.extend(c.var.db, id, requireUser(c).user.id, weeks, c.var.clock.now()),
      200,
      { message: `Extended by ${weeks} weeks.`, fallback: `/mentorships/${id}`, next: next },
    );
  })
  .openapi(routes.report, async (c) => {
    const { id } = c.req.valid('param');
    const { next, reason } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    return answerJsonOrRedirect(
      c,
      await spaces.report(c.var.db, c.var.mail, c.var.siteUrl, id, requireUser(c).user.id, reason, c.var.clock.now()),
      201,
      {
        message: 'Your concern has gone to the coordinators. If anyone is in danger now, call emergency services.',
        fallback: `/mentorships/${id}`,
        next: next,
      },
    );
  });
