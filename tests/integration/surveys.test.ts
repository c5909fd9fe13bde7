import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { surveyAnswers, surveyParticipation, surveyResponses } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
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
