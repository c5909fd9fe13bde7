import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  mentorships,
  mentorshipSessions,
  notifications,
  surveyParticipation,
  surveyResponses,
  trackCompletions,
  users,
} from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import {
  invite,
  inviteScheduledSurveys,
  memberSurveys,
  SESSION_SURVEY_WINDOW_DAYS,
  triggerSurveys,
} from '#functions/services/surveys.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';
import { createMentor } from '#tests/factories/mentoring.ts';
import { contentCatalog, contentSurveys, rightAnswers } from '#tests/factories/training.ts';

const DAY = 86_400_000;
const catalog = contentSurveys();
const slugsWith = (type: string) => catalog.surveys.filter((s) => s.survey.trigger.type === type).map((s) => s.slug);

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const as = async (userId: string) => withSession((await createSession(db, userId, t.clock.now())).token);
  return { db, t, as };
}

/** An active mentorship between Lucía (mentor) and Tomás (mentee), started `daysAgo` days ago. */
async function mentorship(db: Awaited<ReturnType<typeof createTestDb>>, now: Date, daysAgo = 0) {
  const mentor = await createMentor(db, now, { displayName: 'Lucía Mentor' });
  const mentee = await createUser(db, { displayName: 'Tomás Mentee' });
  const id = crypto.randomUUID();
  const startedAt = new Date(now.getTime() - daysAgo * DAY);
  await db.insert(mentorships).values({
    id,
    mentorId: mentor.id,
    menteeId: mentee.id,
    startedAt,
    endsAt: new Date(startedAt.getTime() + 112 * DAY),
    lastActivityAt: now,
  });
  return { id, mentor, mentee };
}

async function invitations(db: Awaited<ReturnType<typeof createTestDb>>, userId: string) {
  return (await db.select().from(surveyParticipation).where(eq(surveyParticipation.userId, userId)))
    .map((r) => `${r.survey} ${r.instance}`)
    .sort();
}

async function surveyNotices(db: Awaited<ReturnType<typeof createTestDb>>, userId: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, 'survey.invited')));
}

describe('the content has a survey for every trigger', () => {
  it.each(['mentorship-close', 'after-session', 'track-completed', 'mentorship-day'])('%s', (type) => {
    expect(slugsWith(type).length).toBeGreaterThan(0);
    for (const slug of slugsWith(type)) expect(catalog.get(slug)!.wording.es, `${slug} in Spanish`).toBeDefined();
  });
});

