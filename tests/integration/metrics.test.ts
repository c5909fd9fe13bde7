import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  checkIns,
  lessonProgress,
  mentorApplications,
  mentorships,
  mentorshipSessions,
  postReactions,
  posts,
  sessions,
  surveyAnswers,
  surveyResponses,
  threads,
  trackCompletions,
  users,
} from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { dashboard } from '#functions/services/mentoring/dashboard.ts';
import { impactMetrics, metricsRange, type ImpactOptions } from '#functions/services/metrics.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { fakeClock, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';
import { fixtureDiscussions } from '#tests/factories/discussions.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-21T10:00:00Z'); // a Saturday; its ISO week starts Monday 2026-11-16
const at = (iso: string) => new Date(iso);

/** A member who joined (and confirmed their email) at `joined`. */
async function member(db: Database, name: string, joined = '2026-09-01T09:00:00Z', verified = true) {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${name}-${id.slice(0, 8)}@example.test`,
    displayName: name,
    createdAt: at(joined),
    emailVerifiedAt: verified ? at(joined) : null,
  });
  return id;
}

/** A signed-in request at `when`: a session started and last used then. */
const seen = (db: Database, userId: string, when: string) =>
  db.insert(sessions).values({
    id: crypto.randomUUID(),
    secretHash: 'x',
    userId,
    createdAt: at(when),
    lastSeenAt: at(when),
  });

interface Reply {
  by: string;
  after: number;
  status?: 'visible' | 'hidden';
}

/** A thread opened by `by` at `when`, with replies `after` ms later, in order. */
async function thread(
  db: Database,
  by: string,
  when: string,
  replies: Reply[] = [],
  extra: { category?: string; solved?: boolean } = {},
) {
  const id = crypto.randomUUID();
  const start = at(when).getTime();
  const postIds = [0, ...replies.map((_, i) => i + 1)].map(() => crypto.randomUUID());
  await db.insert(threads).values({
    id,
    category: extra.category ?? 'general',
    title: 'A thread for the tests',
    authorId: by,
    createdAt: at(when),
    lastPostAt: new Date(start + (replies.at(-1)?.after ?? 0)),
    lastSeq: replies.length + 1,
    solutionPostId: extra.solved ? postIds[1]! : null,
  });
  await db.insert(posts).values([
    {
      id: postIds[0]!,
      threadId: id,
      seq: 1,
      authorId: by,
      body: 'Hello',
      bodyHtml: '<p>Hello</p>',
      createdAt: at(when),
    },
    ...replies.map((r, i) => ({
      id: postIds[i + 1]!,
      threadId: id,
      seq: i + 2,
      authorId: r.by,
      body: 'A reply',
      bodyHtml: '<p>A reply</p>',
      status: r.status ?? ('visible' as const),
      createdAt: new Date(start + r.after),
    })),
  ]);
  return { id, postIds };
}

const metrics = (db: Database, from: string, to: string, extra: Partial<ImpactOptions> = {}) =>
  impactMetrics(db, {
    ...metricsRange({ from, to }, extra.now ?? NOW),
    now: NOW,
    qaCategories: ['questions'],
    ...extra,
  });

describe('weeks', () => {
  it('are ISO weeks in UTC, Monday to Sunday, widened to whole weeks and cut at the current one', async () => {
    const db = await createTestDb();
    const a = await member(db, 'a');
    // Sunday 23:59:59.999 belongs to the week before the Monday that follows.
    await thread(db, a, '2026-10-04T23:59:59.999Z'); // week of 28 Sep: outside
    await thread(db, a, '2026-10-05T00:00:00.000Z'); // Monday: first week
    await thread(db, a, '2026-10-18T23:59:59.999Z'); // Sunday: second week
    await thread(db, a, '2026-10-19T00:00:00.000Z'); // next Monday: outside
    const m = await metrics(db, '2026-10-07', '2026-10-18');
    expect(m.range).toMatchObject({
      weeksFrom: '2026-10-05',
      weeksTo: '2026-10-18',
      weeks: ['2026-10-05', '2026-10-12'],
      partialWeek: null,
    });
    expect(m.series.posts.map((w) => w.threads)).toEqual([1, 1]);

    const current = await metrics(db, '2026-11-01', '2026-12-31');
    expect(current.range.weeks).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
    expect(current.range.partialWeek).toBe('2026-11-16');
    expect(current.series.members.at(-1)!.partial).toBe(true);
  });

  it('cross the new year as ISO weeks do (Monday 28 December 2026 to Sunday 3 January 2027)', async () => {
    const db = await createTestDb();
    const a = await member(db, 'a');
    await thread(db, a, '2027-01-03T12:00:00Z');
    await thread(db, a, '2026-12-28T08:00:00Z');
    const now = at('2027-01-10T12:00:00Z');
    const m = await impactMetrics(db, { ...metricsRange({ from: '2026-12-31', to: '2027-01-01' }, now), now });
    expect(m.range.weeks).toEqual(['2026-12-28']);
    expect(m.series.posts[0]!.threads).toBe(2);
  });
});

describe('discussions', () => {
  it('counts replies, the reply rate without self-replies, and the median time to a first reply', async () => {
    const db = await createTestDb();
    const [alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map((n) => member(db, n)));
    // Week of 5 October.
    const a = await thread(db, alice!, '2026-10-05T10:00:00Z', [
      { by: alice!, after: 1 * HOUR }, // the author answering herself does not count
      { by: bob!, after: 3 * HOUR },
    ]);
    await thread(db, bob!, '2026-10-06T12:00:00Z', [{ by: carol!, after: 1 * HOUR }]);
    await thread(db, carol!, '2026-10-07T12:00:00Z', [{ by: carol!, after: 1 * HOUR }]); // only herself
    await thread(db, alice!, '2026-10-08T09:00:00Z', [
      { by: dave!, after: 5 * HOUR, status: 'hidden' }, // hidden by a moderator: not a reply
      { by: bob!, after: 10 * HOUR },
    ]);
    // Week of 12 October: an even number of answered threads, so the median is a mean of two.
    await thread(db, bob!, '2026-10-12T09:00:00Z', [{ by: alice!, after: 2 * HOUR }]);
    await thread(db, dave!, '2026-10-13T09:00:00Z', [{ by: alice!, after: 6 * HOUR }]);

    const m = await metrics(db, '2026-10-05', '2026-10-18');
    expect(m.series.posts).toEqual([
      { week: '2026-10-05', threads: 4, replies: 5 },
      { week: '2026-10-12', threads: 2, replies: 2 },
    ]);
    expect(m.series.replies).toEqual([
      { week: '2026-10-05', threads: 4, answered: 3, replyRate: 0.75, medianFirstReplyHours: 3 },
      { week: '2026-10-12', threads: 2, answered: 2, replyRate: 1, medianFirstReplyHours: 4 },
    ]);
    // Every author, the hidden reply's included, was active that week; the 12 October week had three.
    expect(m.series.members.map((w) => w.active)).toEqual([4, 3]);

    // A moderator hides Bob's reply: thread A has no answer from anyone else any more.
    await db.update(posts).set({ status: 'hidden' }).where(eq(posts.id, a.postIds[2]!));
    const after = await metrics(db, '2026-10-05', '2026-10-11');
    expect(after.series.replies[0]).toMatchObject({
      threads: 4,
      answered: 2,
      replyRate: 0.5,
      medianFirstReplyHours: 5.5,
    });
    // And approving it again brings it back.
    await db.update(posts).set({ status: 'visible' }).where(eq(posts.id, a.postIds[2]!));
    expect((await metrics(db, '2026-10-05', '2026-10-11')).series.replies[0]!.answered).toBe(3);
  });

  it('counts questions in the Q&A categories and those with a solution', async () => {
    const db = await createTestDb();
    const [a, b] = await Promise.all([member(db, 'a'), member(db, 'b')]);
    await thread(db, a, '2026-10-05T10:00:00Z', [{ by: b, after: HOUR }], { category: 'questions', solved: true });
    await thread(db, a, '2026-10-06T10:00:00Z', [{ by: b, after: HOUR }], { category: 'questions' });
    await thread(db, a, '2026-10-07T10:00:00Z', [], { category: 'questions' });
    await thread(db, a, '2026-10-07T11:00:00Z', [{ by: b, after: HOUR }], { category: 'general', solved: true });
    const m = await metrics(db, '2026-10-05', '2026-10-11');
    expect(m.series.questions.weeks[0]).toEqual({ week: '2026-10-05', questions: 3, solved: 1, solvedShare: 1 / 3 });
    const none = await metrics(db, '2026-10-05', '2026-10-11', { qaCategories: [] });
    expect(none.series.questions.weeks[0]).toMatchObject({ questions: 0, solvedShare: null });
  });
});

describe('members', () => {
  it('counts each active member once a week, whatever they did, and new members by the week they joined', async () => {
    const db = await createTestDb();
    const erin = await member(db, 'erin', '2026-10-20T09:00:00Z'); // joined in the week of 19 October
    const frank = await member(db, 'frank');
    const gina = await member(db, 'gina');
    const pending = await member(db, 'pending', '2026-10-21T09:00:00Z', false); // never confirmed
    const author = await member(db, 'author');
    const post = await thread(db, author, '2026-10-01T09:00:00Z');
    await db.insert(postReactions).values({
      postId: post.postIds[0]!,
      userId: erin,
      kind: 'thanks',
      createdAt: at('2026-10-27T09:00:00Z'),
    });
    await seen(db, frank, '2026-10-20T08:00:00Z');
    await seen(db, frank, '2026-10-20T20:00:00Z'); // twice in one week: one active member
    await seen(db, pending, '2026-10-21T10:00:00Z'); // not a member yet: not counted
    await db.insert(lessonProgress).values({
      userId: gina,
      track: 'peer-supporter-orientation',
      lesson: 'empathy',
      completedAt: at('2026-10-28T09:00:00Z'),
    });
    // Doing the lesson again moves its date, but the earlier week stays counted.
    await db
      .update(lessonProgress)
      .set({ completedAt: at('2026-11-03T09:00:00Z') })
      .where(eq(lessonProgress.userId, gina));
    const m = await metrics(db, '2026-10-19', '2026-11-08');
    expect(m.series.members.map(({ week, active, new: n }) => ({ week, active, new: n }))).toEqual([
      { week: '2026-10-19', active: 2, new: 1 }, // erin joined, frank signed in twice
      { week: '2026-10-26', active: 2, new: 0 }, // erin reacted, gina did a lesson
      { week: '2026-11-02', active: 1, new: 0 }, // gina again
    ]);
  });

  it('never makes a writer fail: an upsert in a week already counted stores its row and counts once', async () => {
    const db = await createTestDb();
    const hana = await member(db, 'hana');
    // The training service records lessons with an upsert; the rollup's trigger must not turn its
    // conflict handling into a failure (an upsert overrides a trigger's OR IGNORE).
    for (const when of ['2026-10-20T09:00:00Z', '2026-10-21T09:00:00Z'])
      await db
        .insert(lessonProgress)
        .values({ userId: hana, track: 'peer-supporter-orientation', lesson: 'empathy', completedAt: at(when) })
        .onConflictDoUpdate({
          target: [lessonProgress.userId, lessonProgress.track, lessonProgress.lesson],
          set: { completedAt: at(when) },
        });
    const m = await metrics(db, '2026-10-19', '2026-10-25');
    expect(m.series.members[0]!.active).toBe(1);
  });

  it('keeps a retention table by joining month that shows no figure about fewer than 5 people', async () => {
    const db = await createTestDb();
    // June: twelve members who joined in the week of 1 June.
    const june = await Promise.all(
      Array.from({ length: 12 }, (_, i) => member(db, `june${i}`, `2026-06-0${1 + (i % 5)}T09:00:00Z`)),
    );
    const week = (n: number, day = 2) => new Date(Date.parse('2026-06-01T00:00:00Z') + n * 7 * DAY + day * DAY);
    const activeIn = (ids: string[], n: number) => Promise.all(ids.map((id) => seen(db, id, week(n).toISOString())));
    await activeIn(june.slice(0, 7), 1); // 7 of 12: shown
    await activeIn(june.slice(0, 3), 2); // 3 of 12: "<5"
    await activeIn(june.slice(0, 9), 4); // 9 active but 3 not: would describe 3 people, hidden
    await activeIn(june.slice(0, 6), 8); // 6 and 6: shown
    await activeIn(june, 12); // everyone: "nobody left" is about each of them, hidden
    // July: three members, too few for any figure.
    const july = await Promise.all([1, 2, 3].map((i) => member(db, `july${i}`, `2026-07-0${i + 5}T09:00:00Z`)));
    await activeIn(july, 5);
    // November: the weeks after joining have not all passed.
    await Promise.all([1, 2, 3, 4, 5].map((i) => member(db, `nov${i}`, `2026-11-0${i + 2}T09:00:00Z`)));

    const m = await metrics(db, '2026-06-01', '2026-11-21');
    const cohorts = Object.fromEntries(m.series.retention.cohorts.map((c) => [c.month, c]));
    expect(m.series.retention.weeks).toEqual([1, 2, 4, 8, 12]);
    expect(cohorts['2026-06']!.size).toEqual({ kind: 'shown', value: 12 });
    expect(cohorts['2026-06']!.cells.map((c) => [c.active, c.share])).toEqual([
      [{ kind: 'shown', value: 7 }, 7 / 12],
      [{ kind: 'small', label: '<5' }, null],
      [{ kind: 'suppressed', label: 'suppressed' }, null],
      [{ kind: 'shown', value: 6 }, 0.5],
      [{ kind: 'suppressed', label: 'suppressed' }, null],
    ]);
    expect(cohorts['2026-07']!.size).toEqual({ kind: 'small', label: '<5' });
    expect(cohorts['2026-07']!.cells.every((c) => c.active?.kind === 'small' && c.share === null)).toBe(true);
    // Joined in the week of 2 November; now is in the week of 16 November: only week 1 is over.
    expect(cohorts['2026-11']!.cells.map((c) => c.pending)).toEqual([false, true, true, true, true]);
    expect(cohorts['2026-11']!.cells.map((c) => c.active)).toEqual([
      { kind: 'small', label: '<5' },
      null,
      null,
      null,
      null,
    ]);
    // Nothing in the answer says how many of a small cohort came back.
    expect(JSON.stringify(cohorts['2026-07'])).not.toMatch(/"value":[0-4]\b/);
  });
});

describe('training', () => {
  it('counts completions and the expiries that were not renewed in time', async () => {
    const db = await createTestDb();
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((n) => member(db, n)));
    const completion = (userId: string, completed: string, expires: string) =>
      db.insert(trackCompletions).values({
        id: crypto.randomUUID(),
        userId,
        track: 'peer-supporter-orientation',
        completedAt: at(completed),
        expiresAt: at(expires),
      });
    await completion(a, '2025-10-10T09:00:00Z', '2026-10-10T09:00:00Z'); // expires in the week of 5 October
    await completion(b, '2025-10-14T09:00:00Z', '2026-10-14T09:00:00Z'); // renewed before it expired:
    await completion(b, '2026-10-01T09:00:00Z', '2027-10-01T09:00:00Z'); // not an expiry
    await completion(c, '2025-10-20T09:00:00Z', '2026-10-20T09:00:00Z'); // expired, renewed later:
    await completion(c, '2026-10-25T09:00:00Z', '2027-10-25T09:00:00Z'); // both count
    await completion(d, '2025-12-01T09:00:00Z', '2026-12-01T09:00:00Z'); // after now: not yet
    const m = await metrics(db, '2026-10-05', '2026-12-31');
    expect(m.series.training.weeks.slice(0, 3)).toEqual([
      { week: '2026-10-05', completions: 0, expiries: 1 },
      { week: '2026-10-12', completions: 0, expiries: 0 },
      { week: '2026-10-19', completions: 1, expiries: 1 },
    ]);
    expect(m.series.training.weeks.slice(3).every((w) => w.completions + w.expiries === 0)).toBe(true);
    expect(m.series.training.tracks).toEqual([
      { track: 'peer-supporter-orientation', title: 'peer-supporter-orientation', completions: 1, expiries: 2 },
    ]);
  });
});

describe('mentoring', () => {
  async function mentorship(
    db: Database,
    mentorId: string,
    started: string,
    extra: Partial<typeof mentorships.$inferInsert> = {},
  ) {
    const id = crypto.randomUUID();
    const menteeId = await member(db, 'mentee');
    await db.insert(mentorships).values({
      id,
      mentorId,
      menteeId,
      startedAt: at(started),
      endsAt: new Date(at(started).getTime() + 112 * DAY),
      lastActivityAt: at(started),
      ...extra,
    });
    return { id, menteeId };
  }
  const checkIn = (db: Database, mentorshipId: string, authorId: string, when: string) =>
    db.insert(checkIns).values({
      id: crypto.randomUUID(),
      mentorshipId,
      authorId,
      progress: 'Going well.',
      confidence: 4,
      createdAt: at(when),
    });

  it('follows those who applied in the range through approval, matching, activity and completion', async () => {
    const db = await createTestDb();
    const apply = async (name: string, when: string, status: 'approved' | 'declined') => {
      const id = await member(db, name);
      await db.insert(mentorApplications).values({
        id: crypto.randomUUID(),
        userId: id,
        status,
        motivation: 'To help.',
        experience: 'Some.',
        topics: ['study-skills'],
        languages: ['en'],
        timezone: 'UTC',
        availability: [],
        capacity: 2,
        pledgeVersion: 'v1',
        createdAt: at(when),
        updatedAt: at(when),
      });
      return id;
    };
    const a1 = await apply('a1', '2026-10-06T09:00:00Z', 'approved');
    const a2 = await apply('a2', '2026-10-07T09:00:00Z', 'approved');
    const a3 = await apply('a3', '2026-10-08T09:00:00Z', 'approved');
    await apply('a4', '2026-10-09T09:00:00Z', 'approved');
    await apply('a5', '2026-10-10T09:00:00Z', 'declined');
    const a6 = await apply('a6', '2026-09-01T09:00:00Z', 'approved'); // before the range
    const a7 = await apply('a7', '2026-10-11T09:00:00Z', 'approved');
    const m1 = await mentorship(db, a1, '2026-10-20T09:00:00Z', {
      status: 'completed',
      endedAt: at('2026-11-10T09:00:00Z'),
    });
    await checkIn(db, m1.id, m1.menteeId, '2026-10-25T09:00:00Z');
    const m2 = await mentorship(db, a2, '2026-10-21T09:00:00Z');
    await db.insert(mentorshipSessions).values({
      id: crypto.randomUUID(),
      mentorshipId: m2.id,
      startsAt: at('2026-10-28T17:00:00Z'),
      durationMinutes: 45,
      createdAt: at('2026-10-22T09:00:00Z'),
    });
    await mentorship(db, a3, '2026-10-22T09:00:00Z'); // matched, nothing since
    await mentorship(db, a6, '2026-10-22T09:00:00Z', { status: 'completed' });
    await mentorship(db, a7, '2026-10-22T09:00:00Z', { status: 'completed' }); // completed on paper, never met
    const m = await metrics(db, '2026-10-05', '2026-11-21');
    expect(m.series.funnel).toEqual([
      { stage: 'applied', count: 6 },
      { stage: 'approved', count: 5 },
      { stage: 'matched', count: 4 },
      { stage: 'active', count: 2 },
      { stage: 'completed', count: 1 },
    ]);
  });

  it('measures check-in adherence week by week with the coordinators’ dashboard rule', async () => {
    const db = await createTestDb();
    const mentor = await member(db, 'mentor');
    const m1 = await mentorship(db, mentor, '2026-10-20T00:00:00Z', { checkInEveryDays: 14 });
    await checkIn(db, m1.id, m1.menteeId, '2026-10-30T12:00:00Z'); // next due 13 November
    await checkIn(db, m1.id, m1.menteeId, '2026-11-18T12:00:00Z'); // late, but up to date again
    const m2 = await mentorship(db, mentor, '2026-11-04T00:00:00Z', { checkInEveryDays: 7 }); // due 11 November, none
    const m3 = await mentorship(db, mentor, '2026-09-01T00:00:00Z', {
      status: 'completed',
      endedAt: at('2026-11-05T00:00:00Z'),
    });
    await checkIn(db, m3.id, m3.menteeId, '2026-10-20T12:00:00Z'); // due 3 November; ended 5 November
    const m = await metrics(db, '2026-10-26', '2026-11-21');
    expect(m.series.checkIns).toEqual([
      { week: '2026-10-26', mentorships: 2, upToDate: 2, overdue: 0, checkIns: 1, adherence: 1 },
      { week: '2026-11-02', mentorships: 2, upToDate: 2, overdue: 0, checkIns: 0, adherence: 1 },
      { week: '2026-11-09', mentorships: 2, upToDate: 0, overdue: 2, checkIns: 0, adherence: 0 },
      { week: '2026-11-16', mentorships: 2, upToDate: 1, overdue: 1, checkIns: 1, adherence: 0.5 },
    ]);
    // The same verdict the coordinators' dashboard gives now.
    const overdue = (await dashboard(db, NOW)).mentorships.filter((x) => x.checkInOverdue).map((x) => x.id);
    expect(overdue).toEqual([m2.id]);
  });
});

describe('satisfaction', () => {
  it('is the mean of the recommend item per month, with no figure for a month under 5 answers', async () => {
    const db = await createTestDb();
    const respond = async (day: string, value: number, question = 'recommend', survey = 'programme-feedback') => {
      const id = crypto.randomUUID();
      await db
        .insert(surveyResponses)
        .values({ id, survey, instance: 'manual', day, segmentRole: 'member', cohort: '2026-01' });
      await db.insert(surveyAnswers).values({ responseId: id, question, valueNum: value });
    };
    for (const v of [10, 9, 7, 8, 6, 8]) await respond('2026-10-15', v); // mean 8
    for (const v of [3, 9, 9]) await respond('2026-11-02', v); // 3 answers
    await respond('2026-10-15', 0, 'feel-welcome'); // another question
    await respond('2026-10-15', 0, 'recommend', 'another-survey'); // another survey
    const m = await metrics(db, '2026-10-01', '2026-11-21');
    expect(m.series.satisfaction.months).toEqual([
      { month: '2026-10', answers: { kind: 'shown', value: 6 }, mean: 8 },
      { month: '2026-11', answers: { kind: 'small', label: '<5' }, mean: null },
    ]);
  });
});

describe('GET /api/admin/metrics', () => {
  async function setup() {
    const db = await createTestDb();
    const t = testApp(db, { clock: fakeClock(NOW.toISOString()) });
    const as = async (roles: ('admin' | 'coordinator')[] = []) => {
      const user = await createUser(db, { roles });
      return withSession((await createSession(db, user.id, t.clock.now())).token);
    };
    return { db, t, as };
  }
  type ErrorJson = { error: { code: string; details?: { fields?: Record<string, string> } } };

  it('counts questions in the Q&A categories of the discussion catalog', async () => {
    const db = await createTestDb();
    // fixtureDiscussions: `qa` and `cohort` are Q&A, `members` is not.
    const t = testApp(db, { clock: fakeClock(NOW.toISOString()), discussions: fixtureDiscussions() });
    const admin = withSession(
      (await createSession(db, (await createUser(db, { roles: ['admin'] })).id, t.clock.now())).token,
    );
    const [a, b] = await Promise.all([member(db, 'a'), member(db, 'b')]);
    await thread(db, a, '2026-10-05T10:00:00Z', [{ by: b, after: HOUR }], { category: 'qa', solved: true });
    await thread(db, a, '2026-10-06T10:00:00Z', [], { category: 'cohort' });
    await thread(db, a, '2026-10-07T10:00:00Z', [{ by: b, after: HOUR }], { category: 'members', solved: true });
    await thread(db, a, '2026-10-07T11:00:00Z', [], { category: 'study-skills' });
    const res = await t.request('/api/admin/metrics?from=2026-10-05&to=2026-10-11', { headers: admin });
    const body = (await res.json()) as { series: { questions: { weeks: Record<string, unknown>[] } } };
    expect(body.series.questions.weeks[0]).toMatchObject({ questions: 2, solved: 1, solvedShare: 1 / 2 });
  });

  it('answers admins with the series and their definitions, and nobody else', async () => {
    const { t, as } = await setup();
    const admin = await as(['admin']);
    const res = await t.request('/api/admin/metrics?from=2026-10-05&to=2026-11-21', { headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      range: { weeks: string[] };
      series: Record<string, unknown>;
      definitions: Record<string, string>;
    };
    expect(body.range.weeks).toHaveLength(7);
    expect(Object.keys(body.series)).toEqual(
      expect.arrayContaining([
        'members',
        'posts',
        'replies',
        'questions',
        'training',
        'funnel',
        'checkIns',
        'retention',
        'satisfaction',
      ]),
    );
    expect(body.definitions.members).toMatch(/active/);
    // Without a range: the last 26 weeks up to today.
    const recent = (await (await t.request('/api/admin/metrics', { headers: admin })).json()) as typeof body;
    expect(recent.range.weeks).toHaveLength(26);
    expect(recent.range.weeks.at(-1)).toBe('2026-11-16');

    for (const path of ['/api/admin/metrics', '/api/admin/metrics.csv']) {
      expect((await t.request(path)).status).toBe(401);
      expect((await t.request(path, { headers: await as() })).status).toBe(403);
      expect((await t.request(path, { headers: await as(['coordinator']) })).status).toBe(403);
    }
  });

  it('refuses a bad range with 400 naming the field', async () => {
    const { t, as } = await setup();
    const admin = await as(['admin']);
    const fieldsOf = async (query: string) => {
      const res = await t.request(`/api/admin/metrics${query}`, { headers: admin });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe('validation_failed');
      return Object.keys(body.error.details?.fields ?? {});
    };
    expect(await fieldsOf('?from=2026-13-01')).toEqual(['from']);
    expect(await fieldsOf('?to=2026-02-30')).toEqual(['to']);
    expect(await fieldsOf('?from=yesterday')).toEqual(['from']);
    expect(await fieldsOf('?from=2026-11-10&to=2026-11-01')).toEqual(['to']);
    expect(await fieldsOf('?from=2024-11-01&to=2026-11-21')).toEqual(['from']); // more than two years
    expect(await fieldsOf('?from=1999-12-27&to=2000-01-05')).toEqual(['from']);
    expect(await fieldsOf('?from=2026-10-01&evil=1')).toEqual(['evil']);
    expect(await fieldsOf('.csv?panel=everything')).toEqual(['panel']);
    // Two years exactly is fine.
    expect((await t.request('/api/admin/metrics?from=2024-11-21&to=2026-11-21', { headers: admin })).status).toBe(200);
  });

  it('exports a panel or all of them as CSV, hidden figures included as they are shown', async () => {
    const { db, t, as } = await setup();
    const admin = await as(['admin']);
    await Promise.all([1, 2, 3].map((i) => member(db, `small${i}`, `2026-09-0${i}T09:00:00Z`)));
    const res = await t.request('/api/admin/metrics.csv?from=2026-09-01&to=2026-11-21&panel=retention', {
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="hearth-impact-retention-2026-09-01-to-2026-11-21\.csv"/,
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('"panel","period","measure","value"');
    expect(lines.slice(1).every((l) => l.startsWith('"retention",'))).toBe(true);
    expect(lines).toContain('"retention","2026-09","members_joined","<5"');
    expect(lines).toContain('"retention","2026-09","active_week_1","<5"');

    const all = await (
      await t.request('/api/admin/metrics.csv?from=2026-11-01&to=2026-11-21', { headers: admin })
    ).text();
    const panels = new Set(
      all
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    expect([...panels]).toEqual(
      expect.arrayContaining([
        '"members"',
        '"posts"',
        '"replies"',
        '"questions"',
        '"training"',
        '"funnel"',
        '"check-ins"',
      ]),
    );
  });

  it('writes text that a spreadsheet would run as a formula as plain text, in every dashboard CSV', async () => {
    const { db, t, as } = await setup();
    const coordinator = withSession(
      (await createSession(db, (await createUser(db, { roles: ['coordinator'] })).id, t.clock.now())).token,
    );
    const mentee = await createUser(db, { displayName: '=HYPERLINK("https://evil.example","Click")' });
    const mentor = await createUser(db, { displayName: '@SUM(A1:A9)' });
    await db.insert(mentorships).values({
      id: crypto.randomUUID(),
      mentorId: mentor.id,
      menteeId: mentee.id,
      startedAt: at('2026-11-01T09:00:00Z'),
      endsAt: at('2027-02-01T09:00:00Z'),
      lastActivityAt: at('2026-11-01T09:00:00Z'),
    });
    const csv = await (await t.request('/api/mentoring/dashboard.csv', { headers: coordinator })).text();
    expect(csv).toContain(`"'@SUM(A1:A9) / =HYPERLINK(""https://evil.example"",""Click"")"`);
    expect(csv).not.toMatch(/(^|,)"[=+\-@]/m);
    const metricsCsv = await (await t.request('/api/admin/metrics.csv', { headers: await as(['admin']) })).text();
    expect(metricsCsv).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
  });
});
