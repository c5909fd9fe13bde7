import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { insertResponses, optionIds, type ResponseSeed } from '#db/synthetic-surveys.ts';
import { createSession } from '#functions/auth/session.ts';
import { contentSurveys } from '#tests/factories/training.ts';
import { createUser } from '#tests/factories/users.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createTestDb } from '#tests/setup/db.ts';

/*
 * survey_counts, the counts the results read, is kept by triggers (migration 0013). These tests
 * count again from the answers themselves, in JavaScript, and expect the same numbers after any
 * mix of responses written, in batches or one by one, and responses deleted.
 */

const catalog = contentSurveys();
const SLUG = 'programme-feedback';

type Counts = Record<string, number>;

/** survey_counts for one survey, as `segment|key|question|answer` → n. */
async function stored(db: Database, survey = SLUG): Promise<Counts> {
  const rows = await db.all<{ segment: string; key: string; question: string; answer: string; n: number }>(
    sql`select segment, key, question, answer, n from survey_counts where survey = ${survey}`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.segment}|${r.key}|${r.question}|${r.answer}`, Number(r.n)]));
}

/** The same counts worked out from the responses and answers, by the definition in db/schema/surveys.ts. */
async function recounted(db: Database, survey = SLUG): Promise<Counts> {
  const responses = await db.all<{ id: string; role: string; cohort: string; grp: string | null }>(
    sql`select id, segment_role as role, cohort, group_slug as grp from survey_responses where survey = ${survey}`,
  );
  const answers = await db.all<{ id: string; question: string; choice: string; num: number | null }>(
    sql`select a.response_id as id, a.question, a.choice, a.value_num as num
      from survey_answers a join survey_responses r on r.id = a.response_id where r.survey = ${survey}`,
  );
  const groupsOf = new Map(
    responses.map((r) => [
      r.id,
      [
        ['all', ''],
        ['role', r.role],
        ['cohort', r.cohort],
        ['group', r.grp ?? ''],
      ],
    ]),
  );
  const counts: Counts = {};
  const add = (id: string, question: string, answer: string) => {
    for (const [segment, key] of groupsOf.get(id)!) {
      const k = `${segment}|${key}|${question}|${answer}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  };
  for (const r of responses) add(r.id, '', '');
  const answered = new Set<string>();
  for (const a of answers) {
    if (a.choice !== '') add(a.id, a.question, a.choice);
    else if (a.num !== null) add(a.id, a.question, String(Math.trunc(Number(a.num))));
    if (!answered.has(`${a.id}|${a.question}`)) {
      answered.add(`${a.id}|${a.question}`);
      add(a.id, a.question, '');
    }
  }
  return counts;
}

