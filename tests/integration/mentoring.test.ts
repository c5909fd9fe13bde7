import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { auditEvents, mentorApplications, mentorProposals, mentorships, outbox, userRoles } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { PLEDGE_VERSION } from '#functions/services/mentoring/applications.ts';
import { processProposalDeadlines } from '#functions/services/mentoring/requests.ts';
import { outboxTransport } from '#functions/mail/transport.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';
import { createMentor, createTrainedMember, EVENINGS, requestBody } from '#tests/factories/mentoring.ts';

const DAY = 86_400_000;
type Json = Record<string, unknown> & { error?: { code: string; details?: { fields?: Record<string, string> } } };

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const as = async (userId: string) => withSession((await createSession(db, userId, t.clock.now())).token);
  const json = async (res: Response) => (await res.json()) as Json;
  return { db, t, as, json };
}

const application = {
  motivation: 'I struggled in my first year and want to help others feel less alone.',
  experience: 'Peer supporter for a year; I ran a study group.',
  topics: ['study-skills', 'wellbeing'],
  languages: ['en', 'es'],
  timezone: 'Europe/Madrid',
  availability: EVENINGS,
  capacity: 2,
  pledgeVersion: PLEDGE_VERSION,
  pledge: true,
};

describe('becoming a mentor', () => {
  it('needs a current Mentor foundations completion, and one application at a time', async () => {
    const { db, t, as, json } = await setup();
    const untrained = await createUser(db);
    const refused = await t.postJson('/api/mentoring/applications', application, { headers: await as(untrained.id) });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error?.code).toBe('training_required');

    const trained = await createTrainedMember(db, t.clock.now());
    const headers = await as(trained.id);
    const created = await t.postJson('/api/mentoring/applications', application, { headers });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ status: 'pending', capacity: 2 });
    expect((await t.postJson('/api/mentoring/applications', application, { headers })).status).toBe(409);
    const mine = await json(await t.request('/api/mentoring/applications/mine', { headers }));
    expect(mine.application).toMatchObject({ status: 'pending' });
    // Coordinators' notes and scores never reach the applicant.
    expect(JSON.stringify(mine)).not.toMatch(/notes|scores/);
  });

  it('names each invalid field, including the pledge and the availability', async () => {
    const { db, t, as, json } = await setup();
    const trained = await createTrainedMember(db, t.clock.now());
    const res = await t.postJson(
      '/api/mentoring/applications',
      {
        ...application,
        capacity: 9,
        availability: [{ day: 0, start: '20:00', end: '19:00' }],
        pledge: false,
        timezone: 'Mars/Base',
      },
      { headers: await as(trained.id) },
    );
    expect(res.status).toBe(400);
    expect(Object.keys((await json(res)).error!.details!.fields!).sort()).toEqual([
      'availability',
      'capacity',
      'pledge',
      'timezone',
    ]);
  });

  it('coordinators score, propose an interview, and approve: the role, the profile and a mail follow', async () => {
    const { db, t, as, json } = await setup();
    const trained = await createTrainedMember(db, t.clock.now(), { email: 'new-mentor@example.org' });
    const { id } = await json(
      await t.postJson('/api/mentoring/applications', application, { headers: await as(trained.id) }),
    );
    const coordinator = await createUser(db, { roles: ['coordinator'] });
    const staff = await as(coordinator.id);
    expect((await t.request('/api/mentoring/applications', { headers: await as(trained.id) })).status).toBe(403);
    const queue = await json(await t.request('/api/mentoring/applications', { headers: staff }));
    expect((queue.applications as { id: string }[]).map((a) => a.id)).toEqual([id]);
    const review = await t.postJson(
      `/api/mentoring/applications/${id}/review`,
      { scores: { communication: 4, empathy: 5 }, notes: 'Warm and clear.', interviewAt: '2026-11-25T17:00:00Z' },
      { headers: staff },
    );
    expect(await json(review)).toMatchObject({ status: 'interview' });
    // A plain HTML form: rubric fields named scores.*, a local interview time with its zone.
    const formReview = await t.postForm(
      `/api/mentoring/applications/${id}/review`,
      { 'scores.reliability': '3', 'scores.fit': '4', interviewAt: '2026-11-26T18:00', timezone: 'Europe/Madrid' },
      { headers: { ...staff, accept: 'application/json' } },
    );
    expect(formReview.status).toBe(200);
    const [stored] = await db
      .select()
      .from(mentorApplications)
      .where(eq(mentorApplications.id, id as string));
    expect(stored!.scores).toEqual({ communication: 4, empathy: 5, reliability: 3, fit: 4 });
    expect(stored!.interviewAt!.toISOString()).toBe('2026-11-26T17:00:00.000Z');
    const invite = await t.request(`/api/mentoring/applications/${id}/interview.ics`, {
      headers: await as(trained.id),
    });
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await invite.text())).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-26T17:00:00.000Z');
    const stranger = await createUser(db);
    expect(
      (await t.request(`/api/mentoring/applications/${id}/interview.ics`, { headers: await as(stranger.id) })).status,
    ).toBe(404);
    const decline = await t.postJson(
      `/api/mentoring/applications/${id}/decision`,
      { decision: 'decline' },
      { headers: staff },
    );
    expect((await json(decline)).error?.details?.fields).toHaveProperty('message');
    const approve = await t.postJson(
      `/api/mentoring/applications/${id}/decision`,
      { decision: 'approve' },
      { headers: staff },
    );
    expect(await json(approve)).toMatchObject({ status: 'approved' });
    const roles = await db
      .select()
      .from(userRoles)
      .where(eq(userRoles.userId, trained.id as string));
    expect(roles.map((r) => r.role)).toEqual(['mentor']);
    const mails = await db.select().from(outbox).where(eq(outbox.toAddress, 'new-mentor@example.org'));
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining('conversation'),
      expect.stringContaining('conversation'),
      expect.stringContaining('now a Hearth mentor'),
    ]);
    const directory = await json(await t.request('/api/mentors?topic=wellbeing&language=es', { headers: staff }));
    expect((directory.mentors as { id: string; available: boolean }[])[0]).toMatchObject({
      id: trained.id,
      available: true,
    });
  });
});

