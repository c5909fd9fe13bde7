/**
 * The matching core: how well a mentor suits a mentee, the best mentors for one mentee, and a
 * whole round of assignments at once. Pure functions over plain data; the services load the rows,
 * call these, and store the result. No database, no `node:` modules (it runs in Workers).
 *
 * Eligibility is a gate, not a score. A mentor is never suggested when they share no language with
 * the mentee (a shared language is mandatory, so it carries no weight), are not accepting, are away
 * until after `now`, are full (activeMentees ≥ capacity), or are the mentee themselves (same id as
 * the need's `id` or `userId`).
 *
 * The score of an eligible pair is 0–100 with one decimal: a weighted mean of four factors, each
 * worth 0–1, with weights 0–10 (only their ratios matter):
 *   - topics: shared topics ÷ the mentee's topics (what the mentee asked for that the mentor offers;
 *     mentor topics beyond those do not dilute it, unlike Jaccard). No topics listed: 0 for everyone.
 *   - availability: min(shared hours a week, 4) ÷ 4. Four shared hours a week is plenty for a
 *     weekly or fortnightly hour together; more should not outweigh topics.
 *   - load: 1 − activeMentees ÷ capacity, to spread mentees across mentors.
 *   - newPair: 1 if they were never matched before, 0 otherwise (a fresh pair is preferred, a
 *     past pair is still allowed).
 * Each factor's `points` is its share of the score; points are rounded to tenths with the largest
 * remainder method so that they add up to `score` exactly. Factor `value`s are shown to two
 * decimals; points come from the exact values. Topics and languages compare trimmed and
 * case-insensitively, and languages exactly ("en-GB" does not match "en").
 */
import {
  minutesToQuarterHours,
  overlapMinutes,
  utcOffsetMinutes,
  windowsToUtc,
  type AvailabilityWindow,
  type UtcInterval,
} from './availability.ts';

export interface MentorCandidate {
  id: string;
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  /** 1..5 */
  capacity: number;
  activeMentees: number;
  accepting: boolean;
  awayUntil: Date | null;
}

export interface MenteeNeed {
  /** The mentee, or their request: it is only echoed back as `menteeId`. */
  id: string;
  /**
   * The mentee's member id when `id` is something else (a request id): a mentor with this id is
   * never matched with them. When absent, `id` itself is compared with mentor ids.
   */
  userId?: string | undefined;
  topics: string[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  pastMentorIds: string[];
}

/** Each 0..10; only their ratios matter. A shared language is mandatory, so it has no weight. */
export interface Weights {
  topics: number;
  availability: number;
  load: number;
  newPair: number;
}

/** Topics first (up to 50 points), then time together (30), then spreading load (10) and fresh pairs (10). */
export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({ topics: 5, availability: 3, load: 1, newPair: 1 });

/** Shared hours a week at which the availability factor is full. */
export const PLENTY_OF_HOURS = 4;

/** Edges kept per mentee in `bulkAssign` (see there for the trade-off). */
export const BULK_TOP_K = 25;

export interface MatchFactors {
  topics: { value: number; shared: string[]; detail: string; points: number };
  language: { shared: string[]; detail: string };
  availability: { hoursPerWeek: number; value: number; detail: string; points: number };
  load: { value: number; detail: string; points: number };
  newPair: { value: 0 | 1; detail: string; points: number };
}

export interface MatchResult {
  /** 0..100, one decimal; the sum of the factors' points. */
  score: number;
  factors: MatchFactors;
}

export interface RankedMentor extends MatchResult {
  mentorId: string;
}

export interface Assignment extends MatchResult {
  menteeId: string;
  mentorId: string;
}

export interface BulkAssignResult {
  /** In the order of `needs`. */
  assignments: Assignment[];
  /** In the order of `needs`, each with a sentence a coordinator can act on. */
  unassigned: { menteeId: string; reason: string }[];
  /** Sum of the assigned scores, one decimal. */
  totalScore: number;
}

export interface BulkAssignOptions {
  /** Pairs scoring below this (0..100) are never made. Default 0. */
  minScore?: number;
  /** Mentors kept per mentee before widening; default `BULK_TOP_K`. */
  topK?: number;
}

const WEIGHT_KEYS = ['topics', 'availability', 'load', 'newPair'] as const;

/** Problems with a set of weights, as sentences (empty when valid): each must be a number from 0 to 10. */
export function validateWeights(weights: Weights): string[] {
  return WEIGHT_KEYS.filter((key) => {
    const w = weights[key];
    return typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 10;
  }).map((key) => `The ${key} weight must be a number from 0 to 10.`);
}

// ---------------------------------------------------------------------------------------------
// Prepared inputs: normalised once per call, so the per-pair work is set look-ups and one linear
// interval intersection.

interface PreparedWeights {
  w: readonly [number, number, number, number];
  total: number;
}

function prepareWeights(weights: Weights): PreparedWeights {
  const problems = validateWeights(weights);
  if (problems.length) throw new RangeError(problems.join(' '));
  const w = [weights.topics, weights.availability, weights.load, weights.newPair] as const;
  return { w, total: w[0] + w[1] + w[2] + w[3] };
}

const key = (s: string) => s.trim().toLowerCase();

/** Distinct entries by normalised key, keeping the first spelling. */
function distinct(values: readonly string[]): { keys: string[]; labels: string[] } {
  const keys: string[] = [];
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const k = key(value);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    keys.push(k);
    labels.push(value.trim());
  }
  return { keys, labels };
}