/** survey_scores for one survey, as `who|day|id` → [total, n]. */
async function storedScores(db: Database, survey = SLUG) {
  const rows = await db.all<{ who: string; day: string; id: string; total: number; n: number }>(
    sql`select who, day, id, total, n from survey_scores where survey = ${survey}`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.who}|${r.day}|${r.id}`, [Number(r.total), Number(r.n)]]));
}

/** The same worked out from the responses: every linked response, its numeric answers added up. */
async function rescored(db: Database, survey = SLUG) {
  const rows = await db.all<{ who: string | null; day: string; id: string; num: number | null }>(
    sql`select coalesce(r.pseudonym, r.respondent_id) as who, r.day, r.id, a.value_num as num
      from survey_responses r left join survey_answers a on a.response_id = r.id where r.survey = ${survey}`,
  );
  const scores: Record<string, [number, number]> = {};
  for (const r of rows) {
    if (r.who === null) continue;
    const k = `${r.who}|${r.day}|${r.id}`;
    const [total, n] = scores[k] ?? [0, 0];
    scores[k] = r.num === null ? [total, n] : [total + Number(r.num), n + 1];
  }
  return scores;
}

const OPTIONS = optionIds(catalog, SLUG, 'what-helped');

/** A response to programme-feedback with any subset of questions answered. */
const responseArb: fc.Arbitrary<ResponseSeed> = fc.record({
  role: fc.constantFrom('member' as const, 'mentor' as const),
  cohort: fc.constantFrom('2026-01', '2026-02', '2026-03'),
  group: fc.constantFrom(null, 'intake-a', 'intake-b'),
  // Linked responses (a pseudonym) also get a score row; anonymous ones none.
  pseudonym: fc.constantFrom(null, 'code-1', 'code-2'),
  day: fc.constantFrom('2026-10-01', '2026-10-02'),
  answers: fc.record(
    {
      recommend: fc.integer({ min: 0, max: 10 }),
      'feel-welcome': fc.integer({ min: 1, max: 5 }),
      'main-use': fc.constantFrom('discussions', 'training', 'mentoring'),
      'what-helped': fc.uniqueArray(fc.constantFrom(...OPTIONS), { minLength: 1, maxLength: 4 }),
      'in-a-few-words': fc.constantFrom('kind people', 'quiet at night'),
    },
    { requiredKeys: [] },
  ),
});

describe('survey counts and scores, kept by the database', () => {
  it('equal a count of the answers themselves after any responses written in batches and deleted', async () => {
    const db = await createTestDb();
    await fc.assert(
      fc.asyncProperty(
        fc.array(responseArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (seeds, chunk, deletions) => {
          const ids = await insertResponses(db, catalog, SLUG, seeds, chunk);
          expect(await stored(db)).toEqual(await recounted(db));
          expect(await storedScores(db)).toEqual(await rescored(db));
          const gone = [...new Set(deletions.map((d) => ids[d % ids.length]!))];
          for (const id of gone) await db.run(sql`delete from survey_responses where id = ${id}`);
          expect(await stored(db)).toEqual(await recounted(db));
          expect(await storedScores(db)).toEqual(await rescored(db));
          // Everything deleted: nothing is left, not even rows of zero.
          await db.run(sql`delete from survey_responses where survey = ${SLUG}`);
          expect(await stored(db)).toEqual({});
          expect(await storedScores(db)).toEqual({});
        },
      ),
      { numRuns: 25 },
    );
  });

  it('count a response given through the API once per group, and a multiple choice answered once', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    const member = await createUser(db, { displayName: 'Asha' });
    const headers = withSession((await createSession(db, member.id, t.clock.now())).token);
    const res = await t.postJson(
      `/api/surveys/${SLUG}/responses`,
      {
        answers: {
          recommend: 9,
          'feel-welcome': 4,
          'feel-safe-sharing': 5,
          'easy-to-find': 3,
          'main-use': 'training',
          'what-helped': ['study-tips', 'meeting-people', 'trusted-resources'],
        },
      },
      { headers },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const counts = await stored(db);
    expect(counts).toEqual(await recounted(db));
    const everyone = (question: string, answer: string) => counts[`all||${question}|${answer}`];
    expect(everyone('', '')).toBe(1);
    expect(everyone('recommend', '9')).toBe(1);
    expect(everyone('what-helped', '')).toBe(1);
    expect(everyone('what-helped', 'study-tips')).toBe(1);
    expect(everyone('in-a-few-words', '')).toBeUndefined();
    // Each response counts in exactly four groups: everyone, its role, cohort and group.
    expect(Object.keys(counts).filter((k) => k.endsWith('||'))).toHaveLength(4);
  });

  it('refuse an answer changed or deleted apart from its response, and a response moved', async () => {
    const db = await createTestDb();
    const [id] = await insertResponses(db, catalog, SLUG, [
      { answers: { recommend: 7, 'what-helped': ['study-tips'] }, cohort: '2026-01' },
    ]);
    const before = await stored(db);
    // The database's reason, under the query builder's wrapping.
    const refusal = (statement: Promise<unknown>) =>
      statement.then(
        () => 'written',
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(
      await refusal(
        db.run(sql`update survey_answers set value_num = 10 where response_id = ${id} and question = 'recommend'`),
      ),
    ).toMatch(/not changed once given/);
    expect(
      await refusal(db.run(sql`delete from survey_answers where response_id = ${id} and question = 'recommend'`)),
    ).toMatch(/deleted with their response/);
    expect(await refusal(db.run(sql`update survey_responses set cohort = '2026-02' where id = ${id!}`))).toMatch(
      /not changed once given/,
    );
    expect(await stored(db)).toEqual(before);
  });

  it('are filled from the responses already there when the migration runs', async () => {
    const db = await createTestDb();
    await insertResponses(db, catalog, SLUG, [
      { answers: { recommend: 3, 'what-helped': ['study-tips', 'nothing-yet'] }, role: 'mentor', group: 'intake-a' },
      { answers: { recommend: 3, 'in-a-few-words': 'fine' }, cohort: '2025-12', pseudonym: 'code-1' },
      { answers: {}, pseudonym: 'code-2' },
    ]);
    const expected = { counts: await recounted(db), scores: await rescored(db) };
    expect(Object.keys(expected.scores)).toHaveLength(2);
    // The migrations' own statements, run again over emptied tables.
    const backfill = (migration: string, table: string) => {
      const statement = readFileSync(new URL(`../../db/migrations/${migration}.sql`, import.meta.url), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim().replace(/^(--.*\n)+/, ''))
        .find((s) => s.startsWith(`INSERT INTO ${table}`));
      expect(statement, migration).toBeDefined();
      return sql.raw(statement!);
    };
    await db.run(sql`delete from survey_counts`);
    await db.run(sql`delete from survey_scores`);
    await db.run(backfill('0013_survey_counts', 'survey_counts'));
    await db.run(backfill('0014_survey_scores', 'survey_scores'));
    expect(await stored(db)).toEqual(expected.counts);
    expect(await storedScores(db)).toEqual(expected.scores);
  });
});
