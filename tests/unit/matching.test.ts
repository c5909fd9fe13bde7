import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AvailabilityWindow, Weekday } from '#functions/mentoring/availability.ts';
import {
  bulkAssign,
  DEFAULT_WEIGHTS,
  ineligibility,
  rankMentors,
  scoreMatch,
  validateWeights,
  type MatchResult,
  type MenteeNeed,
  type MentorCandidate,
  type Weights,
} from '#functions/mentoring/matching.ts';

const NOW = new Date('2025-07-14T12:00:00Z');
const w = (day: Weekday, start: string, end: string): AvailabilityWindow => ({ day, start, end });

function mentor(id: string, overrides: Partial<MentorCandidate> = {}): MentorCandidate {
  return {
    id,
    topics: ['listening', 'study-skills'],
    languages: ['en'],
    timezone: 'Europe/Madrid',
    availability: [w(0, '16:00', '20:00')],
    capacity: 3,
    activeMentees: 0,
    accepting: true,
    awayUntil: null,
    ...overrides,
  };
}

function need(id: string, overrides: Partial<MenteeNeed> = {}): MenteeNeed {
  return {
    id,
    topics: ['listening', 'study-skills'],
    languages: ['en'],
    timezone: 'Europe/Madrid',
    availability: [w(0, '16:00', '20:00')],
    pastMentorIds: [],
    ...overrides,
  };
}

const sumPoints = ({ factors }: MatchResult) =>
  Math.round(
    (factors.topics.points + factors.availability.points + factors.load.points + factors.newPair.points) * 10,
  ) / 10;

describe('scoreMatch eligibility', () => {
  const ana = need('ana', { languages: ['es', 'en'] });

  it.each([
    ['no shared language', mentor('m', { languages: ['fr', 'pt'] }), 'They share no language.'],
    ['not accepting', mentor('m', { accepting: false }), 'The mentor is not accepting new mentees.'],
    [
      'away until after now',
      mentor('m', { awayUntil: new Date('2025-08-01T00:00:00Z') }),
      'The mentor is away until 2025-08-01.',
    ],
    ['full', mentor('m', { capacity: 2, activeMentees: 2 }), 'The mentor is full (2 of 2 places taken).'],
    ['over capacity', mentor('m', { capacity: 1, activeMentees: 3 }), 'The mentor is full (3 of 1 place taken).'],
    ['the mentee themselves', mentor('ana'), 'A person cannot mentor themselves.'],
  ])('is null for %s', (_, m, reason) => {
    expect(scoreMatch(ana, m, DEFAULT_WEIGHTS, NOW)).toBeNull();
    expect(ineligibility(ana, m, NOW)).toBe(reason);
  });

  it('knows the mentee by userId when the need is identified by a request id', () => {
    const request = need('request-1', { userId: 'ana' });
    expect(ineligibility(request, mentor('ana'), NOW)).toBe('A person cannot mentor themselves.');
    expect(rankMentors(request, [mentor('ana'), mentor('bo')], DEFAULT_WEIGHTS, NOW).map((r) => r.mentorId)).toEqual([
      'bo',
    ]);
    const plan = bulkAssign([request], [mentor('ana')], DEFAULT_WEIGHTS, NOW);
    expect(plan.unassigned).toEqual([
      { menteeId: 'request-1', reason: 'No mentor shares a language with this mentee.' },
    ]);
  });

  it('is eligible once the away date has passed, or is exactly now', () => {
    expect(
      scoreMatch(ana, mentor('m', { awayUntil: new Date('2025-07-01T00:00:00Z') }), DEFAULT_WEIGHTS, NOW),
    ).not.toBeNull();
    expect(scoreMatch(ana, mentor('m', { awayUntil: NOW }), DEFAULT_WEIGHTS, NOW)).not.toBeNull();
    expect(ineligibility(ana, mentor('m'), NOW)).toBeNull();
  });

  it('compares languages case-insensitively', () => {
    expect(scoreMatch(ana, mentor('m', { languages: ['ES'] }), DEFAULT_WEIGHTS, NOW)).not.toBeNull();
  });
});