describe('when a mentorship ends', () => {
  it('invites both people once, each to the surveys of their audience, with a notification that names nobody', async () => {
    const { db, t, as } = await setup();
    const { id, mentor, mentee } = await mentorship(db, t.clock.now(), 40);
    const res = await t.postJson(
      `/api/mentorships/${id}/end`,
      { reason: 'We reached our goals.', outcome: 'completed' },
      { headers: await as(mentee.id) },
    );
    expect(res.status).toBe(200);
    const instance = `mentorship:${id}:close`;
    // mentorship-closing asks the pair; the post surveys of the pre/post instruments ask mentees.
    const forPair = slugsWith('mentorship-close').filter((s) => catalog.get(s)!.survey.audience === 'mentorship-pair');
    const forMentees = slugsWith('mentorship-close').filter((s) => catalog.get(s)!.survey.audience === 'mentees');
    expect(forPair).toContain('mentorship-closing');
    expect(forMentees.length).toBeGreaterThan(0);
    expect(await invitations(db, mentor.id)).toEqual(forPair.map((s) => `${s} ${instance}`).sort());
    expect(await invitations(db, mentee.id)).toEqual([...forPair, ...forMentees].map((s) => `${s} ${instance}`).sort());

    const mentorNotices = await surveyNotices(db, mentor.id);
    const menteeNotices = await surveyNotices(db, mentee.id);
    expect(mentorNotices).toHaveLength(forPair.length);
    expect(menteeNotices).toHaveLength(forPair.length + forMentees.length);
    const closing = (rows: typeof mentorNotices) =>
      rows.find((n) => n.url?.startsWith('/surveys/mentorship-closing?'))!;
    expect(closing(mentorNotices).url).toBe(`/surveys/mentorship-closing?instance=${encodeURIComponent(instance)}`);
    // Both get the same words: nothing about the other person, who ended it, or why.
    for (const [rows, other] of [
      [mentorNotices, mentee],
      [menteeNotices, mentor],
    ] as const) {
      for (const n of rows) {
        const text = `${n.title} ${n.body} ${n.url}`;
        for (const secret of [other.displayName, other.email, other.id, 'goals', 'Mentee', 'Mentor'])
          expect(text).not.toContain(secret);
      }
    }
    expect(closing(mentorNotices).title).toBe(closing(menteeNotices).title);
    expect(closing(mentorNotices).body).toBe(closing(menteeNotices).body);
    expect(closing(mentorNotices).title).toMatch(/Looking back on your mentorship/);

    // Triggering again (a retried request, a second worker) invites and notifies nobody twice.
    const again = await triggerSurveys(
      db,
      catalog,
      { type: 'mentorship-close' },
      instance,
      [mentor.id, mentee.id],
      t.clock.now(),
    );
    expect(again).toBe(0);
    expect(await surveyNotices(db, mentee.id)).toHaveLength(menteeNotices.length);

    // The invitation is pending for each, and one answering tells the other nothing.
    const pending = (await (await t.request('/api/surveys/pending', { headers: await as(mentor.id) })).json()) as {
      slug: string;
      instance: string;
    }[];
    expect(pending).toContainEqual(expect.objectContaining({ slug: 'mentorship-closing', instance }));
    const notesBefore = (await db.select().from(notifications).where(eq(notifications.userId, mentor.id))).length;
    const answer = await t.postJson(
      '/api/surveys/mentorship-closing/responses',
      {
        instance,
        answers: { 'good-experience': 5, 'felt-heard': 5, 'goals-met': 'fully', 'recommend-mentoring': 10 },
      },
      { headers: await as(mentee.id) },
    );
    expect(answer.status).toBe(201);
    expect((await db.select().from(notifications).where(eq(notifications.userId, mentor.id))).length).toBe(notesBefore);
  });

  it('invites in the member’s language', async () => {
    const { db, t, as } = await setup();
    const { id, mentee } = await mentorship(db, t.clock.now(), 40);
    await db.update(users).set({ locale: 'es' }).where(eq(users.id, mentee.id));
    await t.postJson(
      `/api/mentorships/${id}/end`,
      { reason: 'Terminamos.', outcome: 'completed' },
      { headers: await as(mentee.id) },
    );
    const closing = (await surveyNotices(db, mentee.id)).find((n) => n.url?.includes('mentorship-closing'))!;
    expect(closing.title).toBe(`Una breve encuesta para ti: ${catalog.get('mentorship-closing')!.wording.es!.title}`);
  });
});

describe('when a training track is completed', () => {
  it('invites the member to that track’s surveys once, named after the completion', async () => {
    const { db, t, as } = await setup();
    const member = await createUser(db);
    const headers = await as(member.id);
    const training = contentCatalog();
    const pass = async (track: string) => {
      for (const lesson of training.track(track)!.lessons) {
        const res = await t.postJson(
          `/api/training/${track}/lessons/${lesson.slug}/check`,
          { answers: rightAnswers(training, track, lesson.slug) },
          { headers },
        );
        expect(res.status).toBe(200);
      }
    };
    // A track with no survey of its own invites to nothing.
    await pass('mentor-foundations');
    expect(await invitations(db, member.id)).toEqual([]);

    await pass('peer-supporter-orientation');
    const [completion] = await db
      .select()
      .from(trackCompletions)
      .where(and(eq(trackCompletions.userId, member.id), eq(trackCompletions.track, 'peer-supporter-orientation')));
    const expected = catalog.surveys
      .filter(
        (s) => s.survey.trigger.type === 'track-completed' && s.survey.trigger.track === 'peer-supporter-orientation',
      )
      .map((s) => `${s.slug} track:peer-supporter-orientation:${completion!.id}`);
    expect(expected).toHaveLength(1);
    expect(await invitations(db, member.id)).toEqual(expected);
    expect(await surveyNotices(db, member.id)).toHaveLength(1);

    // Passing a check again while the completion is current records nothing new, so asks nothing new.
    const lesson = training.track('peer-supporter-orientation')!.lessons[0]!;
    await t.postJson(
      `/api/training/peer-supporter-orientation/lessons/${lesson.slug}/check`,
      { answers: rightAnswers(training, 'peer-supporter-orientation', lesson.slug) },
      { headers },
    );
    expect(await invitations(db, member.id)).toEqual(expected);
    expect(await surveyNotices(db, member.id)).toHaveLength(1);
  });
});

