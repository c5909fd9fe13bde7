/**
 * Times the matching core on realistic random data (fixed seed, so every run sees the same people):
 *
 *   node scripts/bench-matching.ts            # report, always exit 0
 *   node scripts/bench-matching.ts --strict   # exit 1 when over budget
 *
 * - rankMentors: one mentee's request among 2,000 mentors, median of 20 requests (20 different
 *   mentees) after 3 warm-up requests; budget 50 ms. The cold first request is shown too.
 * - bulkAssign: 500 mentees × 200 mentors, median of 5 runs; budget 2 s.
 *
 * People: topics from 12, languages from en/es/fr/pt/ar/zh (most speak English), 20 time zones
 * with whole, half-hour and 45-minute offsets on both hemispheres, 2–6 weekly windows each.
 */
import { validateWindows, type AvailabilityWindow, type Weekday } from '#functions/mentoring/availability.ts';
import {
  bulkAssign,
  DEFAULT_WEIGHTS,
  rankMentors,
  scoreMatch,
  type MenteeNeed,
  type MentorCandidate,
} from '#functions/mentoring/matching.ts';
import { Fatal, runMain } from './lib/fail.ts';
import { seededRandom, type SeededRandom } from './lib/random.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, prepareFileDatabase } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';
import { menteeRequests, mentorProfiles, userRoles, users } from '#db/schema/index.ts';
import { suggestions } from '#functions/services/mentoring/requests.ts';

const RANK_BUDGET_MS = 50;
const BULK_BUDGET_MS = 2000;
const SEED = 20250714;
const NOW = new Date('2025-10-15T12:00:00Z');

const TOPICS = [
  'listening',
  'study-skills',
  'writing',
  'maths',
  'careers',
  'wellbeing',
  'languages',
  'coding',
  'exams',
  'time-management',
  'public-speaking',
  'research',
];
const OTHER_LANGUAGES = ['es', 'fr', 'pt', 'ar', 'zh'];
const ZONES = [
  'Europe/Madrid',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Istanbul',
  'Africa/Lagos',
  'Africa/Nairobi',
  'Africa/Casablanca',
  'America/Bogota',
  'America/Mexico_City',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dubai',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Sydney',
];

const rng = seededRandom;
type Rng = SeededRandom;

const hhmm = (halfHours: number) =>
  `${String(Math.floor(halfHours / 2)).padStart(2, '0')}:${halfHours % 2 ? '30' : '00'}`;

/** 2–6 windows, mostly evenings and weekends, never overlapping on a day. */
function windows(r: Rng): AvailabilityWindow[] {
  const count = r.int(2, 6);
  const out: AvailabilityWindow[] = [];
  while (out.length < count) {
    const day = r.int(0, 6) as Weekday;
    const evening = r.next() < 0.6;
    const start = evening ? r.int(34, 42) : r.int(14, 34); // 17:00–21:00 or 07:00–17:00
    const length = r.int(2, 6); // 1–3 h
    const candidate = { day, start: hhmm(start), end: hhmm(Math.min(48, start + length)) };
    if (validateWindows([...out, candidate]).length === 0) out.push(candidate);
  }
  return out;
}

function languages(r: Rng): string[] {
  const speaksEnglish = r.next() < 0.85;
  const others = r.sample(OTHER_LANGUAGES, speaksEnglish ? (r.next() < 0.4 ? 1 : 0) : r.int(1, 2));
  return speaksEnglish ? ['en', ...others] : others;
}

function mentors(r: Rng, count: number): MentorCandidate[] {
  return Array.from({ length: count }, (_, i) => {
    const capacity = r.int(1, 5);
    return {
      id: `mentor-${String(i).padStart(4, '0')}`,
      topics: r.sample(TOPICS, r.int(2, 5)),
      languages: languages(r),
      timezone: r.pick(ZONES),
      availability: windows(r),
      capacity,
      activeMentees: r.next() < 0.1 ? capacity : r.int(0, capacity - 1),
      accepting: r.next() < 0.9,
      awayUntil: r.next() < 0.05 ? new Date(NOW.getTime() + 14 * 86_400_000) : null,
    };
  });
}

