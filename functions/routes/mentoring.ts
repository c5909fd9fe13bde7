import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { APPLICATION_STATUSES } from '#db/schema/index.ts';
import { TOPICS } from '#src/lib/content/schema.ts';
import { can } from '../auth/permissions.ts';
import { answerJsonOrRedirect, isFormRequest } from '../lib/forms.ts';
import { bodyLimit } from '../middleware/body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { allowed, requireUser } from '../middleware/session.ts';
import { errorResponse, jsonOrForm, nextField, writeErrorResponses } from '../schemas/common.ts';
import {
  ApplicationInputSchema,
  DecisionInputSchema,
  Id,
  ProfileInputSchema,
  RequestInputSchema,
  ReviewInputSchema,
} from '../schemas/mentoring.ts';
import * as applications from '../services/mentoring/applications.ts';
import * as dashboard from '../services/mentoring/dashboard.ts';
import * as mentors from '../services/mentoring/mentors.ts';
import * as requests from '../services/mentoring/requests.ts';
import { setMatchingSettings } from '../services/mentoring/shared.ts';
import type { AppEnv } from '../types.ts';

/** A few writes a minute per address: enough for a person, dull for a script. */
export const MENTORING_WRITE_RATE = { name: 'mentoring-write', limit: 20, windowSeconds: 600 };

const ok = (description: string, schema: z.ZodType = z.looseObject({})) => ({
  description,
  content: { 'application/json': { schema } },
});
const member = [allowed('use:mentoring:own')] as const;
const staff = [allowed('manage:mentoring:any')] as const;
const write = (limit = 16 * 1024) => [bodyLimit(limit), rateLimit(MENTORING_WRITE_RATE)] as const;
const common = { 401: errorResponse('Not signed in.'), 404: errorResponse('Not found.'), ...writeErrorResponses };