describe('asking for a mentor and matching', () => {
  it('suggests mentors with an explained score, sends the mentee’s choice, and starts the mentorship on acceptance', async () => {
    const { db, t, as, json } = await setup();
    const now = t.clock.now();
    const good = await createMentor(db, now, {
      displayName: 'Priya',
      topics: ['study-skills'],
      languages: ['en', 'es'],
    });
    await createMentor(db, now, {
      displayName: 'Sam',
      topics: ['wellbeing'],
      languages: ['en'],
      timezone: 'Asia/Tokyo',
    });
    await createMentor(db, now, { displayName: 'Nadia', languages: ['fr'] }); // no shared language: never suggested
    const mentee = await createUser(db, { displayName: 'Kenji' });
    const headers = await as(mentee.id);
    const created = await t.postJson('/api/mentoring/requests', requestBody(), { headers });
    expect(created.status).toBe(201);
    const { id } = await json(created);
    expect((await t.postJson('/api/mentoring/requests', requestBody(), { headers })).status).toBe(409);

    const { suggestions } = (await json(
      await t.request(`/api/mentoring/requests/${id}/suggestions`, { headers }),
    )) as unknown as {
      suggestions: {
        mentor: { id: string; displayName: string };
        score: number;
        factors: Record<string, { detail: string }>;
      }[];
    };
    expect(suggestions.map((s) => s.mentor.displayName)).toEqual(['Priya', 'Sam']);
    expect(suggestions[0]!.factors.availability!.detail).toMatch(/h a week/);
    expect(suggestions[0]!.score).toBeGreaterThan(suggestions[1]!.score);
    // Someone else cannot see the request.
    const other = await createUser(db);
    expect((await t.request(`/api/mentoring/requests/${id}/suggestions`, { headers: await as(other.id) })).status).toBe(
      404,
    );

    const chosen = await t.postJson(`/api/mentoring/requests/${id}/choose`, { mentorId: good.id }, { headers });
    expect(chosen.status).toBe(201);
    const mentorHeaders = await as(good.id);
    // The mentor is told in the notification centre as well as by mail.
    const inbox = await json(await t.request('/api/notifications', { headers: mentorHeaders }));
    expect(inbox).toMatchObject({
      unread: 1,
      notifications: [{ kind: 'mentoring.proposalForMentor', url: '/mentoring/proposals', read: false }],
    });
    expect(
      (await json(await t.postJson('/api/notifications/read', { all: true }, { headers: mentorHeaders }))).marked,
    ).toBe(1);
    expect((await json(await t.request('/api/notifications', { headers: mentorHeaders }))).unread).toBe(0);
    // Nobody can mark someone else's notifications.
    expect((await json(await t.postJson('/api/notifications/read', { all: true }, { headers }))).marked).toBe(0);
    const { proposals } = (await json(
      await t.request('/api/mentoring/proposals', { headers: mentorHeaders }),
    )) as unknown as {
      proposals: { id: string; menteeName: string }[];
    };
    expect(proposals.map((p) => p.menteeName)).toEqual(['Kenji']);
    const accepted = await json(
      await t.postJson(`/api/mentoring/proposals/${proposals[0]!.id}/accept`, {}, { headers: mentorHeaders }),
    );
    const space = await json(await t.request(`/api/mentorships/${accepted.mentorshipId}`, { headers }));
    expect(space).toMatchObject({ status: 'active', you: 'mentee', mentor: { displayName: 'Priya' } });
  });

  it('never pushes a mentor over capacity, even when two acceptances race', async () => {
    const { db, t, as, json } = await setup();
    const now = t.clock.now();
    const mentor = await createMentor(db, now, { capacity: 1 });
    const proposalIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const mentee = await createUser(db);
      const headers = await as(mentee.id);
      const { id } = await json(
        await t.postJson('/api/mentoring/requests', requestBody(), { headers, ip: `198.51.100.${i}` }),
      );
      const proposal = await json(
        await t.postJson(
          `/api/mentoring/requests/${id}/choose`,
          { mentorId: mentor.id },
          { headers, ip: `198.51.100.${i}` },
        ),
      );
      proposalIds.push(proposal.id as string);
    }
    const headers = await as(mentor.id);
    const results = await Promise.all(
      proposalIds.map((p) => t.postJson(`/api/mentoring/proposals/${p}/accept`, {}, { headers })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const active = await db.select().from(mentorships).where(eq(mentorships.mentorId, mentor.id));
    expect(active).toHaveLength(1);
  });

  it('nudges on days 3 and 6, and returns the request to the queue after 7 days', async () => {
    const { db, t, as, json } = await setup();
    const mentor = await createMentor(db, t.clock.now(), { displayName: 'Slow' });
    const mentee = await createUser(db);
    const headers = await as(mentee.id);
    const { id } = await json(await t.postJson('/api/mentoring/requests', requestBody(), { headers }));
    await t.postJson(`/api/mentoring/requests/${id}/choose`, { mentorId: mentor.id }, { headers });
    const run = (days: number) =>
      processProposalDeadlines(
        db,
        outboxTransport,
        'https://hearth.test',
        new Date(t.clock.now().getTime() + days * DAY),
      );
    expect(await run(1)).toEqual({ nudged: 0, expired: 0 });
    expect(await run(3.1)).toEqual({ nudged: 1, expired: 0 });
    expect(await run(3.5)).toEqual({ nudged: 0, expired: 0 });
    expect(await run(6.1)).toEqual({ nudged: 1, expired: 0 });
    expect(await run(7.1)).toEqual({ nudged: 0, expired: 1 });
    const [proposal] = await db.select().from(mentorProposals);
    expect(proposal!.status).toBe('expired');
    const request = await json(await t.request(`/api/mentoring/requests/${id}/suggestions`, { headers }));
    expect(request.suggestions).toBeDefined();
    const mails = await db.select({ subject: outbox.subject }).from(outbox);
    expect(mails.filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(2);
    expect(mails.some((m) => m.subject.includes('back in the queue'))).toBe(true);
  });
});

describe('the mentorship space', () => {
  async function active() {
    const s = await setup();
    const now = s.t.clock.now();
    const mentor = await createMentor(s.db, now, { displayName: 'Lucía' });
    const mentee = await createUser(s.db, { displayName: 'Tomás' });
    const id = crypto.randomUUID();
    await s.db.insert(mentorships).values({
      id,
      mentorId: mentor.id,
      menteeId: mentee.id,
      startedAt: now,
      endsAt: new Date(now.getTime() + 112 * DAY),
      lastActivityAt: now,
    });
    return { ...s, id, mentor, mentee, mentorHeaders: await s.as(mentor.id), menteeHeaders: await s.as(mentee.id) };
  }

  it('is private to the pair: others get a 404, coordinators need a report or an audited reason', async () => {
    const { db, t, as, json, id, menteeHeaders } = await active();
    await t.postJson(
      `/api/mentorships/${id}/messages`,
      { body: 'Hello! **Nice** to meet you <script>alert(1)</script>' },
      { headers: menteeHeaders },
    );
    const outsider = await createUser(db);
    expect((await t.request(`/api/mentorships/${id}`, { headers: await as(outsider.id) })).status).toBe(404);
    const coordinator = await createUser(db, { roles: ['coordinator'] });
    const staff = await as(coordinator.id);
    // The ordinary route is the pair's only.
    expect((await t.request(`/api/mentorships/${id}`, { headers: staff })).status).toBe(404);
    const noReason = await t.postJson(`/api/mentorships/${id}/staff-read`, {}, { headers: staff });
    expect(noReason.status).toBe(403);
    expect((await json(noReason)).error?.code).toBe('reason_required');
    const withReason = await t.postJson(
      `/api/mentorships/${id}/staff-read`,
      { reason: 'Mentee asked for help by email' },
      { headers: staff },
    );
    expect(withReason.status).toBe(200);
    const space = await json(withReason);
    const html = (space.messages as { bodyHtml: string }[])[0]!.bodyHtml;
    expect(html).toContain('<strong>Nice</strong>');
    expect(html).not.toContain('<script');
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.type, 'mentorship.read_by_staff'));
    expect(event).toMatchObject({ actorUserId: coordinator.id });
    // The dashboard shows counts and names, never message content.
    const dashboard = await json(await t.request('/api/mentoring/dashboard', { headers: staff }));
    expect(JSON.stringify(dashboard)).not.toContain('meet you');
    expect(dashboard.counts).toMatchObject({ activeMentorships: 1 });
  });

  it('keeps goals, sessions with a calendar file, check-ins, and ends with a reason', async () => {
    const { t, json, id, mentorHeaders, menteeHeaders } = await active();
    const goal = await json(
      await t.postJson(
        `/api/mentorships/${id}/goals`,
        { title: 'A weekly revision plan', targetDate: '2026-12-20' },
        { headers: menteeHeaders },
      ),
    );
    expect(
      await json(
        await t.postJson(`/api/mentorships/${id}/goals/${goal.id}`, { status: 'done' }, { headers: mentorHeaders }),
      ),
    ).toMatchObject({ progress: 100 });
    const session = await json(
      await t.postJson(
        `/api/mentorships/${id}/sessions`,
        {
          startsAt: '2026-11-26T18:30:00Z',
          durationMinutes: 45,
          videoUrl: 'https://meet.example.org/abc',
          agenda: 'Plan, review; next steps',
        },
        { headers: mentorHeaders },
      ),
    );
    const ics = await t.request(`/api/mentorships/${id}/sessions/${session.id}.ics`, { headers: menteeHeaders });
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await ics.text())).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-26T18:30:00.000Z');
    expect(event.duration.toSeconds()).toBe(45 * 60);
    expect(event.description).toContain('Plan, review; next steps');
    const badCheckIn = await t.postJson(
      `/api/mentorships/${id}/check-ins`,
      { progress: 'ok', confidence: 9 },
      { headers: menteeHeaders },
    );
    expect(Object.keys((await json(badCheckIn)).error!.details!.fields!)).toEqual(['confidence']);
    expect(
      (
        await t.postJson(
          `/api/mentorships/${id}/check-ins`,
          { progress: 'Going well', confidence: 4, sessionId: session.id },
          { headers: menteeHeaders },
        )
      ).status,
    ).toBe(201);
    const ended = await t.postJson(
      `/api/mentorships/${id}/end`,
      { reason: 'We reached our goals', outcome: 'completed', rematch: true },
      { headers: menteeHeaders },
    );
    expect(await json(ended)).toMatchObject({ status: 'completed' });
    expect(
      (await t.postJson(`/api/mentorships/${id}/messages`, { body: 'Late' }, { headers: mentorHeaders })).status,
    ).toBe(409);
  });
});