function needs(r: Rng, count: number, pool: readonly MentorCandidate[]): MenteeNeed[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `mentee-${String(i).padStart(4, '0')}`,
    topics: r.sample(TOPICS, r.int(1, 3)),
    languages: languages(r),
    timezone: r.pick(ZONES),
    availability: windows(r),
    pastMentorIds: r.next() < 0.1 ? [r.pick(pool).id] : [],
  }));
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

/** Best pair first, as a coordinator would by hand: the baseline bulkAssign should beat. */
function greedy(ns: readonly MenteeNeed[], ms: readonly MentorCandidate[]) {
  const pairs: { n: string; m: string; s: number }[] = [];
  for (const n of ns)
    for (const m of ms) {
      const s = scoreMatch(n, m, DEFAULT_WEIGHTS, NOW)?.score;
      if (s !== undefined) pairs.push({ n: n.id, m: m.id, s });
    }
  pairs.sort((a, b) => b.s - a.s);
  const free = new Map(ms.map((m) => [m.id, m.capacity - m.activeMentees]));
  const done = new Set<string>();
  let total = 0;
  for (const p of pairs) {
    if (done.has(p.n) || free.get(p.m)! <= 0) continue;
    done.add(p.n);
    free.set(p.m, free.get(p.m)! - 1);
    total += p.s;
  }
  return { count: done.size, total };
}