describe('the daily survey job', () => {
  it('asks the mentee on day 30 and every 60 days after, once each, and only in active mentorships', async () => {
    const { db, t } = await setup();
    const now = t.clock.now();
    const young = await mentorship(db, now, 29);
    const month = await mentorship(db, now, 30);
    const later = await mentorship(db, now, 95);
    const ended = await mentorship(db, now, 30);
    await db.update(mentorships).set({ status: 'completed', endedAt: now }).where(eq(mentorships.id, ended.id));
    const [daySurvey] = slugsWith('mentorship-day');
    const trigger = catalog.get(daySurvey!)!.survey.trigger as { first: number; every: number };
    expect(trigger).toMatchObject({ first: 30, every: 60 });

    const first = await inviteScheduledSurveys(db, catalog, now);
    expect(first).toBe(2);
    expect(await invitations(db, young.mentee.id)).toEqual([]);
    expect(await invitations(db, month.mentee.id)).toEqual([`${daySurvey} mentorship:${month.id}:day:30`]);
    // Day 95: the latest day reached is 90; day 30 is not asked late.
    expect(await invitations(db, later.mentee.id)).toEqual([`${daySurvey} mentorship:${later.id}:day:90`]);
    // The survey is for mentees: their mentors are not asked.
    expect(await invitations(db, month.mentor.id)).toEqual([]);
    expect(await invitations(db, ended.mentee.id)).toEqual([]);
    expect(await surveyNotices(db, month.mentee.id)).toHaveLength(1);

    // The next day changes nothing; the run is idempotent.
    expect(await inviteScheduledSurveys(db, catalog, now)).toBe(0);
    expect(await inviteScheduledSurveys(db, catalog, new Date(now.getTime() + DAY))).toBe(1); // young reaches day 30
    expect(await surveyNotices(db, month.mentee.id)).toHaveLength(1);

    // 59 days on, the 95-day-old mentorship reaches day 150; 60 days on, the month-old one reaches day 90.
    expect(await inviteScheduledSurveys(db, catalog, new Date(now.getTime() + 59 * DAY))).toBe(1);
    expect(await invitations(db, later.mentee.id)).toContain(`${daySurvey} mentorship:${later.id}:day:150`);
    expect(await inviteScheduledSurveys(db, catalog, new Date(now.getTime() + 60 * DAY))).toBe(1);
    expect(await invitations(db, month.mentee.id)).toEqual([
      `${daySurvey} mentorship:${month.id}:day:30`,
      `${daySurvey} mentorship:${month.id}:day:90`,
    ]);
  });

  it('asks both people after a session whose time is over, once, and never about old or future sessions', async () => {
    const { db, t } = await setup();
    const now = t.clock.now();
    const { id, mentor, mentee } = await mentorship(db, now, 10);
    const other = await mentorship(db, now, 10);
    const session = async (mentorshipId: string, startsAt: number, durationMinutes = 60) => {
      const sid = crypto.randomUUID();
      await db.insert(mentorshipSessions).values({
        id: sid,
        mentorshipId,
        startsAt: new Date(startsAt),
        durationMinutes,
        createdBy: mentor.id,
        createdAt: now,
      });
      return sid;
    };
    const held = await session(id, now.getTime() - 2 * 3_600_000);
    await session(id, now.getTime() - 30 * 60_000); // still going
    await session(id, now.getTime() + DAY); // tomorrow
    await session(id, now.getTime() - (SESSION_SURVEY_WINDOW_DAYS + 1) * DAY); // long ago
    await db.update(mentorships).set({ status: 'ended_early', endedAt: now }).where(eq(mentorships.id, other.id));
    await session(other.id, now.getTime() - 3_600_000 * 3); // the mentorship has ended
    const [sessionSurvey] = slugsWith('after-session');
    expect(slugsWith('after-session')).toHaveLength(1);

    expect(await inviteScheduledSurveys(db, catalog, now)).toBe(2);
    const instance = `mentorship:${id}:session:${held}`;
    expect(await invitations(db, mentor.id)).toEqual([`${sessionSurvey} ${instance}`]);
    expect(await invitations(db, mentee.id)).toEqual([`${sessionSurvey} ${instance}`]);
    expect(await invitations(db, other.mentee.id)).toEqual([]);
    expect(await inviteScheduledSurveys(db, catalog, now)).toBe(0);
    expect(await surveyNotices(db, mentee.id)).toHaveLength(1);

    // The session still going is asked about once it is over.
    expect(await inviteScheduledSurveys(db, catalog, new Date(now.getTime() + 31 * 60_000))).toBe(2);
    expect(await invitations(db, mentee.id)).toHaveLength(2);

    // A day later a third session is over: the list shows only the newest invitation of the
    // survey for this mentorship, while an earlier one can still be answered from its link.
    const tomorrow = new Date(now.getTime() + DAY + 2 * 3_600_000);
    expect(await inviteScheduledSurveys(db, catalog, tomorrow)).toBe(2);
    const listed = (await memberSurveys(db, catalog, mentee.id, tomorrow)).pending.filter(
      (p) => p.slug === sessionSurvey,
    );
    expect(listed).toHaveLength(1);
    const newest = (await db.select().from(surveyParticipation).where(eq(surveyParticipation.userId, mentee.id))).find(
      (r) => r.invitedDay === '2026-11-22',
    )!;
    expect(listed[0]!.instance).toBe(newest.instance);
  });
});

