import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { lessonProgress, outbox, trackCompletions } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { CHECK_RATE } from '#functions/routes/training.ts';
import { addMonths, sendRenewalReminders, type CheckResult, type TrackProgress } from '#functions/services/training.ts';
import type { ErrorBody } from '#functions/errors.ts';
import type { CompletionReportRow } from '#functions/services/training.ts';
import { outboxTransport } from '#functions/mail/transport.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { fakeClock, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';
import { contentCatalog, fixtureCatalog, rightAnswers } from '#tests/factories/training.ts';

const DAY = 86_400_000;

async function setup(options: { clock?: ReturnType<typeof fakeClock> } = {}) {
  const db = await createTestDb();
  const catalog = fixtureCatalog();
  const api = testApp(db, { training: catalog, ...options });
  const member = await createUser(db, { displayName: 'Rosa' });
  const as: Record<string, string> = {};
  /** A fresh session: sessions time out long before a completion expires. */
  const signIn = async () => {
    Object.assign(as, withSession((await createSession(db, member.id, api.clock.now(), 'test')).token));
  };
  await signIn();
  const check = (lesson: string, answers: unknown, locale?: string) =>
    api.postJson(
      `/api/training/basics/lessons/${lesson}/check`,
      { answers, ...(locale ? { locale } : {}) },
      { headers: as },
    );
  const complete = (lesson: string) =>
    api.postJson(`/api/training/basics/lessons/${lesson}/complete`, {}, { headers: as });
  const progress = async () =>
    (await (await api.request('/api/training/progress', { headers: as })).json()) as {
      tracks: TrackProgress[];
      eligibilities: string[];
    };
  return { db, catalog, api, member, as, signIn, check, complete, progress };
}