describe('scoreMatch factors', () => {
  // Bogotá Mon 09:00–12:30 = 14:00–17:30 UTC; Madrid (CEST) Mon 16:00–20:00 = 14:00–18:00 UTC → 3.5 h.
  const lucia = need('lucia', {
    topics: ['listening', 'study-skills', 'writing'],
    languages: ['es'],
    timezone: 'America/Bogota',
    availability: [w(0, '09:00', '12:30')],
  });
  const marta = mentor('marta', {
    topics: ['Listening', 'study-skills', 'maths'],
    languages: ['en', 'es'],
    capacity: 3,
    activeMentees: 1,
  });

  it('explains each factor in words a coordinator can read', () => {
    const result = scoreMatch(lucia, marta, DEFAULT_WEIGHTS, NOW)!;
    expect(result.factors).toEqual({
      topics: {
        value: 0.67,
        shared: ['listening', 'study-skills'],
        detail: '2 of 3 topics: listening, study-skills',
        points: 33.3,
      },
      language: { shared: ['es'], detail: 'Shares Spanish' },
      availability: {
        hoursPerWeek: 3.5,
        value: 0.875,
        detail: '3.5 h a week overlap across time zones',
        points: 26.3,
      },
      load: { value: 0.67, detail: '1 of 3 places taken', points: 6.7 },
      newPair: { value: 1, detail: 'Never matched before', points: 10 },
    });
    // 50·2/3 + 30·0.875 + 10·2/3 + 10 = 76.25 → 76.3, and the points add up to it.
    expect(result.score).toBe(76.3);
    expect(sumPoints(result)).toBe(result.score);
  });

  it('caps availability at 4 shared hours, notes a past pair and the same zone', () => {
    const result = scoreMatch(
      need('n', { availability: [w(0, '14:00', '22:00')], pastMentorIds: ['marta'], languages: ['en', 'es'] }),
      marta,
      DEFAULT_WEIGHTS,
      NOW,
    )!;
    expect(result.factors.availability).toMatchObject({ hoursPerWeek: 4, value: 1, detail: '4 h a week overlap' });
    expect(result.factors.newPair).toEqual({ value: 0, detail: 'Matched before', points: 0 });
    expect(result.factors.language.detail).toBe('Shares English and Spanish');
  });

  it('handles no overlap and no topics', () => {
    const result = scoreMatch(
      need('n', { topics: [], availability: [w(3, '08:00', '09:00')] }),
      mentor('m'),
      DEFAULT_WEIGHTS,
      NOW,
    )!;
    expect(result.factors.topics.detail).toBe('No topics listed by the mentee');
    expect(result.factors.availability.detail).toBe('No overlapping hours in the week');
    expect(result.score).toBe(20);
  });

  it('scores 0 when every weight is 0, and refuses weights outside 0..10', () => {
    const zero = { topics: 0, availability: 0, load: 0, newPair: 0 };
    expect(scoreMatch(need('n'), mentor('m'), zero, NOW)!.score).toBe(0);
    expect(validateWeights({ ...DEFAULT_WEIGHTS, load: 11, topics: Number.NaN })).toEqual([
      'The topics weight must be a number from 0 to 10.',
      'The load weight must be a number from 0 to 10.',
    ]);
    expect(() => scoreMatch(need('n'), mentor('m'), { ...DEFAULT_WEIGHTS, newPair: -1 }, NOW)).toThrow(RangeError);
  });

  it('points always add up to the score, which stays within 0..100 with one decimal', () => {
    fc.assert(
      fc.property(instance(1, 1), weightsArb, ({ needs: [n], mentors: [m] }, weights) => {
        const result = scoreMatch(n!, m!, weights, NOW);
        if (!result) return;
        expect(sumPoints(result)).toBe(result.score);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(Math.round(result.score * 10)).toBeCloseTo(result.score * 10, 9);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('rankMentors', () => {
  const n = need('n', { topics: ['listening', 'study-skills', 'writing'] });

  it('orders by score, then fewer active mentees, then id, and leaves out the ineligible', () => {
    const mentors = [
      mentor('c', { capacity: 2, activeMentees: 1 }), // same score as b below: load 0.5
      mentor('b', { capacity: 4, activeMentees: 2 }),
      mentor('a', { capacity: 4, activeMentees: 2 }),
      mentor('top', { topics: ['listening', 'study-skills', 'writing'] }),
      mentor('away', { topics: ['listening', 'study-skills', 'writing'], awayUntil: new Date('2030-01-01') }),
      mentor('full', { capacity: 1, activeMentees: 1 }),
      mentor('french', { languages: ['fr'] }),
      mentor('low', { topics: [] }),
    ];
    const ranked = rankMentors(n, mentors, DEFAULT_WEIGHTS, NOW);
    expect(ranked.map((r) => r.mentorId)).toEqual(['top', 'c', 'a', 'b', 'low']);
    expect(ranked[1]!.score).toBe(ranked[2]!.score);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score)].sort((x, y) => y - x));
    expect(rankMentors(n, mentors, DEFAULT_WEIGHTS, NOW, 2).map((r) => r.mentorId)).toEqual(['top', 'c']);
    expect(rankMentors(n, mentors, DEFAULT_WEIGHTS, NOW, 0)).toEqual([]);
  });

  it('breaks ties on equal score and load by id', () => {
    const ranked = rankMentors(n, [mentor('zoe'), mentor('amir'), mentor('li')], DEFAULT_WEIGHTS, NOW);
    expect(ranked.map((r) => r.mentorId)).toEqual(['amir', 'li', 'zoe']);
  });

  it('lets the weights change the ranking', () => {
    // Topics: all three shared, but no shared hours. Hours: one topic, four shared hours.
    const topics = mentor('topics', {
      topics: ['listening', 'study-skills', 'writing'],
      availability: [w(3, '08:00', '09:00')],
    });
    const hours = mentor('hours', { topics: ['writing'] });
    expect(rankMentors(n, [topics, hours], DEFAULT_WEIGHTS, NOW).map((r) => r.mentorId)).toEqual(['topics', 'hours']);
    const timeFirst: Weights = { topics: 1, availability: 10, load: 0, newPair: 0 };
    expect(rankMentors(n, [topics, hours], timeFirst, NOW).map((r) => r.mentorId)).toEqual(['hours', 'topics']);
  });

  it('agrees with scoring every mentor and sorting', () => {
    fc.assert(
      fc.property(instance(1, 8), weightsArb, ({ needs: [n], mentors }, weights) => {
        const expected = mentors
          .map((m) => ({ m, result: scoreMatch(n!, m, weights, NOW) }))
          .filter((x): x is { m: MentorCandidate; result: MatchResult } => x.result !== null)
          .sort(
            (x, y) =>
              y.result.score - x.result.score || x.m.activeMentees - y.m.activeMentees || (x.m.id < y.m.id ? -1 : 1),
          )
          .map(({ m, result }) => ({ mentorId: m.id, ...result }));
        expect(rankMentors(n!, mentors, weights, NOW, 100)).toEqual(expected);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('bulkAssign', () => {
  it('beats greedy when the best pair would strand another mentee', () => {
    const x = mentor('x', { languages: ['en', 'es'], capacity: 1, topics: ['listening', 'study-skills'] });
    const y = mentor('y', { languages: ['en'], capacity: 1, topics: ['listening'] });
    const a = need('a', { languages: ['en', 'es'] }); // x fits perfectly, y half
    const b = need('b', { languages: ['es'], topics: ['listening', 'writing'] }); // only x speaks Spanish
    const mentors = [x, y];
    const needs = [a, b];

    // Greedy: best pair first.
    const pairs = needs
      .flatMap((n) => mentors.map((m) => ({ n: n.id, m: m.id, s: scoreMatch(n, m, DEFAULT_WEIGHTS, NOW)?.score })))
      .filter((p): p is { n: string; m: string; s: number } => p.s !== undefined)
      .sort((p, q) => q.s - p.s);
    expect(pairs[0]).toMatchObject({ n: 'a', m: 'x' });
    const taken = new Set<string>();
    const greedy = pairs.filter((p) => !taken.has(p.n) && !taken.has(p.m) && taken.add(p.n).add(p.m));
    expect(greedy.map((p) => `${p.n}-${p.m}`)).toEqual(['a-x']);

    const result = bulkAssign(needs, mentors, DEFAULT_WEIGHTS, NOW);
    expect(result.assignments.map((p) => `${p.menteeId}-${p.mentorId}`)).toEqual(['a-y', 'b-x']);
    expect(result.unassigned).toEqual([]);
    expect(result.totalScore).toBe(Math.round(result.assignments.reduce((t, p) => t + p.score, 0) * 10) / 10);
    expect(result.assignments[0]!.factors.topics.detail).toBe('1 of 2 topics: listening');
  });

  it('uses free places (capacity − active mentees) and never more', () => {
    const m = mentor('m', { capacity: 3, activeMentees: 1 });
    const needs = ['a', 'b', 'c', 'd'].map((id) => need(id));
    const result = bulkAssign(needs, [m], DEFAULT_WEIGHTS, NOW);
    expect(result.assignments.map((p) => p.menteeId)).toEqual(['a', 'b']);
    expect(result.unassigned).toEqual([
      { menteeId: 'c', reason: 'The one suitable mentor’s places all went to other mentees in this round.' },
      { menteeId: 'd', reason: 'The one suitable mentor’s places all went to other mentees in this round.' },
    ]);
  });

  it('says why a mentee was left unassigned', () => {
    const mentors = [
      mentor('full', { languages: ['es'], capacity: 1, activeMentees: 1 }),
      mentor('away', { languages: ['es'], awayUntil: new Date('2030-01-01') }),
      mentor('closed', { languages: ['es'], accepting: false }),
      mentor('weak', { languages: ['fr'], topics: [], availability: [w(4, '06:00', '07:00')] }),
    ];
    const result = bulkAssign(
      [need('pt', { languages: ['pt'] }), need('es', { languages: ['es'] }), need('fr', { languages: ['fr'] })],
      mentors,
      DEFAULT_WEIGHTS,
      NOW,
      { minScore: 50 },
    );
    expect(result.assignments).toEqual([]);
    expect(result.totalScore).toBe(0);
    expect(result.unassigned).toEqual([
      { menteeId: 'pt', reason: 'No mentor shares a language with this mentee.' },
      {
        menteeId: 'es',
        reason:
          'None of the 3 mentors who share a language can take anyone now: 1 full, 1 away and 1 not accepting new mentees.',
      },
      { menteeId: 'fr', reason: 'No available mentor reaches the minimum score of 50 (the best scores 20).' },
    ]);
  });

  it('refuses duplicate ids and bad options', () => {
    expect(() => bulkAssign([need('a'), need('a')], [mentor('m')], DEFAULT_WEIGHTS, NOW)).toThrow(/twice/);
    expect(() => bulkAssign([need('a')], [mentor('m'), mentor('m')], DEFAULT_WEIGHTS, NOW)).toThrow(/twice/);
    expect(() => bulkAssign([], [], DEFAULT_WEIGHTS, NOW, { minScore: 101 })).toThrow(RangeError);
    expect(bulkAssign([], [], DEFAULT_WEIGHTS, NOW)).toEqual({ assignments: [], unassigned: [], totalScore: 0 });
  });

  it('widens a mentee stranded by the top-K pruning', () => {
    // With K = 1 both mentees keep only x; the second must still get y.
    const x = mentor('x', { capacity: 1 });
    const y = mentor('y', { capacity: 1, topics: ['listening'] });
    const result = bulkAssign([need('a'), need('b')], [x, y], DEFAULT_WEIGHTS, NOW, { topK: 1 });
    expect(result.assignments).toHaveLength(2);
    expect(new Set(result.assignments.map((p) => p.mentorId))).toEqual(new Set(['x', 'y']));
  });

  it('equals exhaustive search on small instances: most mentees matched, then best total', () => {
    fc.assert(
      fc.property(
        instance(5, 4),
        weightsArb,
        fc.constantFrom(0, 0, 30, 60),
        ({ needs, mentors }, weights, minScore) => {
          const result = bulkAssign(needs, mentors, weights, NOW, { minScore });
          const best = bruteForce(needs, mentors, weights, minScore);
          expect(result.assignments.length).toBe(best.count);
          expect(Math.round(result.totalScore * 10)).toBe(best.tenths);
          checkPlan(needs, mentors, weights, minScore, result);
        },
      ),
      { seed: 20250714, numRuns: 400 },
    );
  });

  it('respects capacities and is maximal on larger instances, even with heavy pruning', () => {
    fc.assert(
      fc.property(instance(30, 12), weightsArb, fc.constantFrom(1, 2, 25), ({ needs, mentors }, weights, topK) => {
        const result = bulkAssign(needs, mentors, weights, NOW, { topK });
        checkPlan(needs, mentors, weights, 0, result);
        // Maximal: nobody unassigned has an eligible mentor with a free place left.
        const used = new Map<string, number>();
        for (const p of result.assignments) used.set(p.mentorId, (used.get(p.mentorId) ?? 0) + 1);
        for (const { menteeId } of result.unassigned) {
          const n = needs.find((x) => x.id === menteeId)!;
          for (const m of mentors) {
            if (scoreMatch(n, m, weights, NOW) === null) continue;
            expect(m.capacity - m.activeMentees - (used.get(m.id) ?? 0)).toBeLessThanOrEqual(0);
          }
        }
        if (topK === 25) {
          // No pruning at this size: the result is also the optimum, as the small-instance test checks.
          expect(result.assignments.length).toBeGreaterThanOrEqual(greedyCount(needs, mentors, weights));
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

// --- Random instances and the reference solutions they are checked against ---

const TOPICS = ['listening', 'study-skills', 'writing', 'maths', 'careers'];
const LANGUAGES = ['en', 'es', 'fr'];
const ZONES = ['Europe/Madrid', 'America/Bogota', 'Asia/Kolkata', 'Australia/Adelaide'];
const WINDOWS = [
  w(0, '09:00', '11:00'),
  w(0, '18:00', '20:30'),
  w(2, '12:00', '14:45'),
  w(5, '08:00', '12:00'),
  w(6, '20:00', '23:00'),
];

const weightsArb: fc.Arbitrary<Weights> = fc.record({
  topics: fc.integer({ min: 0, max: 10 }),
  availability: fc.integer({ min: 0, max: 10 }),
  load: fc.integer({ min: 0, max: 10 }),
  newPair: fc.integer({ min: 0, max: 10 }),
});

function instance(maxNeeds: number, maxMentors: number) {
  const mentorArb = fc.record({
    topics: fc.subarray(TOPICS),
    languages: fc.subarray(LANGUAGES, { minLength: 1 }),
    timezone: fc.constantFrom(...ZONES),
    availability: fc.subarray(WINDOWS),
    capacity: fc.integer({ min: 1, max: 2 }),
    activeMentees: fc.integer({ min: 0, max: 2 }),
    accepting: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
    awayUntil: fc.constantFrom(null, null, null, new Date('2025-07-01'), new Date('2025-08-01')),
  });
  const needArb = fc.record({
    topics: fc.subarray(TOPICS),
    languages: fc.subarray(LANGUAGES, { minLength: 1, maxLength: 2 }),
    timezone: fc.constantFrom(...ZONES),
    availability: fc.subarray(WINDOWS),
    pastMentorIds: fc.subarray(['m0', 'm1', 'm2', 'm3']),
  });
  return fc
    .record({
      mentors: fc.array(mentorArb, { minLength: 1, maxLength: maxMentors }),
      needs: fc.array(needArb, { minLength: 1, maxLength: maxNeeds }),
    })
    .map(({ mentors, needs }) => ({
      mentors: mentors.map((m, i): MentorCandidate => ({ id: `m${i}`, ...m })),
      needs: needs.map((n, i): MenteeNeed => ({ id: `n${i}`, ...n })),
    }));
}

/** Every plan, by exhaustive search: the most pairs, then the highest total (in tenths). */
function bruteForce(needs: MenteeNeed[], mentors: MentorCandidate[], weights: Weights, minScore: number) {
  const scores = needs.map((n) =>
    mentors.map((m) => {
      const s = scoreMatch(n, m, weights, NOW)?.score;
      return s === undefined || s < minScore ? null : Math.round(s * 10);
    }),
  );
  const free = mentors.map((m) => Math.max(0, m.capacity - m.activeMentees));
  let best = { count: 0, tenths: 0 };
  const visit = (i: number, count: number, tenths: number) => {
    if (i === needs.length) {
      if (count > best.count || (count === best.count && tenths > best.tenths)) best = { count, tenths };
      return;
    }
    visit(i + 1, count, tenths);
    scores[i]!.forEach((s, j) => {
      if (s === null || free[j]! <= 0) return;
      free[j]!--;
      visit(i + 1, count + 1, tenths + s);
      free[j]!++;
    });
  };
  visit(0, 0, 0);
  return best;
}

function greedyCount(needs: MenteeNeed[], mentors: MentorCandidate[], weights: Weights): number {
  const free = new Map(mentors.map((m) => [m.id, m.capacity - m.activeMentees]));
  const pairs = needs
    .flatMap((n) => mentors.map((m) => ({ n: n.id, m: m.id, s: scoreMatch(n, m, weights, NOW)?.score ?? -1 })))
    .filter((p) => p.s >= 0)
    .sort((p, q) => q.s - p.s);
  const done = new Set<string>();
  for (const p of pairs) {
    if (done.has(p.n) || free.get(p.m)! <= 0) continue;
    done.add(p.n);
    free.set(p.m, free.get(p.m)! - 1);
  }
  return done.size;
}

/** Each mentee at most once, every mentee accounted for, no mentor over their free places, scores as scoreMatch says. */
function checkPlan(
  needs: MenteeNeed[],
  mentors: MentorCandidate[],
  weights: Weights,
  minScore: number,
  result: ReturnType<typeof bulkAssign>,
) {
  const ids = [...result.assignments.map((p) => p.menteeId), ...result.unassigned.map((u) => u.menteeId)];
  expect(ids.sort()).toEqual(needs.map((n) => n.id).sort());
  const load = new Map<string, number>();
  let tenths = 0;
  for (const p of result.assignments) {
    load.set(p.mentorId, (load.get(p.mentorId) ?? 0) + 1);
    const expected = scoreMatch(
      needs.find((n) => n.id === p.menteeId)!,
      mentors.find((m) => m.id === p.mentorId)!,
      weights,
      NOW,
    );
    expect(expected).not.toBeNull();
    expect({ score: p.score, factors: p.factors }).toEqual(expected);
    expect(p.score).toBeGreaterThanOrEqual(minScore);
    tenths += Math.round(p.score * 10);
  }
  for (const m of mentors) expect(load.get(m.id) ?? 0).toBeLessThanOrEqual(Math.max(0, m.capacity - m.activeMentees));
  expect(Math.round(result.totalScore * 10)).toBe(tenths);
}
