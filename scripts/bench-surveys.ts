/**
 * `npm run bench:surveys`: server time of a survey's results (functions/services/survey-results.ts)
 * with 50,000 responses to programme-feedback, and of an instrument's "after" survey with 50,000
 * responses paired with 50,000 "before" ones (confidence-post: the before-and-after change per
 * cohort comes with it), against a libSQL server (sqld) on loopback, as the Worker reads it.
 * Budget: 300 ms, median of 9 runs after 2 warm-ups, for the whole-survey view and each
 * breakdown. Exits 1 over budget.
 *
 *   npm run bench:surveys
 *   BENCH_RESPONSES=10000 npm run bench:surveys   # a smaller survey
 *
 * The responses spread over 24 monthly cohorts (a few small) and 40 cohort discussion groups (a few
 * small, a fifth of members in none), 15% from mentors, with answers that lean positive and about
 * a third with written answers; seeded, so every run sees the same survey.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';
import { groups } from '#db/schema/index.ts';
import { insertResponses, programmeFeedbackAnswers, ratingIds, type ResponseSeed } from '#db/synthetic-surveys.ts';
import { seededRandom } from '#scripts/lib/random.ts';
import { SEGMENT_KEYS, surveyResults, type SegmentBy } from '#functions/services/survey-results.ts';
import { buildSurveyCatalog } from '#functions/surveys/catalog.ts';
import { Fatal, runMain } from './lib/fail.ts';
import { loadContent } from './lib/content.ts';
import { freePort } from './lib/ports.ts';
import { startSqld } from './lib/sqld.ts';

const BUDGET_MS = 300;
const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 50_000);
const RUNS = 9;
const WARM_UP = 2;
const SLUG = 'programme-feedback';
const AFTER = 'confidence-post';
const BEFORE = 'confidence-pre';
const NOW = new Date('2026-12-01T12:00:00Z');

function median(xs: number[]) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

runMain(async () => {
  const catalog = buildSurveyCatalog(loadContent().surveys);
  for (const slug of [SLUG, BEFORE, AFTER])
    if (!catalog.get(slug)) throw new Fatal(`The survey ${slug} is not in content/surveys: the bench needs it.`);
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-bench-surveys-'));
  const sqld = await startSqld({ dataDir: path.join(dir, 'sqld'), port: await freePort(), quiet: true });
  // Seeding sends large batches; the results themselves must come back well within the default.
  const db = createDatabase({ url: sqld.url, timeoutMs: 60_000 });
  const rows: { view: string; median: number; min: number; max: number }[] = [];
  try {
    await applyMigrations(db);
    const r = seededRandom(20261201);
    const cohorts = Array.from(
      { length: 24 },
      (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    );
    // Most cohorts are large; the last three joined recently and are small.
    const weights = cohorts.map((_, i) => (i >= 21 ? 0.0004 : 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const pickCohort = () => {
      let x = r.next() * total;
      for (let i = 0; i < cohorts.length; i++) if ((x -= weights[i]!) < 0) return cohorts[i]!;
      return cohorts[0]!;
    };
    // Cohort groups: most large, the last four small; a fifth of members in none.
    const groupSlugs = Array.from({ length: 40 }, (_, i) => `intake-${String(i + 1).padStart(2, '0')}`);
    await db.insert(groups).values(
      groupSlugs.map((slug, i) => ({
        id: crypto.randomUUID(),
        slug,
        name: `Intake ${i + 1}`,
        kind: 'cohort' as const,
      })),
    );
    const pickGroup = () => {
      if (r.next() < 0.2) return null;
      return r.next() < 0.001 ? groupSlugs[36 + Math.floor(r.next() * 4)]! : groupSlugs[Math.floor(r.next() * 36)]!;
    };
    const seeded = performance.now();
    const seeds: ResponseSeed[] = Array.from({ length: RESPONSES }, (_, i) => ({
      role: r.next() < 0.15 ? 'mentor' : 'member',
      cohort: pickCohort(),
      group: pickGroup(),
      day: `2026-${String(10 + Math.floor(i / (RESPONSES / 2 + 1))).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      answers: programmeFeedbackAnswers(r, i),
    }));
    await insertResponses(db, catalog, SLUG, seeds, 250);
    const ratings = ratingIds(catalog, BEFORE);
    // The instrument: RESPONSES answered both, a little more confident after; a tenth more only before.
    const before: ResponseSeed[] = [];
    const after: ResponseSeed[] = [];
    for (let i = 0; i < RESPONSES * 1.1; i++) {
      const cohort = pickCohort();
      const pseudonym = `bench-${i}`;
      const base = 1 + Math.floor(r.next() * 4);
      const score = (shift: number) =>
        Object.fromEntries(
          ratings.map((id) => [id, Math.min(5, Math.max(1, base + shift + Math.floor(r.next() * 3) - 1))]),
        );
      before.push({ cohort, pseudonym, day: '2026-09-15', answers: score(0) });
      if (i < RESPONSES) after.push({ cohort, pseudonym, day: '2027-01-20', answers: score(r.next() < 0.4 ? 1 : 0) });
    }
    await insertResponses(db, catalog, BEFORE, before, 250);
    await insertResponses(db, catalog, AFTER, after, 250);
    const answers = Number(
      (await db.$client.execute('select count(*) as n from survey_answers')).rows[0]![0] as number,
    );
    console.log(
      `\nHearth survey results bench: ${RESPONSES.toLocaleString('en')} responses to ${SLUG}, ${before.length.toLocaleString('en')} to ${BEFORE} and ${after.length.toLocaleString('en')} to ${AFTER} (${answers.toLocaleString('en')} answers in all), seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    console.log(
      `libSQL server on loopback, Node ${process.versions.node}; median of ${RUNS} after ${WARM_UP} warm-ups\n`,
    );

    const views: [string, SegmentBy | undefined][] = [
      ...([undefined, ...SEGMENT_KEYS] as (SegmentBy | undefined)[]).map((segment): [string, SegmentBy | undefined] => [
        SLUG,
        segment,
      ]),
      [AFTER, undefined],
      [AFTER, 'cohort'],
    ];
    for (const [slug, segment] of views) {
      const times: number[] = [];
      let result: Awaited<ReturnType<typeof surveyResults>> | undefined;
      for (let i = 0; i < WARM_UP + RUNS; i++) {
        const started = performance.now();
        result = await surveyResults(db, catalog, slug, { segment, now: NOW });
        if (i >= WARM_UP) times.push(performance.now() - started);
      }
      if (slug === SLUG && result!.responses !== RESPONSES)
        throw new Fatal(
          `The results count ${String(result!.responses)} responses, not ${RESPONSES}: the bench is broken.`,
        );
      if (slug === AFTER && !result!.prePost?.rows.length)
        throw new Fatal(`The results of ${AFTER} show no before-and-after change: the bench is broken.`);
      rows.push({
        view: `${slug === SLUG ? '' : `${slug} `}${segment ? `by ${segment} (${result!.segment!.groups.length} groups)` : slug === SLUG ? 'whole survey' : 'with pre/post'}`,
        median: median(times),
        min: Math.min(...times),
        max: Math.max(...times),
      });
    }
  } finally {
    db.$client.close();
    await sqld.stop();
    await rm(dir, { recursive: true, force: true });
  }

  console.log(`${'view'.padEnd(38)}  median ms   min ms   max ms   budget`);
  for (const row of rows)
    console.log(
      `${row.view.padEnd(38)}  ${row.median.toFixed(1).padStart(9)}  ${row.min.toFixed(1).padStart(7)}  ${row.max.toFixed(1).padStart(7)}   ${row.median <= BUDGET_MS ? 'PASS' : 'FAIL'}`,
    );
  const over = rows.filter((row) => row.median > BUDGET_MS);
  if (over.length)
    throw new Fatal(
      `Over the ${BUDGET_MS} ms budget: ${over.map((o) => `${o.view} ${o.median.toFixed(0)} ms`).join('; ')}. The machine may be busy: check its load and run again.`,
    );
  console.log(`\nAll within ${BUDGET_MS} ms.`);
});
