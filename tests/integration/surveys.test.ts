import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { mentorships, surveyAnswers, surveyParticipation, surveyResponses, users } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { FLASH_BUDGET, FLASH_COOKIE, parseFlash } from '#functions/lib/forms.ts';
import { instanceContexts, memberSurveys, surveyState } from '#functions/services/surveys.ts';
import { buildSurveyCatalog, surveyPairProblems } from '#functions/surveys/catalog.ts';
import { surveySchema } from '#src/lib/content/schema.ts';
import { loadContent } from '#scripts/lib/content.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { ORIGIN, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const feedback = {
  recommend: 9,
  'feel-welcome': 4,
  'feel-safe-sharing': 5,
  'easy-to-find': 4,
  'main-use': 'mentoring',
  'how-mentoring-helped': 'My mentor helped me plan my week.',
  'what-helped': ['being-listened-to', 'mentor-guidance'],
};

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const member = await createUser(db);
  const headers = withSession((await createSession(db, member.id, t.clock.now())).token);
  return { db, t, member, headers };
}

describe('answering surveys', () => {
  it('lists what is pending, serves the questions, and takes one anonymous response', async () => {
    const { db, t, member, headers } = await setup();
    const pending = (await (await t.request('/api/surveys/pending', { headers })).json()) as { slug: string }[];
    expect(pending.map((p) => p.slug)).toContain('programme-feedback');
    const definition = (await (await t.request('/api/surveys/programme-feedback?locale=es', { headers })).json()) as {
      questions: { id: string; type: string; prompt: string }[];
    };
    expect(definition.questions.length).toBeGreaterThan(5);
    const ids = new Set(definition.questions.map((q) => q.id));
    const answers = Object.fromEntries(Object.entries(feedback).filter(([k]) => ids.has(k)));
    const res = await t.postJson('/api/surveys/programme-feedback/responses', { answers }, { headers });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    expect((await t.postJson('/api/surveys/programme-feedback/responses', { answers }, { headers })).status).toBe(409);

    const [response] = await db.select().from(surveyResponses);
    expect(response).toMatchObject({ respondentId: null, pseudonym: null, day: '2026-11-21' });
    expect(response!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [participation] = await db
      .select()
      .from(surveyParticipation)
      .where(eq(surveyParticipation.userId, member.id));
    expect(participation).toMatchObject({ answeredDay: '2026-11-21' });
    expect(
      ((await (await t.request('/api/surveys/pending', { headers })).json()) as { slug: string }[]).map((p) => p.slug),
    ).not.toContain('programme-feedback');
  });

  it('records exactly one response when the same member submits twice at once', async () => {
    const { db, t, headers } = await setup();
    const definition = (await (await t.request('/api/surveys/programme-feedback', { headers })).json()) as {
      questions: { id: string }[];
    };
    const ids = new Set(definition.questions.map((q) => q.id));
    const answers = Object.fromEntries(Object.entries(feedback).filter(([k]) => ids.has(k)));
    const results = await Promise.all(
      [1, 2, 3].map(() => t.postJson('/api/surveys/programme-feedback/responses', { answers }, { headers })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await db.select().from(surveyResponses)).toHaveLength(1);
  });

  it('names each invalid or missing answer and stores nothing', async () => {
    const { db, t, headers } = await setup();
    const res = await t.postJson(
      '/api/surveys/programme-feedback/responses',
      { answers: { recommend: 11, 'main-use': 'nope', bogus: 'x' } },
      { headers },
    );
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { error: { details: { fields: Record<string, string> } } }).error.details
      .fields;
    expect(fields['answers.recommend']).toMatch(/0 to 10/);
    expect(fields['answers.main-use']).toMatch(/options/);
    expect(fields['answers.bogus']).toBeDefined();
    expect(await db.select().from(surveyResponses)).toEqual([]);
    expect(await db.select().from(surveyParticipation)).toEqual([]);
  });

  it('refuses triggered surveys to members who were not invited', async () => {
    const { t, headers } = await setup();
    const res = await t.postJson(
      '/api/surveys/mentorship-check-in-30/responses',
      { answers: {}, instance: 'mentorship:00000000-0000-4000-8000-000000000000:day-30' },
      { headers },
    );
    expect(res.status).toBe(403);
  });
});

describe('anonymity, by schema', () => {
  it('answer tables hold no user, session or address, store days only, and keep no insertion order', async () => {
    const { db } = await setup();
    const columns = async (table: string) =>
      (await db.all<{ name: string; type: string }>(sql.raw(`pragma table_info(${table})`))).map((c) => c.name);
    const answers = await columns('survey_answers');
    expect(answers.sort()).toEqual(['choice', 'question', 'response_id', 'value_num', 'value_text']);
    const responses = await columns('survey_responses');
    // respondent_id is filled for identified surveys only; pseudonym for pseudonymous ones (tested above).
    expect(responses.filter((c) => /user|session|ip|address|agent|created|time/.test(c))).toEqual([]);
    const definitions = await db.all<{ name: string; sql: string }>(
      sql`select name, sql from sqlite_master where name in ('survey_responses', 'survey_answers')`,
    );
    for (const d of definitions) expect(d.sql, d.name).toMatch(/WITHOUT ROWID/);
    // Participation says who answered, never what.
    expect((await columns('survey_participation')).sort()).toEqual([
      'answered_day',
      'instance',
      'invited_day',
      'survey',
      'user_id',
    ]);
    void surveyAnswers;
  });
});

/** The flash a form post left, read from its Set-Cookie header as the next page would. */
function flashOf(res: Response) {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${FLASH_COOKIE}=`));
  if (!cookie) return null;
  const raw = cookie.slice(FLASH_COOKIE.length + 1).split(';')[0]!;
  expect(raw.length).toBeLessThanOrEqual(FLASH_BUDGET);
  return parseFlash(decodeURIComponent(raw));
}

/** Posts the survey page's form: `q.<question>` fields, repeated for checkboxes. */
function postSurveyForm(
  t: ReturnType<typeof testApp>,
  slug: string,
  fields: [string, string][],
  headers: Record<string, string>,
  instance = 'manual',
) {
  const page = `${ORIGIN}/surveys/${slug}${instance === 'manual' ? '' : `?instance=${encodeURIComponent(instance)}`}`;
  return t.request(`/api/surveys/${slug}/responses`, {
    method: 'POST',
    body: new URLSearchParams([...fields, ['instance', instance], ['next', '/surveys']]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', referer: page, ...headers },
  });
}

describe('answering from the survey page (an HTML form, no JavaScript)', () => {
  const story = 'My mentor helped me plan my week. '.repeat(40).trim();

  it('sends a failed form back to the page with each error, numbered, and every answer to refill', async () => {
    const { db, t, headers } = await setup();
    const res = await postSurveyForm(
      t,
      'programme-feedback',
      [
        ['q.recommend', '9'],
        ['q.main-use', 'mentoring'],
        ['q.how-mentoring-helped', story],
        ['q.what-helped', 'being-listened-to'],
        ['q.what-helped', 'mentor-guidance'],
      ],
      headers,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/surveys/programme-feedback');
    const flash = flashOf(res)!;
    expect(flash.kind).toBe('error');
    // The questions left out are named by number, in the summary and beside each question.
    expect(flash.fields).toEqual({
      'answers.feel-welcome': 'Please answer question 2.',
      'answers.feel-safe-sharing': 'Please answer question 3.',
      'answers.easy-to-find': 'Please answer question 4.',
    });
    expect(flash.values).toMatchObject({
      'q.recommend': '9',
      'q.main-use': 'mentoring',
      'q.how-mentoring-helped': story,
    });
    expect(flash.lists).toEqual({ 'q.what-helped': ['being-listened-to', 'mentor-guidance'] });
    expect(flash.values).not.toHaveProperty('next');
    expect(await db.select().from(surveyResponses)).toEqual([]);
    expect(await db.select().from(surveyParticipation)).toEqual([]);
  });

  it('keeps the flash under the cookie limit, naming what it could not bring back', async () => {
    const { t, headers } = await setup();
    const long = 'é'.repeat(3000);
    const res = await postSurveyForm(
      t,
      'programme-feedback',
      [
        ['q.recommend', '3'],
        ['q.main-use', 'library'],
        ['q.one-change', long],
      ],
      headers,
    );
    const flash = flashOf(res)!;
    expect(flash.dropped).toEqual(['q.one-change']);
    expect(flash.values).toMatchObject({ 'q.recommend': '3', 'q.main-use': 'library' });
    expect(Object.keys(flash.fields ?? {}).sort()).toEqual([
      'answers.easy-to-find',
      'answers.feel-safe-sharing',
      'answers.feel-welcome',
      'answers.what-helped',
    ]);
  });

  it('records a complete form, drops a conditional answer that does not apply, and thanks the member', async () => {
    const { db, t, headers } = await setup();
    const res = await postSurveyForm(
      t,
      'programme-feedback',
      [
        ['q.recommend', '8'],
        ['q.feel-welcome', '4'],
        ['q.feel-safe-sharing', '4'],
        ['q.easy-to-find', '3'],
        ['q.main-use', 'library'],
        // Only asked when the main use is mentoring: the server drops it.
        ['q.how-mentoring-helped', 'My mentor Ana, in room 4B.'],
        ['q.what-helped', 'trusted-resources'],
        ['q.what-helped', 'study-tips'],
      ],
      headers,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/surveys');
    expect(flashOf(res)).toMatchObject({ kind: 'success', message: expect.stringMatching(/Thank you/) });
    const answers = await db.select().from(surveyAnswers);
    expect(answers.map((a) => a.question)).not.toContain('how-mentoring-helped');
    expect(JSON.stringify(answers)).not.toContain('Ana');
    expect(
      answers
        .filter((a) => a.question === 'what-helped')
        .map((a) => a.choice)
        .sort(),
    ).toEqual(['study-tips', 'trusted-resources']);
    // Answered: the same form now meets a friendly 409 on the page it came from.
    const again = await postSurveyForm(t, 'programme-feedback', [['q.recommend', '8']], headers);
    expect(again.headers.get('location')).toBe('/surveys/programme-feedback');
    expect(flashOf(again)?.message).toMatch(/already answered/);
  });

  it('speaks the member’s language beside Spanish questions', async () => {
    const { db, t, member, headers } = await setup();
    await db.update(users).set({ locale: 'es' }).where(eq(users.id, member.id));
    const flash = flashOf(await postSurveyForm(t, 'programme-feedback', [['q.recommend', '12']], headers))!;
    expect(flash.message).toBe('Algunas respuestas necesitan otro vistazo.');
    expect(flash.fields?.['answers.recommend']).toBe('Pregunta 1: elige un número del 0 al 10.');
    expect(flash.fields?.['answers.feel-welcome']).toBe('Responde a la pregunta 2, por favor.');
  });
});

describe('where a member stands with a survey (the survey page’s states)', () => {
  const base = loadContent().surveys.find((s) => s.id === 'en/programme-feedback')!.data;
  const fixture = buildSurveyCatalog([
    { id: 'en/open-one', data: base },
    { id: 'en/closed-one', data: { ...base, closes: new Date('2026-11-20') } },
    { id: 'en/later-one', data: { ...base, opens: new Date('2026-11-22'), closes: undefined } },
    { id: 'en/for-mentors', data: { ...base, audience: 'mentors' } },
    { id: 'en/after-close', data: { ...base, trigger: { type: 'mentorship-close' } } },
    { id: 'en/pair-close', data: { ...base, audience: 'mentorship-pair', trigger: { type: 'mentorship-close' } } },
  ]);
  const now = new Date('2026-11-21T10:00:00Z');

  it('tells open, not yet open, closed, for others, not invited and answered apart', async () => {
    const { db, member } = await setup();
    const state = async (slug: string, instance = 'manual') =>
      (await surveyState(db, fixture, member.id, slug, instance, now)).state;
    expect(await state('open-one')).toBe('open');
    expect(await state('closed-one')).toBe('closed');
    expect(await state('later-one')).toBe('not-yet');
    expect(await state('for-mentors')).toBe('not-in-audience');
    expect(await state('after-close', `mentorship:${crypto.randomUUID()}:close`)).toBe('not-invited');
    expect(await state('pair-close', `mentorship:${crypto.randomUUID()}:close`)).toBe('not-in-audience');
    await expect(state('after-close')).rejects.toMatchObject({ status: 404 });
    await expect(state('open-one', 'mentorship:x:close')).rejects.toMatchObject({ status: 404 });
    await expect(state('no-such-survey')).rejects.toMatchObject({ status: 404 });
    await db.insert(surveyParticipation).values({
      survey: 'open-one',
      instance: 'manual',
      userId: member.id,
      invitedDay: '2026-11-20',
      answeredDay: '2026-11-20',
    });
    expect(await surveyState(db, fixture, member.id, 'open-one', 'manual', now)).toMatchObject({
      state: 'answered',
      answeredDay: '2026-11-20',
    });
    // What is listed as waiting agrees with the page.
    const { pending, answered } = await memberSurveys(db, fixture, member.id, now);
    expect(pending).toEqual([]);
    expect(answered).toEqual([{ slug: 'open-one', title: base.title, day: '2026-11-20' }]);
  });

  it('lists, for the member, what an invitation is about without naming anyone outside it', async () => {
    const { db, member } = await setup();
    const other = await createUser(db, { displayName: 'Jun' });
    const mentorshipId = crypto.randomUUID();
    await db.insert(mentorships).values({
      id: mentorshipId,
      mentorId: other.id,
      menteeId: member.id,
      startedAt: now,
      endsAt: now,
      lastActivityAt: now,
    });
    const strangers = crypto.randomUUID();
    const stranger = await createUser(db, { displayName: 'Stranger' });
    await db.insert(mentorships).values({
      id: strangers,
      mentorId: stranger.id,
      menteeId: other.id,
      startedAt: now,
      endsAt: now,
      lastActivityAt: now,
    });
    const contexts = await instanceContexts(db, member.id, [
      `mentorship:${mentorshipId}:close`,
      `mentorship:${strangers}:close`,
      'track:peer-supporter-orientation:0b5d2f63-2b8e-4a36-9a5e-8f0f8a1f1e11',
      'manual',
    ]);
    expect(contexts.get(`mentorship:${mentorshipId}:close`)).toEqual({
      kind: 'mentorship',
      partner: 'Jun',
      you: 'mentee',
    });
    expect(contexts.has(`mentorship:${strangers}:close`)).toBe(false);
    expect(contexts.get('track:peer-supporter-orientation:0b5d2f63-2b8e-4a36-9a5e-8f0f8a1f1e11')).toEqual({
      kind: 'track',
      track: 'peer-supporter-orientation',
    });
    expect(contexts.has('manual')).toBe(false);
  });
});

describe('instrument pairs, as content', () => {
  const surveys = loadContent().surveys.filter((s) => s.locale === 'en');
  const pre = surveys.find((s) => s.slug === 'confidence-pre')!.data;
  const post = surveys.find((s) => s.slug === 'confidence-post')!.data;

  it('the shipped pairs ask the same ratings before and after', () => {
    expect(surveyPairProblems(surveys.map((s) => ({ slug: s.slug, survey: s.data })))).toEqual([]);
  });

  it('name a pair without its "after", one with other ratings, and a 0–10 question in an instrument', () => {
    const [, ...rest] = post.questions;
    const problems = surveyPairProblems([
      { slug: 'confidence-pre', survey: pre },
      { slug: 'confidence-post', survey: { ...post, questions: rest } },
      { slug: 'lonely-pre', survey: { ...pre, pairKey: 'lonely' } },
    ]);
    expect(problems).toEqual([
      {
        slug: 'confidence-post',
        message: expect.stringContaining(`asks the likert5 ratings`) as string,
      },
      { slug: 'lonely-pre', message: 'pairKey lonely has 0 "post" surveys: it needs exactly one' },
    ]);
    const parsed = surveySchema.safeParse({
      ...pre,
      opens: '2026-09-01',
      closes: '2027-06-30',
      questions: [...pre.questions, { id: 'recommend', type: 'nps', prompt: 'Would you recommend Hearth?' }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message)).toContain(
      'a pre/post survey scores its likert5 ratings: ask a 0–10 question in another survey',
    );
  });
});