interface NeedContext {
  need: MenteeNeed;
  topics: { keys: string[]; labels: string[] };
  languages: { keys: string[]; labels: string[] };
  past: Set<string>;
  offset: number;
  intervals: UtcInterval[];
}

function prepareNeed(need: MenteeNeed, now: Date): NeedContext {
  const offset = utcOffsetMinutes(need.timezone, now);
  return {
    need,
    topics: distinct(need.topics),
    languages: distinct(need.languages),
    past: new Set(need.pastMentorIds),
    offset,
    intervals: windowsToUtc(need.availability, offset),
  };
}

type Unavailable = 'not-accepting' | 'away' | 'full';

interface MentorContext {
  mentor: MentorCandidate;
  index: number;
  topics: Set<string>;
  languages: Set<string>;
  offset: number;
  intervals: UtcInterval[];
  /** capacity − activeMentees, at least 0. */
  remaining: number;
}

/** Why a mentor cannot take anyone now, whoever asks; null when they can. */
function unavailability(mentor: MentorCandidate, now: Date): Unavailable | null {
  if (!mentor.accepting) return 'not-accepting';
  if (mentor.awayUntil !== null && mentor.awayUntil.getTime() > now.getTime()) return 'away';
  if (!(mentor.activeMentees < mentor.capacity)) return 'full';
  return null;
}

function prepareMentor(mentor: MentorCandidate, index: number, now: Date): MentorContext {
  const offset = utcOffsetMinutes(mentor.timezone, now);
  return {
    mentor,
    index,
    topics: new Set(mentor.topics.map(key)),
    languages: new Set(mentor.languages.map(key)),
    offset,
    intervals: windowsToUtc(mentor.availability, offset),
    remaining: Math.max(0, Math.floor(mentor.capacity - Math.max(0, mentor.activeMentees))),
  };
}

function isSelf(need: MenteeNeed, mentorId: string): boolean {
  return mentorId === need.id || mentorId === need.userId;
}

function sharesLanguage(need: NeedContext, mentor: MentorContext): boolean {
  for (const k of need.languages.keys) if (mentor.languages.has(k)) return true;
  return false;
}

function speaksAny(need: NeedContext, mentor: MentorCandidate): boolean {
  for (const language of mentor.languages) if (need.languages.keys.includes(key(language))) return true;
  return false;
}

interface Measured {
  sharedTopics: number;
  overlapMinutes: number;
  hours: number;
  values: [number, number, number, number];
  tenths: [number, number, number, number];
  total: number;
}