describe('training progress', () => {
  it('starts empty, and needs a signed-in member', async () => {
    const t = await setup();
    expect(await t.progress()).toEqual({
      tracks: [
        {
          slug: 'basics',
          completedLessons: [],
          passedChecks: [],
          lessonCount: 2,
          percent: 0,
          passed: false,
          status: 'not-started',
          completedAt: null,
          expiresAt: null,
          unlocks: 'mentor-application',
        },
      ],
      eligibilities: [],
    });
    expect((await t.api.request('/api/training/progress')).status).toBe(401);
    expect((await t.api.postJson('/api/training/basics/lessons/one/complete', {})).status).toBe(401);
  });

  it('grades on the server, explains every answer, and never trusts the client with the answers', async () => {
    const t = await setup();
    const res = await t.check('one', { q1: 'a', q2: ['b', 'c'], q3: 'a', q4: 'b' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as CheckResult;
    expect(body).toMatchObject({ score: 50, passed: false, passMark: 80, trackCompleted: false });
    expect(body.feedback).toEqual([
      { questionId: 'q1', correct: true, explanation: 'Because a is right for q1.' },
      { questionId: 'q2', correct: true, explanation: 'Because b and c is right for q2.' },
      { questionId: 'q3', correct: false, explanation: 'Because c is right for q3.' },
      { questionId: 'q4', correct: false, explanation: 'Because a is right for q4.' },
    ]);
    // A choose-all question needs exactly the right set: one right option of two is wrong.
    const partial = (await (await t.check('one', { q1: 'a', q2: ['b'], q3: 'c', q4: 'a' })).json()) as CheckResult;
    expect(partial).toMatchObject({ score: 75, passed: false });
    const [row] = await t.db.select().from(lessonProgress);
    expect(row).toMatchObject({ attempts: 2, bestScore: 75, checkPassedAt: null, completedAt: null });
  });

  it('explains in Spanish when asked, with the same grading', async () => {
    const t = await setup();
    const body = (await (await t.check('one', rightAnswers(t.catalog, 'basics', 'one'), 'es')).json()) as CheckResult;
    expect(body.score).toBe(100);
    expect(body.feedback[0].explanation).toBe('Porque a es correcto.');
    // Lesson two has no Spanish version: English explanations rather than nothing.
    const two = (await (await t.check('two', rightAnswers(t.catalog, 'basics', 'two'), 'es')).json()) as CheckResult;
    expect(two.feedback[0].explanation).toMatch(/^Because/);
  });

  it('names each unanswered or invalid question, and stores nothing', async () => {
    const t = await setup();
    const res = await t.check('one', { q1: 'a', q2: ['b', 'zzz'], q3: ['a', 'b'], extra: 'a' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody & { error: { details: { fields: Record<string, string> } } };
    expect(body.error.details.fields).toEqual({
      'answers.extra': 'This lesson has no such question.',
      'answers.q2': 'That is not one of the choices.',
      'answers.q3': 'Choose one answer.',
      'answers.q4': 'Choose an answer.',
    });
    expect(await t.db.select().from(lessonProgress)).toEqual([]);
    expect((await t.check('one', 'a')).status).toBe(400);
    expect((await t.check('nope', {})).status).toBe(404);
    expect((await t.check('hidden', {})).status).toBe(404); // drafts are not published
    const unknownTrack = await t.api.postJson(
      '/api/training/nope/lessons/one/check',
      { answers: {} },
      { headers: t.as },
    );
    expect(unknownTrack.status).toBe(404);
  });

  it('completes the track when every lesson is done and every check passed, and grants its eligibility', async () => {
    const t = await setup();
    expect(await (await t.complete('one')).json()).toMatchObject({ trackCompleted: false, track: { percent: 0 } });
    const first = (await (await t.check('one', rightAnswers(t.catalog, 'basics', 'one'))).json()) as CheckResult;
    expect(first).toMatchObject({ passed: true, trackCompleted: false, track: { percent: 50, status: 'in-progress' } });
    // Passing a check marks the lesson done too.
    const last = (await (await t.check('two', rightAnswers(t.catalog, 'basics', 'two'))).json()) as CheckResult;
    expect(last).toMatchObject({
      passed: true,
      trackCompleted: true,
      track: { percent: 100, passed: true, status: 'passed' },
    });
    const progress = await t.progress();
    expect(progress.eligibilities).toEqual(['mentor-application']);
    expect(progress.tracks[0]).toMatchObject({
      completedLessons: ['one', 'two'],
      passedChecks: ['one', 'two'],
      completedAt: '2026-11-21T10:00:00.000Z',
      expiresAt: '2027-11-21T10:00:00.000Z',
    });
    // Retaking a check after passing records nothing new.
    await t.check('two', rightAnswers(t.catalog, 'basics', 'two'));
    expect(await t.db.select().from(trackCompletions)).toHaveLength(1);
  });

  it('records one completion when two passing answers arrive together', async () => {
    const t = await setup();
    await t.check('one', rightAnswers(t.catalog, 'basics', 'one'));
    const results = await Promise.all([1, 2, 3].map(() => t.check('two', rightAnswers(t.catalog, 'basics', 'two'))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await t.db.select().from(trackCompletions)).toHaveLength(1);
  });

  it('expires after the refresh interval; renewing means passing the checks again', async () => {
    const clock = fakeClock();
    const t = await setup({ clock });
    await t.check('one', rightAnswers(t.catalog, 'basics', 'one'));
    await t.check('two', rightAnswers(t.catalog, 'basics', 'two'));
    clock.advance(340 * DAY); // inside the 30-day renewal window
    await t.signIn();
    let track = (await t.progress()).tracks[0];
    expect(track).toMatchObject({ status: 'renewal-due', passed: true, percent: 0, completedLessons: [] });
    expect((await t.progress()).eligibilities).toEqual(['mentor-application']);
    clock.advance(30 * DAY); // past the expiry
    await t.signIn();
    track = (await t.progress()).tracks[0];
    expect(track).toMatchObject({ status: 'expired', passed: false, percent: 0 });
    expect((await t.progress()).eligibilities).toEqual([]);
    await t.check('one', rightAnswers(t.catalog, 'basics', 'one'));
    const renewed = (await (await t.check('two', rightAnswers(t.catalog, 'basics', 'two'))).json()) as CheckResult;
    expect(renewed).toMatchObject({ trackCompleted: true, track: { status: 'passed', passed: true } });
    expect((await t.progress()).eligibilities).toEqual(['mentor-application']);
    expect(await t.db.select().from(trackCompletions)).toHaveLength(2);
  });

  it('reminds once, a month before expiry, in the member’s language', async () => {
    const clock = fakeClock();
    const t = await setup({ clock });
    await t.check('one', rightAnswers(t.catalog, 'basics', 'one'));
    await t.check('two', rightAnswers(t.catalog, 'basics', 'two'));
    const send = () => sendRenewalReminders(t.db, outboxTransport, t.catalog, 'https://hearth.test', clock.now());
    expect(await send()).toBe(0);
    clock.advance(336 * DAY);
    expect(await send()).toBe(1);
    expect(await send()).toBe(0);
    const [mail] = await t.db.select().from(outbox).where(eq(outbox.toAddress, t.member.email));
    expect(mail!.subject).toContain('Basics');
    expect(mail!.textBody).toContain('https://hearth.test/training/basics/');
    expect(mail!.textBody).toContain('November 21, 2027');
  });

  it('rate-limits check submissions with a reason', async () => {
    const t = await setup();
    for (let i = 0; i < CHECK_RATE.limit; i++) await t.check('one', { q1: 'b', q2: 'b', q3: 'b', q4: 'b' });
    const res = await t.check('one', { q1: 'b', q2: 'b', q3: 'b', q4: 'b' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });

  it('marks a lesson done from a plain HTML form and returns to the track page', async () => {
    const t = await setup();
    const res = await t.api.postForm('/api/training/basics/lessons/one/complete', {}, { headers: t.as });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/training/basics/');
    const [row] = await t.db.select().from(lessonProgress);
    expect(row!.completedAt).toBeInstanceOf(Date);
  });

  it('sends a visitor who is not signed in to sign-in, and back to the lesson afterwards', async () => {
    const t = await setup();
    const res = await t.api.postForm(
      '/api/training/basics/lessons/one/complete',
      {},
      { headers: { referer: 'http://hearth.test/training/basics/one/' } },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/training/basics/one/')}`);
    expect(await t.db.select().from(lessonProgress)).toEqual([]);
  });

  it('shows coordinators completions and expiries per track, and nobody else', async () => {
    const clock = fakeClock();
    const t = await setup({ clock });
    await t.check('one', rightAnswers(t.catalog, 'basics', 'one'));
    await t.check('two', rightAnswers(t.catalog, 'basics', 'two'));
    const other = await createUser(t.db);
    await t.db
      .insert(lessonProgress)
      .values({ userId: other.id, track: 'basics', lesson: 'one', completedAt: clock.now() });
    const coordinator = await createUser(t.db, { roles: ['coordinator'] });
    const { token } = await createSession(t.db, coordinator.id, clock.now(), 'test');
    const res = await t.api.request('/api/training/completions', { headers: withSession(token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tracks: { members: CompletionReportRow[] }[] };
    expect(body.tracks[0]).toMatchObject({
      slug: 'basics',
      current: 1,
      renewalDue: 0,
      expired: 0,
      inProgress: 1,
      members: [{ displayName: 'Rosa', status: 'current', expiresAt: addMonths(clock.now(), 12).toISOString() }],
    });
    expect((await t.api.request('/api/training/completions', { headers: t.as })).status).toBe(403);
  });
});

describe('training on the real content', () => {
  it('every published track can be passed with the answers in content/', async () => {
    const db = await createTestDb();
    const catalog = contentCatalog();
    const api = testApp(db, { training: catalog });
    const member = await createUser(db);
    const { token } = await createSession(db, member.id, api.clock.now(), 'test');
    expect(catalog.tracks.length).toBeGreaterThanOrEqual(3);
    for (const track of catalog.tracks) {
      expect(track.lessons.length, track.slug).toBeGreaterThanOrEqual(4);
      let last: CheckResult | undefined;
      for (const lesson of track.lessons) {
        const res = await api.postJson(
          `/api/training/${track.slug}/lessons/${lesson.slug}/check`,
          { answers: rightAnswers(catalog, track.slug, lesson.slug) },
          { headers: withSession(token), ip: `198.51.100.${track.order}` },
        );
        last = (await res.json()) as CheckResult;
        expect(last.score, `${track.slug}/${lesson.slug}`).toBe(100);
      }
      expect(last?.trackCompleted, track.slug).toBe(true);
    }
    const progress = (await (await api.request('/api/training/progress', { headers: withSession(token) })).json()) as {
      eligibilities: string[];
    };
    expect(progress.eligibilities).toEqual(['facilitation', 'mentor-application', 'peer-support']);
  });
});