describe('anonymity of triggered surveys', () => {
  it('a response to an anonymous survey keeps an instance that leads to no mentorship', async () => {
    const { db, t, as } = await setup();
    const { id, mentee } = await mentorship(db, t.clock.now(), 30);
    await inviteScheduledSurveys(db, catalog, t.clock.now());
    const res = await t.postJson(
      '/api/surveys/mentorship-check-in-30/responses',
      {
        instance: `mentorship:${id}:day:30`,
        answers: { 'going-well': 4, 'comfortable-talking': 5, 'how-often': 'about-right' },
      },
      { headers: await as(mentee.id) },
    );
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    const [response] = await db.select().from(surveyResponses);
    expect(response).toMatchObject({ instance: 'mentorship:day:30', respondentId: null, pseudonym: null });
    expect(JSON.stringify(response)).not.toContain(id);
    // The participation row (who) keeps the full instance, apart from the answers.
    const [row] = await db.select().from(surveyParticipation).where(eq(surveyParticipation.userId, mentee.id));
    expect(row).toMatchObject({ instance: `mentorship:${id}:day:30`, answeredDay: '2026-11-21' });
  });

  it('members cannot be invited to, nor answer, an instance about someone else’s mentorship', async () => {
    const { db, t, as } = await setup();
    const mine = await mentorship(db, t.clock.now(), 30);
    const theirs = await mentorship(db, t.clock.now(), 30);
    const instance = `mentorship:${theirs.id}:day:30`;
    expect(await invite(db, catalog, 'mentorship-check-in-30', instance, mine.mentee.id, t.clock.now())).toBe(false);
    expect(
      await invite(db, catalog, 'mentorship-closing', `mentorship:${theirs.id}:close`, mine.mentor.id, t.clock.now()),
    ).toBe(false);
    // Even with a participation row forced in, the answer is refused: the audience is that mentorship's mentee.
    await db.insert(surveyParticipation).values({
      survey: 'mentorship-check-in-30',
      instance,
      userId: mine.mentee.id,
      invitedDay: '2026-11-21',
    });
    const res = await t.postJson(
      '/api/surveys/mentorship-check-in-30/responses',
      { instance, answers: { 'going-well': 1, 'comfortable-talking': 1, 'how-often': 'too-often' } },
      { headers: await as(mine.mentee.id) },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_in_audience');
    expect(await db.select().from(surveyResponses)).toEqual([]);
    // And it is not listed as pending either.
    const pending = (await (await t.request('/api/surveys/pending', { headers: await as(mine.mentee.id) })).json()) as {
      instance: string;
    }[];
    expect(pending.map((p) => p.instance)).not.toContain(instance);
  });
});
