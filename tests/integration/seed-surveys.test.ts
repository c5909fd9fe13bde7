import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { appMeta, surveyAnswers, surveyParticipation, surveyResponses, users } from '#db/schema/index.ts';
import { DEMO_MEMBER_COUNT, DEMO_PEOPLE, seedDemoCommunity } from '#db/seed.ts';
import { DEMO_STUDENTS, seedDemoSurveys } from '#db/seed-surveys.ts';
import { impactMetrics, metricsRange } from '#functions/services/metrics.ts';
import { MIN_CELL } from '#functions/surveys/suppression.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { contentSurveys } from '#tests/factories/training.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
let db: Database;

beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemoCommunity(db, NOW)).toBe(true);
});

const responsesOf = (survey: string) => db.select().from(surveyResponses).where(eq(surveyResponses.survey, survey));

describe('the demo surveys', () => {
  it('answer programme feedback about 60 times, in the survey’s window, with every question type', async () => {
    const responses = await responsesOf('programme-feedback');
    expect(responses.length).toBeGreaterThanOrEqual(55);
    expect(responses.length).toBeLessThanOrEqual(60);
    const entry = contentSurveys().get('programme-feedback')!;
    const day = (d: Date) => d.toISOString().slice(0, 10);
    for (const r of responses) {
      expect(r.day >= day(entry.survey.opens) && r.day <= day(NOW)).toBe(true);
      expect(r.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Spread over more than one month, so the satisfaction trend has a shape.
    expect(new Set(responses.map((r) => r.day.slice(0, 7))).size).toBeGreaterThan(1);
    const answers = await db
      .select({
        question: surveyAnswers.question,
        n: sql<number>`count(*)`,
        spread: sql<number>`count(distinct coalesce(${surveyAnswers.valueNum}, ${surveyAnswers.choice}))`,
      })
      .from(surveyAnswers)
      .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
      .where(eq(surveyResponses.survey, 'programme-feedback'))
      .groupBy(surveyAnswers.question);
    const byQuestion = new Map(answers.map((a) => [a.question, a]));
    for (const q of entry.survey.questions) expect(byQuestion.get(q.id)?.n ?? 0, q.id).toBeGreaterThan(0);
    // Varied, not one answer repeated.
    expect(Number(byQuestion.get('recommend')!.spread)).toBeGreaterThanOrEqual(5);
    expect(Number(byQuestion.get('main-use')!.spread)).toBe(5);
  });

  it('record who answered apart from the answers, which name nobody', async () => {
    const catalog = contentSurveys();
    const responses = await db.select().from(surveyResponses);
    const participation = await db.select().from(surveyParticipation);
    for (const survey of new Set(responses.map((r) => r.survey))) {
      const identity = catalog.get(survey)!.survey.identity;
      const mine = responses.filter((r) => r.survey === survey);
      expect(participation.filter((p) => p.survey === survey && p.answeredDay).length, survey).toBe(mine.length);
      if (identity !== 'identified')
        expect(
          mine.every((r) => r.respondentId === null),
          survey,
        ).toBe(true);
      if (identity === 'anonymous')
        expect(
          mine.every((r) => r.pseudonym === null),
          survey,
        ).toBe(true);
    }
    // No pseudonym is, or contains, anyone's id; no free text names a demo person.
    const ids = (await db.select({ id: users.id }).from(users)).map((u) => u.id);
    for (const r of responses) if (r.pseudonym) for (const id of ids) expect(r.pseudonym).not.toContain(id);
    const texts = (await db.select({ text: surveyAnswers.valueText }).from(surveyAnswers))
      .map((a) => a.text)
      .filter((t): t is string => t !== null);
    expect(texts.length).toBeGreaterThan(20);
    const names = [...DEMO_PEOPLE, ...DEMO_STUDENTS]
      .flatMap((p) => p.displayName.split(' '))
      .filter((w) => w.length > 2);
    for (const text of texts) for (const name of names) expect(text).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('link at least ten knowledge pre/post pairs in a joining cohort, and show a change', async () => {
    const pre = await responsesOf('knowledge-pre');
    const post = await responsesOf('knowledge-post');
    const postBy = new Map(post.map((r) => [r.pseudonym, r]));
    const pairs = pre.filter((r) => r.pseudonym && postBy.has(r.pseudonym));
    const perCohort = new Map<string, number>();
    for (const r of pairs) perCohort.set(r.cohort, (perCohort.get(r.cohort) ?? 0) + 1);
    expect(Math.max(...perCohort.values())).toBeGreaterThanOrEqual(10);
    // Each pair is one member: the same cohort before and after, and the after comes later.
    for (const r of pairs) {
      const after = postBy.get(r.pseudonym)!;
      expect(after.cohort).toBe(r.cohort);
      expect(after.day > r.day).toBe(true);
    }
    const mean = async (ids: string[]) =>
      Number(
        (
          await db
            .select({ m: sql<number>`avg(${surveyAnswers.valueNum})` })
            .from(surveyAnswers)
            .where(sql`${surveyAnswers.responseId} in ${ids}`)
        )[0]!.m,
      );
    const before = await mean(pairs.map((r) => r.id));
    const afterMean = await mean(pairs.map((r) => postBy.get(r.pseudonym)!.id));
    expect(afterMean - before).toBeGreaterThan(0.3);
  });

  it('leave one survey below the suppression threshold', async () => {
    const responses = await responsesOf('mentorship-check-in-30');
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.length).toBeLessThan(MIN_CELL);
  });

  it('give the impact dashboard shapes to show', async () => {
    const m = await impactMetrics(db, { ...metricsRange({}, NOW), now: NOW });
    const active = m.series.members.map((w) => w.active);
    expect(Math.max(...active)).toBeGreaterThan(20);
    expect(new Set(active).size).toBeGreaterThan(5);
    expect(
      m.series.retention.cohorts.filter((c) => c.cells.some((x) => x.active?.kind === 'shown')).length,
    ).toBeGreaterThan(2);
    expect(m.series.satisfaction.months.filter((x) => x.mean !== null).length).toBeGreaterThan(1);
    expect(m.series.training.weeks.some((w) => w.completions > 0)).toBe(true);
    expect(m.series.funnel[0]!.count).toBeGreaterThan(0);
  });

  it('are seeded once, and a resumed run adds nothing twice', async () => {
    const count = async () => Number((await db.select({ n: sql<number>`count(*)` }).from(surveyResponses))[0]!.n);
    const before = await count();
    expect(await seedDemoCommunity(db, NOW)).toBe(false);
    expect(await count()).toBe(before);
    expect(await db.$count(users)).toBe(DEMO_MEMBER_COUNT);
    // As if the run had stopped before its marker: every answer is already there, so none is added.
    await db.delete(appMeta).where(eq(appMeta.key, 'demo_surveys_seeded_at'));
    expect(await seedDemoSurveys(db, NOW)).toBe(0);
    expect(await count()).toBe(before);
  });
});