runMain(async () => {
  const strict = process.argv.includes('--strict');
  const r = rng(SEED);
  const bigPool = mentors(r, 2000);
  const requests = needs(r, 23, bigPool);
  const roundMentors = mentors(r, 200);
  const roundNeeds = needs(r, 500, roundMentors);

  console.log(`\nHearth matching bench (seed ${SEED}, Node ${process.versions.node})\n`);

  const rankTimes = requests.map((need) => time(() => rankMentors(need, bigPool, DEFAULT_WEIGHTS, NOW)));
  const cold = rankTimes[0]!.ms;
  const rankMedian = median(rankTimes.slice(3).map((t) => t.ms));
  const sample = rankTimes[3]!.result[0];
  const eligible = bigPool.filter((m) => scoreMatch(requests[3]!, m, DEFAULT_WEIGHTS, NOW) !== null).length;
  console.log(`rankMentors, 1 request among ${bigPool.length} mentors, median of 20 (after 3 warm-up):`);
  console.log(`  ${rankMedian.toFixed(2)} ms (budget ${RANK_BUDGET_MS} ms; cold first request ${cold.toFixed(2)} ms)`);
  if (sample) {
    console.log(`  e.g. ${requests[3]!.id}: ${eligible} eligible, best ${sample.mentorId} at ${sample.score}`);
    const f = sample.factors;
    console.log(
      `       ${[f.topics.detail, f.language.detail, f.availability.detail, f.load.detail, f.newPair.detail].join(' · ')}`,
    );
  }

  const bulkTimes = Array.from({ length: 5 }, () =>
    time(() => bulkAssign(roundNeeds, roundMentors, DEFAULT_WEIGHTS, NOW)),
  );
  const bulkMedian = median(bulkTimes.map((t) => t.ms));
  const plan = bulkTimes[0]!.result;
  const places = roundMentors.reduce(
    (t, m) => t + (m.accepting && !m.awayUntil ? Math.max(0, m.capacity - m.activeMentees) : 0),
    0,
  );
  const base = greedy(roundNeeds, roundMentors);
  console.log(`\nbulkAssign, ${roundNeeds.length} mentees × ${roundMentors.length} mentors, median of 5:`);
  console.log(`  ${bulkMedian.toFixed(1)} ms (budget ${BULK_BUDGET_MS} ms)`);
  console.log(
    `  ${plan.assignments.length} assigned (${places} free places), total ${plan.totalScore}, mean ${(plan.totalScore / Math.max(1, plan.assignments.length)).toFixed(1)}; ${plan.unassigned.length} unassigned`,
  );
  console.log(`  greedy best-pair-first for comparison: ${base.count} assigned, total ${base.total.toFixed(1)}`);
  const reasons = new Map<string, number>();
  for (const u of plan.unassigned) {
    const kind = u.reason.replace(/\d+/g, 'N');
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
  }
  for (const [reason, count] of reasons) console.log(`  ${String(count).padStart(4)} × ${reason}`);

  const failures: string[] = [];
  if (rankMedian > RANK_BUDGET_MS) failures.push(`rankMentors ${rankMedian.toFixed(1)} ms > ${RANK_BUDGET_MS} ms`);
  if (bulkMedian > BULK_BUDGET_MS) failures.push(`bulkAssign ${bulkMedian.toFixed(0)} ms > ${BULK_BUDGET_MS} ms`);
  // The same request through the service, as the API serves it: profiles and loads read from a
  // libSQL file (a local server adds a network round trip or two on top).
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-bench-matching-'));
  const db = createDatabase({ url: `file:${path.join(dir, 'bench.db')}` });
  let serviceMedian: number;
  try {
    await prepareFileDatabase(db);
    await applyMigrations(db);
    for (let i = 0; i < bigPool.length; i += 200) {
      const slice = bigPool.slice(i, i + 200);
      await db.batch([
        db.insert(users).values(slice.map((m) => ({ id: m.id, email: `${m.id}@bench.test`, displayName: m.id }))),
        db.insert(userRoles).values(slice.map((m) => ({ userId: m.id, role: 'mentor' as const }))),
        db.insert(mentorProfiles).values(
          slice.map((m) => ({
            userId: m.id,
            topics: m.topics,
            languages: m.languages,
            timezone: m.timezone,
            availability: m.availability,
            capacity: m.capacity,
            accepting: m.accepting,
            awayUntil: m.awayUntil,
            updatedAt: NOW,
          })),
        ),
      ]);
    }
    const need = requests[3]!;
    await db.insert(users).values({ id: 'mentee', email: 'mentee@bench.test', displayName: 'Mentee' });
    await db.insert(menteeRequests).values({
      id: need.id,
      userId: 'mentee',
      goals: ['Settle in'],
      topics: need.topics,
      languages: need.languages,
      timezone: need.timezone,
      availability: need.availability,
      format: 'either',
      createdAt: NOW,
      updatedAt: NOW,
    });
    const runs: number[] = [];
    for (let i = 0; i < 13; i++) {
      const started = performance.now();
      await suggestions(db, need.id, 'mentee', false, NOW);
      runs.push(performance.now() - started);
    }
    serviceMedian = median(runs.slice(3));
  } finally {
    db.$client.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nsuggestions() service, 1 request among ${bigPool.length} mentors in libSQL, median of 10:`);
  console.log(`  ${serviceMedian.toFixed(1)} ms (budget ${RANK_BUDGET_MS} ms of server time)`);
  if (serviceMedian > RANK_BUDGET_MS) failures.push(`suggestions() ${serviceMedian.toFixed(1)} ms`);

  console.log(`\nrankMentors: ${rankMedian <= RANK_BUDGET_MS ? 'PASS' : 'FAIL'}`);
  console.log(`suggestions: ${serviceMedian <= RANK_BUDGET_MS ? 'PASS' : 'FAIL'}`);
  console.log(`bulkAssign:  ${bulkMedian <= BULK_BUDGET_MS ? 'PASS' : 'FAIL'}`);
  if (failures.length && strict) throw new Fatal(`Over budget: ${failures.join('; ')}.`);
  if (failures.length) console.log(`\nOver budget (${failures.join('; ')}); run with --strict to fail.`);
  else console.log('\nAll within budget.');
});