/** Factor values and points (in tenths) of an eligible pair. */
function measure(need: NeedContext, mentor: MentorContext, weights: PreparedWeights): Measured {
  let sharedTopics = 0;
  for (const k of need.topics.keys) if (mentor.topics.has(k)) sharedTopics++;
  const topicCount = need.topics.keys.length;
  const minutes = overlapMinutes(need.intervals, mentor.intervals);
  const hours = minutesToQuarterHours(minutes);
  const { capacity, activeMentees } = mentor.mentor;
  const values: [number, number, number, number] = [
    topicCount ? sharedTopics / topicCount : 0,
    Math.min(hours, PLENTY_OF_HOURS) / PLENTY_OF_HOURS,
    Math.min(1, Math.max(0, 1 - Math.max(0, activeMentees) / capacity)),
    need.past.has(mentor.mentor.id) ? 0 : 1,
  ];
  const tenths = pointsInTenths(weights, values);
  return {
    sharedTopics,
    overlapMinutes: minutes,
    hours,
    values,
    tenths,
    total: tenths[0] + tenths[1] + tenths[2] + tenths[3],
  };
}

/**
 * Each factor's points in tenths of a point, adding up to the rounded score exactly (largest
 * remainder: floor every share, then hand the missing tenths to the largest remainders).
 */
function pointsInTenths({ w, total }: PreparedWeights, values: readonly number[]): [number, number, number, number] {
  if (total <= 0) return [0, 0, 0, 0];
  const exact = w.map((weight, i) => (1000 * weight * values[i]!) / total);
  const floors = exact.map((x) => Math.floor(x + 1e-9)) as [number, number, number, number];
  let missing = Math.round(exact[0]! + exact[1]! + exact[2]! + exact[3]! + 1e-9) - floors.reduce((a, b) => a + b, 0);
  if (missing > 0) {
    const order = [0, 1, 2, 3].sort((a, b) => exact[b]! - floors[b] - (exact[a]! - floors[a]) || a - b);
    for (const i of order) {
      if (missing <= 0) break;
      floors[i]++;
      missing--;
    }
  }
  return floors;
}

// ---------------------------------------------------------------------------------------------
// Explanations, built only for the pairs that are shown.

let languageNames: Intl.DisplayNames | null | undefined;