const routes = {
  apply: createRoute({
    method: 'post',
    path: '/mentoring/applications',
    tags: ['Mentoring'],
    middleware: [...member, ...write()] as const,
    summary: 'Apply to be a mentor',
    description:
      'Needs a current Mentor foundations completion (403 `training_required` otherwise) and agreement to the current pledge.',
    request: { body: jsonOrForm(ApplicationInputSchema) },
    responses: {
      ...common,
      201: ok('The application.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('Already a mentor, or an application is open.'),
    },
  }),
  mine: createRoute({
    method: 'get',
    path: '/mentoring/applications/mine',
    tags: ['Mentoring'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'The member’s latest application and its status',
    responses: { 200: ok('The application, or null.'), 401: errorResponse('Not signed in.') },
  }),
  list: createRoute({
    method: 'get',
    path: '/mentoring/applications',
    tags: ['Mentoring'],
    middleware: [allowed('manage:mentoring:any')] as const,
    summary: 'The review queue (coordinators)',
    request: { query: z.strictObject({ status: z.enum(APPLICATION_STATUSES).optional() }) },
    responses: {
      200: ok('Applications, oldest first.'),
      400: errorResponse('Bad status.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
    },
  }),
  review: createRoute({
    method: 'post',
    path: '/mentoring/applications/{id}/review',
    tags: ['Mentoring'],
    middleware: [...staff, bodyLimit(16 * 1024)] as const,
    summary: 'Score against the rubric, keep notes, propose an interview slot (coordinators)',
    request: { params: z.strictObject({ id: Id('id') }), body: jsonOrForm(ReviewInputSchema) },
    responses: {
      ...common,
      200: ok('Saved.'),
      303: { description: 'HTML forms.' },
      403: errorResponse('Coordinators only.'),
      409: errorResponse('Already decided.'),
    },
  }),
  decide: createRoute({
    method: 'post',
    path: '/mentoring/applications/{id}/decision',
    tags: ['Mentoring'],
    middleware: [...staff, bodyLimit(16 * 1024)] as const,
    summary: 'Approve (grants the mentor role), decline with a message, or waitlist (coordinators)',
    request: { params: z.strictObject({ id: Id('id') }), body: jsonOrForm(DecisionInputSchema) },
    responses: {
      ...common,
      200: ok('Decided.'),
      303: { description: 'HTML forms.' },
      403: errorResponse('Coordinators only.'),
      409: errorResponse('Already decided.'),
    },
  }),
  interviewIcs: createRoute({
    method: 'get',
    path: '/mentoring/applications/{id}/interview.ics',
    tags: ['Mentoring'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'The interview slot as a calendar file (the applicant or coordinators)',
    request: { params: z.strictObject({ id: Id('id') }) },
    responses: {
      200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
      401: errorResponse('Not signed in.'),
      404: errorResponse('No such application, or no interview proposed.'),
    },
  }),
  mentors: createRoute({
    method: 'get',
    path: '/mentors',
    tags: ['Mentoring'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'Mentor directory, filtered by topic and language',
    request: {
      query: z.strictObject({
        topic: z.enum(TOPICS).optional(),
        language: z
          .string()
          .regex(/^[a-z]{2}$/)
          .optional(),
      }),
    },
    responses: {
      200: ok('Mentors, available first.'),
      400: errorResponse('Bad filter.'),
      401: errorResponse('Not signed in.'),
    },
  }),
  profile: createRoute({
    method: 'put',
    path: '/mentoring/profile',
    tags: ['Mentoring'],
    middleware: [...member, ...write()] as const,
    summary: 'Update the mentor’s own profile',
    request: { body: { required: true, content: { 'application/json': { schema: ProfileInputSchema } } } },
    responses: { ...common, 200: ok('The profile.'), 403: errorResponse('Not a mentor.') },
  }),
  profileForm: createRoute({
    method: 'post',
    path: '/mentoring/profile',
    tags: ['Mentoring'],
    middleware: [...member, ...write()] as const,
    summary: 'Update the mentor’s own profile (HTML form)',
    request: { body: jsonOrForm(ProfileInputSchema) },
    responses: {
      ...common,
      200: ok('The profile.'),
      303: { description: 'HTML forms.' },
      403: errorResponse('Not a mentor.'),
    },
  }),
  createRequest: createRoute({
    method: 'post',
    path: '/mentoring/requests',
    tags: ['Mentoring'],
    middleware: [...member, ...write()] as const,
    summary: 'Ask for a mentor (one open request at a time)',
    request: { body: jsonOrForm(RequestInputSchema) },
    responses: {
      ...common,
      201: ok('The request.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('A request is already open, or a mentorship is active.'),
    },
  }),
  withdraw: createRoute({
    method: 'post',
    path: '/mentoring/requests/{id}/withdraw',
    tags: ['Mentoring'],
    middleware: [...member, ...write(4096)] as const,
    summary: 'Withdraw an open request',
    request: { params: z.strictObject({ id: Id('id') }), body: jsonOrForm(z.strictObject({ next: nextField })) },
    responses: { ...common, 200: ok('Withdrawn.'), 303: { description: 'HTML forms.' } },
  }),
  suggestions: createRoute({
    method: 'get',
    path: '/mentoring/requests/{id}/suggestions',
    tags: ['Mentoring'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'Ranked mentors for a request, with the score explained per factor',
    request: { params: z.strictObject({ id: Id('id') }) },
    responses: {
      200: ok('Suggestions, best first.'),
      401: errorResponse('Not signed in.'),
      404: errorResponse('Not your request.'),
    },
  }),
  choose: createRoute({
    method: 'post',
    path: '/mentoring/requests/{id}/choose',
    tags: ['Mentoring'],
    middleware: [...member, ...write(4096)] as const,
    summary: 'Choose one of the top three suggestions (mentee-picks mode)',
    request: {
      params: z.strictObject({ id: Id('id') }),
      body: jsonOrForm(z.strictObject({ mentorId: z.uuid(), next: nextField })),
    },
    responses: {
      ...common,
      201: ok('Proposed to the mentor.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('Not open, or coordinators propose.'),
    },
  }),
  proposals: createRoute({
    method: 'get',
    path: '/mentoring/proposals',
    tags: ['Mentoring'],
    middleware: [allowed('use:mentoring:own')] as const,
    summary: 'Proposals waiting for the mentor’s answer',
    responses: { 200: ok('Pending proposals, soonest deadline first.'), 401: errorResponse('Not signed in.') },
  }),
  accept: createRoute({
    method: 'post',
    path: '/mentoring/proposals/{id}/accept',
    tags: ['Mentoring'],
    middleware: [...member, ...write(4096)] as const,
    summary: 'Accept a proposal: the mentorship starts (capacity is enforced atomically)',
    request: { params: z.strictObject({ id: Id('id') }), body: jsonOrForm(z.strictObject({ next: nextField })) },
    responses: {
      ...common,
      200: ok('The mentorship id.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('At capacity, or already answered.'),
    },
  }),
  decline: createRoute({
    method: 'post',
    path: '/mentoring/proposals/{id}/decline',
    tags: ['Mentoring'],
    middleware: [...member, ...write(4096)] as const,
    summary: 'Decline a proposal with a reason; the request returns to the queue',
    request: {
      params: z.strictObject({ id: Id('id') }),
      body: jsonOrForm(
        z.strictObject({ reason: z.string().trim().min(3, 'Say briefly why.').max(500), next: nextField }),
      ),
    },
    responses: {
      ...common,
      200: ok('Declined.'),
      303: { description: 'HTML forms.' },
      409: errorResponse('Already answered.'),
    },
  }),
  dashboard: createRoute({
    method: 'get',
    path: '/mentoring/dashboard',
    tags: ['Mentoring'],
    middleware: [allowed('manage:mentoring:any')] as const,
    summary: 'Pipeline counts and the list behind each (coordinators); aggregates only, no message content',
    responses: {
      200: ok('The pipeline.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
    },
  }),
  dashboardCsv: createRoute({
    method: 'get',
    path: '/mentoring/dashboard.csv',
    tags: ['Mentoring'],
    middleware: [allowed('manage:mentoring:any')] as const,
    summary: 'The pipeline lists as CSV (coordinators)',
    responses: {
      200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
    },
  }),
  settings: createRoute({
    method: 'post',
    path: '/mentoring/settings',
    tags: ['Mentoring'],
    middleware: [...staff, bodyLimit(4096)] as const,
    summary: 'Matching weights and mode (coordinators)',
    request: {
      body: jsonOrForm(
        z.strictObject({
          topics: z.coerce.number().min(0).max(10),
          availability: z.coerce.number().min(0).max(10),
          load: z.coerce.number().min(0).max(10),
          newPair: z.coerce.number().min(0).max(10),
          mode: z.enum(['mentee-picks', 'coordinator-proposes']),
          next: nextField,
        }),
      ),
    },
    responses: {
      ...common,
      200: ok('Saved.'),
      303: { description: 'HTML forms.' },
      403: errorResponse('Coordinators only.'),
    },
  }),
  bulkPreview: createRoute({
    method: 'get',
    path: '/mentoring/bulk-proposals',
    tags: ['Mentoring'],
    middleware: [allowed('manage:mentoring:any')] as const,
    summary: 'A global assignment of open requests to mentors, to review before sending (coordinators)',
    responses: {
      200: ok('The proposed assignment; nothing is saved.'),
      401: errorResponse('Not signed in.'),
      403: errorResponse('Coordinators only.'),
    },
  }),
  bulkSend: createRoute({
    method: 'post',
    path: '/mentoring/bulk-proposals',
    tags: ['Mentoring'],
    middleware: [...staff, bodyLimit(256 * 1024)] as const,
    summary: 'Send the reviewed proposals (coordinators)',
    request: {
      body: jsonOrForm(
        z.strictObject({
          assignments: z.preprocess(
            (v) => (typeof v === 'string' ? [v] : v),
            z
              .array(
                z.union([
                  z.strictObject({ requestId: z.uuid(), mentorId: z.uuid() }),
                  // HTML forms send "requestId:mentorId" per checked row.
                  z
                    .string()
                    .regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/)
                    .transform((s) => ({ requestId: s.slice(0, 36), mentorId: s.slice(37) })),
                ]),
              )
              .min(1, 'Choose at least one proposal to send.')
              .max(1000),
          ),
          next: nextField,
        }),
      ),
    },
    responses: {
      ...common,
      200: ok('How many were sent, and why any were skipped.'),
      303: { description: 'HTML forms.' },
      403: errorResponse('Coordinators only.'),
    },
  }),
};

export const mentoringRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.apply, async (c) => {
    const { user } = requireUser(c);
    const { next, pledge: _pledge, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await applications.apply(c.var.db, user.id, body, c.var.clock.now());
    return answerJsonOrRedirect(c, saved, 201, {
      message: 'Thank you: your application is with the coordinators.',
      fallback: '/mentoring/application',
      next: next,
    });
  })
  .openapi(routes.mine, async (c) =>
    c.json({ application: await applications.mine(c.var.db, requireUser(c).user.id) }, 200),
  )
  .openapi(routes.list, async (c) =>
    c.json({ applications: await applications.list(c.var.db, c.req.valid('query').status) }, 200),
  )
  .openapi(routes.review, async (c) => {
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await applications.review(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      c.req.valid('param').id,
      body,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 200, {
      message: 'Review saved.',
      fallback: '/coordinator/mentoring/applications/',
      next: next,
    });
  })
  .openapi(routes.decide, async (c) => {
    const { user } = requireUser(c);
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await applications.decide(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      c.req.valid('param').id,
      user.id,
      body,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 200, {
      message: `Application ${saved.status}. The applicant has been told.`,
      fallback: '/coordinator/mentoring/applications/',
      next: next,
    });
  })
  .openapi(routes.interviewIcs, async (c) => {
    const { user } = requireUser(c);
    const { id } = c.req.valid('param');
    const ics = await applications.interviewIcs(
      c.var.db,
      id,
      { id: user.id, isStaff: can(user, 'manage:mentoring:any') },
      c.var.siteUrl,
      c.var.clock.now(),
    );
    return c.text(ics, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'attachment; filename="hearth-interview.ics"',
    });
  })
  .openapi(routes.mentors, async (c) =>
    c.json({ mentors: await mentors.listMentors(c.var.db, c.req.valid('query'), c.var.clock.now()) }, 200),
  )
  .openapi(routes.profile, async (c) => {
    const { next: _next, ...body } = c.req.valid('json');
    return c.json(
      await mentors.updateProfile(
        c.var.db,
        requireUser(c).user.id,
        { ...body, awayUntil: body.awayUntil ?? null },
        c.var.clock.now(),
      ),
      200,
    );
  })
  .openapi(routes.profileForm, async (c) => {
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await mentors.updateProfile(
      c.var.db,
      requireUser(c).user.id,
      { ...body, awayUntil: body.awayUntil ?? null },
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 200, {
      message: 'Profile saved.',
      fallback: '/mentoring/profile',
      next: next,
    });
  })
  .openapi(routes.createRequest, async (c) => {
    const { next, ...body } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await requests.createRequest(c.var.db, requireUser(c).user.id, body, c.var.clock.now());
    return answerJsonOrRedirect(c, saved, 201, {
      message: 'Your request is open. Here are the mentors who fit best.',
      fallback: `/mentoring/requests/${saved.id}`,
      next: next,
    });
  })
  .openapi(routes.withdraw, async (c) => {
    await requests.withdrawRequest(c.var.db, c.req.valid('param').id, requireUser(c).user.id, c.var.clock.now());
    return answerJsonOrRedirect(c, { status: 'withdrawn' }, 200, {
      message: 'Request withdrawn.',
      fallback: '/mentoring',
      next: (isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json')).next,
    });
  })
  .openapi(routes.suggestions, async (c) => {
    const { user } = requireUser(c);
    const asStaff = can(user, 'manage:mentoring:any');
    return c.json(
      {
        suggestions: await requests.suggestions(c.var.db, c.req.valid('param').id, user.id, asStaff, c.var.clock.now()),
      },
      200,
    );
  })
  .openapi(routes.choose, async (c) => {
    const { next, mentorId } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await requests.choose(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      c.req.valid('param').id,
      requireUser(c).user.id,
      mentorId,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 201, {
      message: 'Sent: your mentor has 7 days to answer, and we will tell you.',
      fallback: '/mentoring',
      next: next,
    });
  })
  .openapi(routes.proposals, async (c) =>
    c.json({ proposals: await requests.proposalsFor(c.var.db, requireUser(c).user.id) }, 200),
  )
  .openapi(routes.accept, async (c) => {
    const saved = await requests.accept(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      c.req.valid('param').id,
      requireUser(c).user.id,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 200, {
      message: 'Accepted: your new mentorship space is ready.',
      fallback: `/mentorships/${saved.mentorshipId}`,
      next: (isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json')).next,
    });
  })
  .openapi(routes.decline, async (c) => {
    const { next, reason } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await requests.decline(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      c.req.valid('param').id,
      requireUser(c).user.id,
      reason,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, saved, 200, {
      message: 'Declined. The request goes back to the queue.',
      fallback: '/mentoring/proposals',
      next: next,
    });
  })
  .openapi(routes.dashboard, async (c) => c.json(await dashboard.dashboard(c.var.db, c.var.clock.now()), 200))
  .openapi(routes.dashboardCsv, async (c) => {
    const data = await dashboard.dashboard(c.var.db, c.var.clock.now());
    return c.text(dashboard.dashboardCsv(data), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="hearth-mentoring-${c.var.clock.now().toISOString().slice(0, 10)}.csv"`,
    });
  })
  .openapi(routes.settings, async (c) => {
    const { next, mode, ...weights } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const saved = await setMatchingSettings(c.var.db, { weights, mode });
    return answerJsonOrRedirect(c, saved, 200, {
      message: 'Matching settings saved.',
      fallback: '/coordinator/mentoring/',
      next: next,
    });
  })
  .openapi(routes.bulkPreview, async (c) => c.json(await requests.previewBulk(c.var.db, c.var.clock.now()), 200))
  .openapi(routes.bulkSend, async (c) => {
    const { user } = requireUser(c);
    const { next, assignments } = isFormRequest(c.req.raw) ? c.req.valid('form') : c.req.valid('json');
    const result = await requests.sendBulk(
      c.var.db,
      c.var.mail,
      c.var.siteUrl,
      user.id,
      assignments,
      c.var.clock.now(),
    );
    return answerJsonOrRedirect(c, result, 200, {
      message: `Sent ${result.sent} proposals${result.skipped.length ? `; ${result.skipped.length} skipped` : ''}.`,
      fallback: '/coordinator/mentoring/',
      next: next,
    });
  });