/** "es" → "Spanish"; anything that is not a language code is shown as written. */
function languageName(code: string): string {
  if (languageNames === undefined) {
    try {
      languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
    } catch {
      languageNames = null;
    }
  }
  try {
    const name = languageNames?.of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

function listInEnglish(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

function explain(need: NeedContext, mentor: MentorContext, weights: PreparedWeights): MatchResult {
  const m = measure(need, mentor, weights);
  const sharedTopics = need.topics.labels.filter((_, i) => mentor.topics.has(need.topics.keys[i]!));
  const topicCount = need.topics.keys.length;
  const sharedLanguages = need.languages.labels.filter((_, i) => mentor.languages.has(need.languages.keys[i]!));
  const { activeMentees, capacity } = mentor.mentor;
  const newPair = m.values[3] === 1 ? 1 : 0;
  return {
    score: m.total / 10,
    factors: {
      topics: {
        value: round2(m.values[0]),
        shared: sharedTopics,
        detail: topicCount
          ? `${sharedTopics.length} of ${topicCount} ${plural(topicCount, 'topic')}${sharedTopics.length ? `: ${sharedTopics.join(', ')}` : ''}`
          : 'No topics listed by the mentee',
        points: m.tenths[0] / 10,
      },
      language: {
        shared: sharedLanguages,
        detail: `Shares ${listInEnglish(sharedLanguages.map(languageName))}`,
      },
      availability: {
        hoursPerWeek: m.hours,
        value: m.values[1],
        detail:
          m.hours > 0
            ? `${m.hours} h a week overlap${need.offset !== mentor.offset ? ' across time zones' : ''}`
            : 'No overlapping hours in the week',
        points: m.tenths[1] / 10,
      },
      load: {
        value: round2(m.values[2]),
        detail: `${activeMentees} of ${capacity} ${plural(capacity, 'place')} taken`,
        points: m.tenths[2] / 10,
      },
      newPair: {
        value: newPair,
        detail: newPair ? 'Never matched before' : 'Matched before',
        points: m.tenths[3] / 10,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One pair, one mentee's ranking.

/** Why this mentor cannot be matched with this mentee now, as a sentence; null when they can. */
export function ineligibility(need: MenteeNeed, mentor: MentorCandidate, now: Date): string | null {
  if (isSelf(need, mentor.id)) return 'A person cannot mentor themselves.';
  const languages = new Set(need.languages.map(key));
  if (!mentor.languages.some((l) => languages.has(key(l)))) return 'They share no language.';
  switch (unavailability(mentor, now)) {
    case 'not-accepting':
      return 'The mentor is not accepting new mentees.';
    case 'away':
      return `The mentor is away until ${mentor.awayUntil!.toISOString().slice(0, 10)}.`;
    case 'full':
      return `The mentor is full (${mentor.activeMentees} of ${mentor.capacity} ${plural(mentor.capacity, 'place')} taken).`;
    default:
      return null;
  }
}

/**
 * The score of one pair with its explanation, or null when the pair is not eligible (see
 * `ineligibility` for why). Time zones are compared with the offsets in force at `now`.
 */
export function scoreMatch(need: MenteeNeed, mentor: MentorCandidate, weights: Weights, now: Date): MatchResult | null {
  const prepared = prepareWeights(weights);
  if (ineligibility(need, mentor, now) !== null) return null;
  return explain(prepareNeed(need, now), prepareMentor(mentor, 0, now), prepared);
}

interface Scored {
  mentor: MentorContext;
  tenths: number;
}

/** Higher score first; then the mentor with fewer active mentees; then id, so the order is stable. */
function byRank(a: Scored, b: Scored): number {
  return (
    b.tenths - a.tenths ||
    a.mentor.mentor.activeMentees - b.mentor.mentor.activeMentees ||
    (a.mentor.mentor.id < b.mentor.mentor.id ? -1 : a.mentor.mentor.id > b.mentor.mentor.id ? 1 : 0)
  );
}

/**
 * The best eligible mentors for one mentee, best first (ties: fewer active mentees, then id), at
 * most `limit`. The mentee's intervals are computed once; each mentor costs a few set look-ups and
 * one linear intersection, and only the returned mentors get their explanation built.
 */
export function rankMentors(
  need: MenteeNeed,
  mentors: readonly MentorCandidate[],
  weights: Weights,
  now: Date,
  limit = 10,
): RankedMentor[] {
  const prepared = prepareWeights(weights);
  if (!(limit > 0)) return [];
  const ctx = prepareNeed(need, now);
  const scored: Scored[] = [];
  mentors.forEach((mentor, index) => {
    if (isSelf(need, mentor.id) || unavailability(mentor, now) !== null || !speaksAny(ctx, mentor)) return;
    const mentorCtx = prepareMentor(mentor, index, now);
    scored.push({ mentor: mentorCtx, tenths: measure(ctx, mentorCtx, prepared).total });
  });
  scored.sort(byRank);
  return scored
    .slice(0, limit)
    .map(({ mentor }) => ({ mentorId: mentor.mentor.id, ...explain(ctx, mentor, prepared) }));
}

// ---------------------------------------------------------------------------------------------
// A whole round: bulkAssign.

/**
 * Assigns each mentee at most one mentor, never beyond a mentor's free places
 * (capacity − activeMentees), choosing the assignment that matches as many mentees as possible
 * and, among those, has the highest total score.
 *
 * Why cardinality first: a coordinator running a round wants everyone who can be matched to be
 * matched; a plan that leaves someone waiting so that two others get slightly better mentors is
 * the wrong trade. To stop it pairing people badly just to raise the count, set `minScore`: pairs
 * below it are never made. Greedy (best pair first) can strand a mentee whose only mentor was
 * taken by someone with alternatives; this never does.
 *
 * How: min-cost max-flow with successive shortest paths (Dijkstra with potentials) on
 * source → mentee (cap 1) → mentor (cap 1) → sink (cap = free places). A mentee→mentor edge costs
 * 1000 − score in tenths (scaled, plus a tie-break below) rather than −score. Every augmenting path
 * adds exactly one pair, so this constant shift changes the cost of every k-pair plan by the same
 * 1000·k: the min-cost flow of each size is still the max-score plan of that size, and all costs
 * are non-negative integers, so Dijkstra needs no Bellman–Ford start and no rounding care. Running to the maximum flow gives the maximum number of
 * pairs; successive shortest paths keep the cost minimal at every size, hence the best total for
 * that number. Exact ties (same number, same total) go to mentees earlier in `needs`, so pass them
 * oldest request first.
 *
 * Pruning trade-off: only each mentee's top K (= 25) eligible mentors become edges, which keeps the
 * graph at ≤ 25 edges per mentee however many mentors there are. The plan is optimal on that graph;
 * it can miss the true optimum when a mentee's best plan needs their 26th-best mentor. To keep the
 * failure that matters to people out — a mentee left unassigned while a mentor they could have had
 * still has a free place — such mentees get all their eligible mentors and the flow is solved again
 * (up to twice), then any left are given the best such mentor directly. So the result is always
 * maximal: no unassigned mentee has an eligible mentor (at or above `minScore`) with a free place.
 * With at most K eligible mentors per mentee the result is exactly optimal.
 */
export function bulkAssign(
  needs: readonly MenteeNeed[],
  mentors: readonly MentorCandidate[],
  weights: Weights,
  now: Date,
  options: BulkAssignOptions = {},
): BulkAssignResult {
  const prepared = prepareWeights(weights);
  const minScore = options.minScore ?? 0;
  if (typeof minScore !== 'number' || !Number.isFinite(minScore) || minScore < 0 || minScore > 100) {
    throw new RangeError('minScore must be a number from 0 to 100.');
  }
  const topK = options.topK ?? BULK_TOP_K;
  if (!Number.isInteger(topK) || topK < 1) throw new RangeError('topK must be a whole number of at least 1.');
  assertDistinct(needs, 'mentee');
  assertDistinct(mentors, 'mentor');
  const minTenths = Math.round(minScore * 10);

  const mentorStatus = mentors.map((mentor) => unavailability(mentor, now));
  const mentorCtx = mentors.map((mentor, index) => (mentorStatus[index] ? null : prepareMentor(mentor, index, now)));
  const needCtx = needs.map((need) => prepareNeed(need, now));

  // Score every pair once; keep eligible ones, best first, and counts for the reasons.
  const candidates: Scored[][] = [];
  const tallies: Tally[] = [];
  needCtx.forEach((need) => {
    const tally: Tally = { language: 0, full: 0, away: 0, notAccepting: 0, eligible: 0, best: -1 };
    const list: Scored[] = [];
    mentors.forEach((mentor, j) => {
      if (isSelf(need.need, mentor.id)) return;
      const ctx = mentorCtx[j];
      if (ctx ? !sharesLanguage(need, ctx) : !speaksAny(need, mentor)) return;
      tally.language++;
      const status = mentorStatus[j];
      if (status === 'full') tally.full++;
      else if (status === 'away') tally.away++;
      else if (status === 'not-accepting') tally.notAccepting++;
      if (!ctx) return;
      tally.eligible++;
      const tenths = measure(need, ctx, prepared).total;
      if (tenths > tally.best) tally.best = tenths;
      if (tenths >= minTenths) list.push({ mentor: ctx, tenths });
    });
    list.sort(byRank);
    candidates.push(list);
    tallies.push(tally);
  });

  const remaining = mentorCtx.map((ctx) => ctx?.remaining ?? 0);
  const widened = new Array<boolean>(needs.length).fill(false);
  const MAX_SOLVES = 3;
  let assigned: Int32Array = new Int32Array(needs.length).fill(-1);
  for (let solve = 0; solve < MAX_SOLVES; solve++) {
    const edges = candidates.map((list, i) => (widened[i] ? list : list.slice(0, topK)));
    assigned = maxScoreMaxMatching(edges, remaining);
    const free = freePlaces(assigned, candidates, remaining);
    let stranded = false;
    candidates.forEach((list, i) => {
      if (assigned[i] !== -1 || widened[i] || list.length <= topK) return;
      if (list.some(({ mentor }) => free[mentor.index]! > 0)) {
        widened[i] = true;
        stranded = true;
      }
    });
    if (!stranded) break;
  }
  // Last resort after MAX_SOLVES: give anyone still stranded the best mentor with a free place.
  const free = freePlaces(assigned, candidates, remaining);
  candidates.forEach((list, i) => {
    if (assigned[i] !== -1) return;
    const pick = list.find(({ mentor }) => free[mentor.index]! > 0);
    if (pick) {
      assigned[i] = pick.mentor.index;
      free[pick.mentor.index]--;
    }
  });

  const assignments: Assignment[] = [];
  const unassigned: BulkAssignResult['unassigned'] = [];
  let totalTenths = 0;
  needCtx.forEach((need, i) => {
    const j = assigned[i]!;
    if (j === -1) {
      unassigned.push({
        menteeId: need.need.id,
        reason: unassignedReason(tallies[i]!, candidates[i]!.length, minScore),
      });
      return;
    }
    const result = explain(need, mentorCtx[j]!, prepared);
    totalTenths += Math.round(result.score * 10);
    assignments.push({ menteeId: need.need.id, mentorId: mentors[j]!.id, ...result });
  });
  return { assignments, unassigned, totalScore: totalTenths / 10 };
}

interface Tally {
  /** Mentors who share a language (any availability). */
  language: number;
  full: number;
  away: number;
  notAccepting: number;
  /** Mentors who share a language and can take someone now. */
  eligible: number;
  /** Best score among the eligible, in tenths; −1 when none. */
  best: number;
}

function unassignedReason(tally: Tally, suitable: number, minScore: number): string {
  if (tally.language === 0) return 'No mentor shares a language with this mentee.';
  if (tally.eligible === 0) {
    const why = [
      tally.full && `${tally.full} full`,
      tally.away && `${tally.away} away`,
      tally.notAccepting && `${tally.notAccepting} not accepting new mentees`,
    ].filter(Boolean);
    return tally.language === 1
      ? `The one mentor who shares a language cannot take anyone now (${why.join('')}).`
      : `None of the ${tally.language} mentors who share a language can take anyone now: ${listInEnglish(why as string[])}.`;
  }
  if (suitable === 0) {
    return `No available mentor reaches the minimum score of ${minScore} (the best scores ${tally.best / 10}).`;
  }
  return suitable === 1
    ? 'The one suitable mentor’s places all went to other mentees in this round.'
    : `The ${suitable} suitable mentors’ places all went to other mentees in this round.`;
}

function assertDistinct(items: readonly { id: string }[], what: string) {
  const seen = new Set<string>();
  for (const { id } of items) {
    if (seen.has(id)) throw new RangeError(`The ${what} ${id} appears twice.`);
    seen.add(id);
  }
}

function freePlaces(assigned: Int32Array, candidates: readonly Scored[][], remaining: readonly number[]): number[] {
  const free = [...remaining];
  for (let i = 0; i < candidates.length; i++) if (assigned[i] !== -1) free[assigned[i]!]!--;
  return free;
}

/**
 * Min-cost max-flow by successive shortest paths on the bipartite graph described at `bulkAssign`.
 * `edges[i]` lists mentee i's mentors (by index into `remaining`) with their scores in tenths.
 * Returns each mentee's mentor index, or −1.
 *
 * Dijkstra runs on reduced costs c(u,v) + h(u) − h(v) ≥ 0. It stops as soon as the sink is
 * settled; potentials then grow by min(dist, dist(sink)), which keeps every reduced cost
 * non-negative (settled nodes are exact, the rest are at least dist(sink)).
 */
function maxScoreMaxMatching(edges: readonly Scored[][], remaining: readonly number[]): Int32Array {
  const n = edges.length;
  const m = remaining.length;
  const source = n + m;
  const sink = n + m + 1;
  const nodes = n + m + 2;
  let arcs = n + m;
  for (const list of edges) arcs += list.length;
  arcs *= 2;
  const to = new Int32Array(arcs);
  const cap = new Int32Array(arcs);
  const cost = new Float64Array(arcs);
  const next = new Int32Array(arcs);
  const head = new Int32Array(nodes).fill(-1);
  let count = 0;
  const addEdge = (u: number, v: number, capacity: number, c: number) => {
    to[count] = v;
    cap[count] = capacity;
    cost[count] = c;
    next[count] = head[u]!;
    head[u] = count++;
    to[count] = u;
    cap[count] = 0;
    cost[count] = -c;
    next[count] = head[v]!;
    head[v] = count++;
  };
  // Cost of pairing mentee i: (1000 − tenths)·scale + i. The scale exceeds any difference in Σ i
  // between two plans, so score decides first and the mentees' order only breaks exact ties.
  const scale = (n * (n - 1)) / 2 + 1;
  for (let j = m - 1; j >= 0; j--) if (remaining[j]! > 0) addEdge(n + j, sink, remaining[j]!, 0);
  for (let i = n - 1; i >= 0; i--) {
    addEdge(source, i, 1, 0);
    // Added worst first so that the adjacency list (last added first) tries the best mentor first.
    const list = edges[i]!;
    for (let k = list.length - 1; k >= 0; k--) {
      addEdge(i, n + list[k]!.mentor.index, 1, (1000 - list[k]!.tenths) * scale + i);
    }
  }

  const potential = new Float64Array(nodes);
  const dist = new Float64Array(nodes);
  const via = new Int32Array(nodes);
  const heapKey = new Float64Array(arcs + 1);
  const heapNode = new Int32Array(arcs + 1);
  let totalFree = 0;
  for (const r of remaining) totalFree += Math.max(0, r);
  const maxFlow = Math.min(n, totalFree);

  for (let flow = 0; flow < maxFlow; flow++) {
    dist.fill(Infinity);
    dist[source] = 0;
    let size = 0;
    const push = (d: number, v: number) => {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapKey[parent]! <= d) break;
        heapKey[i] = heapKey[parent]!;
        heapNode[i] = heapNode[parent]!;
        i = parent;
      }
      heapKey[i] = d;
      heapNode[i] = v;
    };
    push(0, source);
    while (size > 0) {
      const d = heapKey[0]!;
      const u = heapNode[0]!;
      // Pop: move the last entry down from the root.
      size--;
      if (size > 0) {
        const lastKey = heapKey[size]!;
        const lastNode = heapNode[size]!;
        let i = 0;
        for (;;) {
          let child = 2 * i + 1;
          if (child >= size) break;
          if (child + 1 < size && heapKey[child + 1]! < heapKey[child]!) child++;
          if (heapKey[child]! >= lastKey) break;
          heapKey[i] = heapKey[child]!;
          heapNode[i] = heapNode[child]!;
          i = child;
        }
        heapKey[i] = lastKey;
        heapNode[i] = lastNode;
      }
      if (d > dist[u]!) continue;
      if (u === sink) break;
      const pu = potential[u]!;
      for (let e = head[u]!; e !== -1; e = next[e]!) {
        if (cap[e] === 0) continue;
        const v = to[e]!;
        const nd = d + cost[e]! + pu - potential[v]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          via[v] = e;
          push(nd, v);
        }
      }
    }
    const reach = dist[sink]!;
    if (reach === Infinity) break;
    for (let v = 0; v < nodes; v++) potential[v] += Math.min(dist[v]!, reach);
    for (let v = sink; v !== source;) {
      const e = via[v]!;
      cap[e]--;
      cap[e ^ 1]++;
      v = to[e ^ 1]!;
    }
  }

  const assigned = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let e = head[i]!; e !== -1; e = next[e]!) {
      // Forward arcs have even numbers; a used mentee→mentor arc has no capacity left.
      if ((e & 1) === 0 && cap[e] === 0 && to[e]! >= n && to[e]! < n + m) {
        assigned[i] = to[e]! - n;
        break;
      }
    }
  }
  return assigned;
}
