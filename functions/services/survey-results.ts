import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import type { Survey } from '#src/lib/content/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { ApiError, notFound } from '../errors.ts';
import { toCsv } from '../lib/csv.ts';
import type { CatalogSurvey, SurveyCatalog } from '../surveys/catalog.ts';
import {
  figure,
  HIDDEN,
  npsFigures,
  percentOf,
  publishQuestion,
  scaleFigures,
  shown,
  type CountsRow,
  type Figure,
  type NpsFigures,
  type PublishedRow,
  type Range,
  type ScaleFigures,
} from '../surveys/publish.ts';
import { combineMoments, pairedChangeFromMoments, type Moments } from '../surveys/stats.ts';
import { MIN_CELL, MIN_SEGMENT, suppressSegments, suppressTable } from '../surveys/suppression.ts';
import { auditInsert } from './audit.ts';

/**
 * Survey results for coordinators and admins: aggregates only, suppressed so that no figure comes
 * from fewer than 5 answers and no group of fewer than 10 is reported (functions/surveys/publish.ts,
 * suppression.ts). Counting happens in SQL; JavaScript sees counts per group, never the answers
 * (free text aside, which is listed as written, and capped).
 */

/**
 * Ways to break the results down. Each is a column of survey_responses recorded when the member
 * answered, so a later change of role or group does not move old answers. A null column (no
 * cohort group) is the key ''. Labels may need the groups' names (`names`, slug → name), which
 * surveyResults looks up once for the groups it reports.
 */
export const SEGMENTS = {
  role: {
    column: 'segment_role',
    title: 'Role',
    noun: 'role',
    label: (key: string, _names?: ReadonlyMap<string, string>) =>
      key === 'mentor' ? 'Mentors' : 'Members (not mentoring)',
    rest: 'Other roles, together',
  },
  cohort: {
    column: 'cohort',
    title: 'Cohort (month joined)',
    noun: 'cohort',
    label: (key: string, _names?: ReadonlyMap<string, string>) => `Joined ${monthLabel(key)}`,
    rest: 'Smaller cohorts, together',
  },
  group: {
    column: 'group_slug',
    title: 'Group',
    noun: 'group',
    label: (key: string, names?: ReadonlyMap<string, string>) =>
      key === '' ? 'Not in a cohort group' : (names?.get(key) ?? key),
    rest: 'Smaller groups, together',
  },
} as const;
export type SegmentBy = keyof typeof SEGMENTS;
export const SEGMENT_KEYS = Object.keys(SEGMENTS) as SegmentBy[];

/** Free-text answers listed per question, at most. */
export const FREE_TEXT_LIMIT = 300;

export const PRIVACY_NOTE = `A figure from fewer than ${MIN_CELL} answers reads “${HIDDEN}”, and so does any figure hidden so that such a figure cannot be worked out from the totals. Groups are shown only with at least ${MIN_SEGMENT} respondents. Averages are worked out from the figures shown: where some are hidden, they are given as the range they could span.`;

const LIKERT_LABELS = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];

const MONTH = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });

function monthLabel(key: string) {
  const [y, m] = key.split('-').map(Number);
  return y && m ? MONTH.format(new Date(Date.UTC(y, m - 1, 1))) : key;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function statusOf(survey: Survey, now: Date): 'upcoming' | 'open' | 'closed' {
  const today = day(now);
  if (today < day(survey.opens)) return 'upcoming';
  if (survey.closes && today > day(survey.closes)) return 'closed';
  return 'open';
}

function surveyInfo(entry: CatalogSurvey, now: Date) {
  const s = entry.survey;
  return {
    slug: entry.slug,
    title: s.title,
    audience: s.audience,
    /** The discussion group's slug, for a `group` audience. */
    group: s.group ?? null,
    identity: s.identity,
    trigger: s.trigger.type,
    instrument: s.instrument ?? null,
    phase: s.phase ?? null,
    pairKey: s.pairKey ?? null,
    opens: day(s.opens),
    closes: s.closes ? day(s.closes) : null,
    status: statusOf(s, now),
  };
}

// ---------------------------------------------------------------------------------------------
// Counting: the database keeps the counts (survey_counts, kept by triggers as answers are written).

type Question = Survey['questions'][number];

/** How many distinct values a distribution question has, and what each code stands for. */
function categoriesOf(q: Question): { id: string; label: string; value: number | null }[] {
  switch (q.type) {
    case 'nps':
      return Array.from({ length: 11 }, (_, v) => ({ id: String(v), label: String(v), value: v }));
    case 'likert5':
      return LIKERT_LABELS.map((label, i) => ({ id: String(i + 1), label, value: i + 1 }));
    case 'single':
    case 'multiple':
      return q.options!.map((o) => ({ id: o.id, label: o.label, value: null }));
    default:
      return [];
  }
}

interface GroupCounts {
  /** Which breakdown the group belongs to, or `all` for everyone. */
  by: SegmentBy | 'all';
  /** Its value of that segment column ('' for none, and for everyone). */
  key: string;
  responses: number;
  /** Per question: counts per category, how many answered. */
  questions: Map<string, { answered: number; counts: number[] }>;
}

/**
 * The counts of one survey, per group: everyone (`all`) and, with `bySegment`, every value of
 * every breakdown (each view is suppressed with all the others, so all are needed). They come
 * from survey_counts, which the database keeps as answers are written (migration 0013): one row
 * per group, question and answer, so a survey of 50,000 responses is read as a few thousand
 * numbers. Each category of a question is an answer key there (categoriesOf gives them); keys no
 * longer in the survey's definition (an option since removed) are left out.
 */
async function countAnswers(db: Database, entry: CatalogSurvey, bySegment: boolean): Promise<GroupCounts[]> {
  // One row per group, its counts as one JSON array: a few thousand numbers decode several times faster
  // that way than as rows.
  const rows = await db.all<{ segment: GroupCounts['by']; key: string; counts: string }>(
    sql`select segment, key, json_group_array(json_array(question, answer, n)) as counts from survey_counts
      where survey = ${entry.slug} ${bySegment ? sql`` : sql`and segment = 'all' and key = ''`}
      group by segment, key`,
  );
  const questions = entry.survey.questions;
  const slots = new Map(questions.map((q) => [q.id, new Map(categoriesOf(q).map((c, i) => [c.id, i]))]));
  const byType = new Map(questions.map((q) => [q.id, q.type]));
  const groups: GroupCounts[] = [];
  for (const { segment, key, counts } of rows) {
    const group: GroupCounts = {
      by: segment,
      key,
      responses: 0,
      questions: new Map(questions.map((q) => [q.id, { answered: 0, counts: categoriesOf(q).map(() => 0) }])),
    };
    groups.push(group);
    for (const [question, answer, n] of JSON.parse(counts) as [string, string, number][]) {
      if (question === '') {
        group.responses = n;
        continue;
      }
      const q = group.questions.get(question);
      if (!q) continue;
      const slot = slots.get(question)!.get(answer);
      if (slot !== undefined) q.counts[slot] = n;
      // Who answered at all: counted apart for multiple choice and written answers (one response
      // may choose several options); a distribution's answers are its counts.
      const type = byType.get(question);
      if (answer === '' && (type === 'multiple' || type === 'short' || type === 'long')) q.answered = n;
    }
  }
  for (const group of groups)
    for (const [id, q] of group.questions) {
      const type = byType.get(id);
      if (type !== 'multiple' && type !== 'short' && type !== 'long') q.answered = q.counts.reduce((a, b) => a + b, 0);
    }
  return groups.filter((g) => g.responses > 0);
}

/**
 * Free text as written, per question, in the order of the responses' random ids: no clue to who
 * or when. Read through the (question, value) index, which holds them in that order already, so
 * each question stops after FREE_TEXT_LIMIT answers instead of sorting them all.
 */
async function freeText(db: Database, entry: CatalogSurvey): Promise<Map<string, string[]>> {
  const ids = entry.survey.questions.filter((q) => q.type === 'short' || q.type === 'long').map((q) => q.id);
  const lists = await Promise.all(
    ids.map((id) =>
      db.all<{ text: string }>(sql`
        select a.value_text as text
        from survey_answers a cross join survey_responses r on r.id = a.response_id
        where a.question = ${id} and a.value_num is null and a.value_text is not null and r.survey = ${entry.slug}
        order by a.response_id limit ${FREE_TEXT_LIMIT}`),
    ),
  );
  return new Map(ids.map((id, i) => [id, lists[i]!.map((r) => r.text)]));
}

// ---------------------------------------------------------------------------------------------
// Response rate.

interface RoleCount {
  mentor: boolean;
  n: number;
}

const mentorFlag = sql`exists (select 1 from user_roles ur where ur.user_id = u.id and ur.role = 'mentor')`;

type Audience = Pick<Survey, 'audience' | 'group'>;

/** Members who could answer a manual survey now, by whether they mentor. */
async function audienceSizes(db: Database, { audience, group }: Audience): Promise<RoleCount[]> {
  const filter =
    audience === 'mentors'
      ? sql`and ${mentorFlag}`
      : audience === 'mentees'
        ? sql`and exists (select 1 from mentorships m where m.mentee_id = u.id)`
        : audience === 'group'
          ? sql`and exists (select 1 from group_members gm join groups g on g.id = gm.group_id
              where gm.user_id = u.id and g.slug = ${group ?? ''} and g.archived_at is null)`
          : sql``;
  const rows = await db.all<{ mentor: number; n: number }>(sql`
    select ${mentorFlag} as mentor, count(*) as n from users u
    where u.email_verified_at is not null ${filter} group by 1`);
  return rows.map((r) => ({ mentor: Number(r.mentor) === 1, n: Number(r.n) }));
}

/** Invitations (everyone, for manual surveys: those who answered) and answers, by whether they mentor. */
async function participation(db: Database, slug: string) {
  const rows = await db.all<{ mentor: number; invited: number; answered: number }>(sql`
    select exists (select 1 from user_roles ur where ur.user_id = p.user_id and ur.role = 'mentor') as mentor,
      count(*) as invited, count(p.answered_day) as answered
    from survey_participation p where p.survey = ${slug} group by 1`);
  return rows.map((r) => ({
    mentor: Number(r.mentor) === 1,
    invited: Number(r.invited),
    answered: Number(r.answered),
  }));
}

export interface RateRow {
  key: 'all' | 'member' | 'mentor';
  label: string;
  /** Invited (triggered surveys), or everyone in the audience now (manual surveys). */
  eligible: Figure;
  answered: Figure;
  /** Percent; null when either figure is hidden. */
  rate: number | null;
}

export interface ResponseRate {
  basis: 'invitations' | 'audience';
  rows: RateRow[];
}

async function responseRate(db: Database, entry: CatalogSurvey): Promise<ResponseRate> {
  const manual = entry.survey.trigger.type === 'manual';
  const [taken, audience] = await Promise.all([
    participation(db, entry.slug),
    manual ? audienceSizes(db, entry.survey) : Promise.resolve(null),
  ]);
  const roles: ('member' | 'mentor')[] = entry.survey.audience === 'mentors' ? ['mentor'] : ['member', 'mentor'];
  const cells = roles.map((role) => {
    const mentor = role === 'mentor';
    const answered = taken.find((t) => t.mentor === mentor)?.answered ?? 0;
    const eligible = audience
      ? (audience.find((a) => a.mentor === mentor)?.n ?? 0)
      : (taken.find((t) => t.mentor === mentor)?.invited ?? 0);
    // Someone who answered and has since left the audience still counts among those asked.
    return [Math.max(eligible, answered), answered];
  });
  // Each column adds up to the overall figure: suppressed as one table, so no role's small
  // figure is the overall minus the other.
  const t = suppressTable({ rows: roles, columns: ['eligible', 'answered'], cells, columnTotals: true });
  const row = (key: RateRow['key'], label: string, e: Figure, a: Figure): RateRow => ({
    key,
    label,
    eligible: e,
    answered: a,
    rate: percentOf(a, e),
  });
  const rows: RateRow[] =
    roles.length > 1
      ? roles.map((role, i) => row(role, SEGMENTS.role.label(role), figure(t.cells[i]![0]!), figure(t.cells[i]![1]!)))
      : [];
  rows.push(row('all', 'Everyone', figure(t.columnTotals![0]!), figure(t.columnTotals![1]!)));
  return { basis: manual ? 'audience' : 'invitations', rows };
}

// ---------------------------------------------------------------------------------------------
// Before and after: instruments asked twice, paired by pseudonym (or member, when identified).

export interface PrePostRow {
  key: string;
  label: string;
  pairs: number;
  preMean: number;
  postMean: number;
  meanChange: number | null;
  ci95: Range | null;
  /** Cohen's d_z: mean change ÷ standard deviation of the changes. */
  effectSize: number | null;
}

export interface PrePost {
  instrument: string;
  pairKey: string;
  pre: { slug: string; title: string };
  post: { slug: string; title: string };
  /** Questions averaged into each person's score. */
  items: string[];
  rows: PrePostRow[];
  note: string;
}

interface CohortPairs extends Moments {
  cohort: string;
  preMean: number;
  postMean: number;
}

async function prePost(db: Database, catalog: SurveyCatalog, entry: CatalogSurvey): Promise<PrePost | null> {
  const { pairKey, instrument } = entry.survey;
  if (!pairKey || !instrument) return null;
  const pair = catalog.surveys.filter((s) => s.survey.pairKey === pairKey);
  const pre = pair.find((s) => s.survey.phase === 'pre');
  const post = pair.find((s) => s.survey.phase === 'post');
  if (!pre || !post) return null;
  // An instrument asks the same ratings before and after, and nothing else that is a number
  // (src/lib/content/schema.ts, checked across the pair by content:check).
  const items = pre.survey.questions.filter((q) => q.type === 'likert5').map((q) => q.id);
  const base = {
    instrument,
    pairKey,
    pre: { slug: pre.slug, title: pre.survey.title },
    post: { slug: post.slug, title: post.survey.title },
    items,
  };
  // A person's score is the mean of their ratings (survey_scores keeps each linked response's
  // total); their first "before" is paired with their latest "after" (by day, then id), in the
  // cohort of the "after". Changes are added up per cohort: n, Σd and Σd², from which the spread.
  const rows = await db.all<{
    cohort: string;
    n: number;
    sd: number;
    sd2: number;
    spre: number;
    spost: number;
  }>(sql`
    with firsts as (
      select who, min(day || id), total / n as score from survey_scores
      where survey = ${pre.slug} and n > 0 group by who
    ),
    lasts as (
      select who, max(day || id), total / n as score, cohort from survey_scores
      where survey = ${post.slug} and n > 0 group by who
    )
    select b.cohort as cohort, count(*) as n, total(b.score - a.score) as sd,
      total((b.score - a.score) * (b.score - a.score)) as sd2, total(a.score) as spre, total(b.score) as spost
    from lasts b join firsts a on a.who = b.who
    group by b.cohort order by b.cohort`);
  const cohorts: CohortPairs[] = rows.map((r) => {
    const n = Number(r.n);
    const mean = Number(r.sd) / n;
    return {
      cohort: r.cohort,
      n,
      mean,
      // Σ(d − mean)² = Σd² − n·mean², never below 0 (rounding aside).
      ss: Math.max(0, Number(r.sd2) - n * mean * mean),
      preMean: Number(r.spre) / n,
      postMean: Number(r.spost) / n,
    };
  });
  const total = cohorts.reduce((a, c) => a + c.n, 0);
  const decision = suppressSegments(
    cohorts.map((c) => ({ key: c.cohort, n: c.n })),
    total,
  );
  const note = `People who answered both, paired by a code rather than their name; a cohort is shown with at least ${MIN_SEGMENT} pairs.`;
  if (!decision.overallReported)
    return { ...base, rows: [], note: `Fewer than ${MIN_SEGMENT} people have answered both surveys so far.` };
  const summarize = (key: string, label: string, parts: CohortPairs[]): PrePostRow => {
    const m = combineMoments(parts);
    const change = pairedChangeFromMoments(m);
    const weighted = (f: (c: CohortPairs) => number) => parts.reduce((a, c) => a + f(c) * c.n, 0) / m.n;
    return {
      key,
      label,
      pairs: m.n,
      preMean: weighted((c) => c.preMean),
      postMean: weighted((c) => c.postMean),
      meanChange: change.meanChange,
      ci95: change.ci95 && { low: change.ci95[0], high: change.ci95[1] },
      effectSize: change.effectSize,
    };
  };
  const reported = new Set(decision.reported);
  const out = cohorts
    .filter((c) => reported.has(c.cohort))
    .map((c) => summarize(c.cohort, SEGMENTS.cohort.label(c.cohort), [c]));
  const rest = cohorts.filter((c) => !reported.has(c.cohort));
  if (rest.length && out.length) out.push(summarize('other', SEGMENTS.cohort.rest, rest));
  out.push(summarize('all', 'Everyone', cohorts));
  return { ...base, rows: out, note };
}

// ---------------------------------------------------------------------------------------------
// The results.

export interface ResultRow {
  key: string;
  label: string;
  /** How many in this row answered the question. */
  n: Figure;
  /** Per category (per option: how many chose it, for multiple choice). */
  counts: Figure[];
  /** Per category, percent of n; null where hidden. */
  percents: (number | null)[];
  scale?: ScaleFigures | null;
  nps?: NpsFigures | null;
}

export interface QuestionResult {
  id: string;
  type: Question['type'];
  prompt: string;
  required: boolean;
  /** Asked only after certain answers to an earlier question. */
  conditional: boolean;
  /** How many answered, across the whole survey. */
  n: Figure;
  categories: { id: string; label: string }[];
  /** The whole survey, or each group then everyone when broken down. Empty for free text. */
  rows: ResultRow[];
  /** Why the breakdown is not shown for this question, when it is not. */
  breakdownNote: string | null;
  /** Free text: the answers (capped at FREE_TEXT_LIMIT), never per group; only with 5 or more. */
  answers: string[] | null;
}

export interface SurveyResults {
  survey: ReturnType<typeof surveyInfo>;
  generatedAt: string;
  privacy: { hidden: typeof HIDDEN; minCell: number; minSegment: number; note: string };
  /** Responses received. */
  responses: Figure;
  responseRate: ResponseRate;
  segment: {
    by: SegmentBy;
    title: string;
    /** The groups reported, in order; `other` stands for everyone else together. */
    groups: { key: string; label: string }[];
    note: string | null;
  } | null;
  questions: QuestionResult[];
  prePost: PrePost | null;
}

function sumCounts(rows: GroupCounts[], questionId: string, width: number) {
  const counts = new Array<number>(width).fill(0);
  let answered = 0;
  for (const r of rows) {
    const q = r.questions.get(questionId);
    if (!q) continue;
    answered += q.answered;
    q.counts.forEach((c, i) => (counts[i]! += c));
  }
  return { answered, counts };
}

/** Groups of a breakdown that may be reported, and the rest, by respondents (suppressSegments). */
function groupsOf(groups: GroupCounts[], by: SegmentBy, overall: number) {
  const sizes = new Map<string, number>();
  for (const g of groups) if (g.by === by) sizes.set(g.key, (sizes.get(g.key) ?? 0) + g.responses);
  const keys = [...sizes.keys()].sort();
  const decision = suppressSegments(
    keys.map((key) => ({ key, n: sizes.get(key)! })),
    overall,
  );
  const reported = decision.reported;
  const restCount = overall - reported.reduce((a, k) => a + sizes.get(k)!, 0);
  return {
    reported,
    rest: reported.length > 0 && restCount > 0,
  };
}

/** The names of the discussion groups a group breakdown reports (slug → name), in one query. */
async function groupNames(db: Database, by: SegmentBy, keys: string[]): Promise<Map<string, string>> {
  const slugs = keys.filter((k) => k !== '');
  if (by !== 'group' || slugs.length === 0) return new Map();
  const rows = await db.all<{ slug: string; name: string }>(sql`select slug, name from groups where slug in ${slugs}`);
  return new Map(rows.map((r) => [r.slug, r.name]));
}

/**
 * The suppressed aggregates of one survey: response rate, each question for the whole survey (or
 * broken down by `segment`), free text, and the before-and-after change for instruments.
 */
export async function surveyResults(
  db: Database,
  catalog: SurveyCatalog,
  slug: string,
  options: { segment?: SegmentBy | undefined; now: Date },
): Promise<SurveyResults> {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  const [groups, texts, rate, change] = await Promise.all([
    countAnswers(db, entry, options.segment !== undefined),
    freeText(db, entry),
    responseRate(db, entry),
    prePost(db, catalog, entry),
  ]);
  const wholeSurvey = groups.filter((g) => g.by === 'all');
  const N = wholeSurvey.reduce((a, g) => a + g.responses, 0);
  const responses: Figure = N < MIN_CELL ? HIDDEN : N;

  // When a breakdown is asked for, every breakdown is suppressed with it (anyone can ask for each
  // and combine them); without one the counts come for everyone together, and the whole-survey view
  // is suppressed on its own, which gives the same figures as it has beside any breakdown (publish.ts).
  const breakdowns = Object.fromEntries(SEGMENT_KEYS.map((by) => [by, groupsOf(groups, by, N)])) as Record<
    SegmentBy,
    ReturnType<typeof groupsOf>
  >;
  const names = options.segment
    ? await groupNames(db, options.segment, breakdowns[options.segment].reported)
    : undefined;
  const labelOf = (by: SegmentBy, key: string) =>
    key === 'other' ? SEGMENTS[by].rest : SEGMENTS[by].label(key, names);
  const questions: QuestionResult[] = entry.survey.questions.map((q) => {
    const categories = categoriesOf(q);
    const base = {
      id: q.id,
      type: q.type,
      prompt: q.prompt,
      required: q.required,
      conditional: Boolean(q.showIf),
      categories: categories.map(({ id, label }) => ({ id, label })),
    };
    if (q.type === 'short' || q.type === 'long') {
      const n = sumCounts(wholeSurvey, q.id, 0).answered;
      return {
        ...base,
        n: n < MIN_CELL ? HIDDEN : n,
        rows: [],
        breakdownNote: 'Written answers are listed for the whole survey only.',
        answers: n < MIN_CELL ? null : (texts.get(q.id) ?? []),
      };
    }
    const overall: CountsRow = { key: 'all', ...sumCounts(wholeSurvey, q.id, categories.length) };
    const rowsFor = (by: SegmentBy): CountsRow[] => {
      const b = breakdowns[by];
      const rows: CountsRow[] = b.reported.map((key) => ({
        key,
        ...sumCounts(
          groups.filter((g) => g.by === by && g.key === key),
          q.id,
          categories.length,
        ),
      }));
      if (b.rest) {
        const reported = new Set(b.reported);
        rows.push({
          key: 'other',
          ...sumCounts(
            groups.filter((g) => g.by === by && !reported.has(g.key)),
            q.id,
            categories.length,
          ),
        });
      }
      return rows;
    };
    const published = publishQuestion({
      kind: q.type === 'multiple' ? 'multiple' : 'distribution',
      overall,
      breakdowns: options.segment ? Object.fromEntries(SEGMENT_KEYS.map((by) => [by, rowsFor(by)])) : {},
      answeredIsPublic: q.required && !q.showIf && shown(responses),
    });
    const values = categories.map((c) => c.value ?? 0);
    const view = (row: PublishedRow, label: string): ResultRow => ({
      key: row.key,
      label,
      n: row.n,
      counts: row.counts,
      percents: row.counts.map((c) => percentOf(c, row.n)),
      ...(q.type === 'likert5' || q.type === 'nps' ? { scale: scaleFigures(values, row) } : {}),
      ...(q.type === 'nps' ? { nps: npsFigures(row) } : {}),
    });
    const everyone = view(published.overall, 'Everyone');
    let rows = [everyone];
    let breakdownNote: string | null = null;
    if (options.segment) {
      const seg = SEGMENTS[options.segment];
      const part = published.breakdowns[options.segment];
      if (part) rows = [...part.map((r) => view(r, labelOf(options.segment!, r.key))), everyone];
      else if (breakdowns[options.segment].reported.length > 0)
        breakdownNote = `Shown for everyone only: by ${seg.title.toLowerCase()}, some groups are so small for this question that the figures for everyone would have to be hidden too.`;
    }
    return { ...base, n: published.overall.n, rows, breakdownNote, answers: null };
  });

  let segment: SurveyResults['segment'] = null;
  if (options.segment) {
    const seg = SEGMENTS[options.segment];
    const b = breakdowns[options.segment];
    segment = {
      by: options.segment,
      title: seg.title,
      groups: [...b.reported, ...(b.rest ? ['other'] : [])].map((key) => ({
        key,
        label: labelOf(options.segment!, key),
      })),
      note:
        b.reported.length === 0
          ? `No ${seg.noun} has enough respondents to be shown apart without revealing a smaller one: the figures are for everyone.`
          : null,
    };
  }

  return {
    survey: surveyInfo(entry, options.now),
    generatedAt: options.now.toISOString(),
    privacy: { hidden: HIDDEN, minCell: MIN_CELL, minSegment: MIN_SEGMENT, note: PRIVACY_NOTE },
    responses,
    responseRate: rate,
    segment,
    questions,
    prePost: change,
  };
}

// ---------------------------------------------------------------------------------------------
// The list of surveys.

export interface SurveySummary extends ReturnType<typeof surveyInfo> {
  responses: Figure;
  /** Percent of those asked (triggered) or of the audience now (manual); null when hidden. */
  responseRate: number | null;
}

const audienceKey = (s: Audience) => (s.audience === 'group' ? `group:${s.group ?? ''}` : s.audience);

/** How many could answer now, per audience of the manual surveys (not mentorship pairs: no fixed audience). */
async function audienceTotals(db: Database, catalog: SurveyCatalog) {
  const audiences = new Map<string, Audience>();
  for (const { survey } of catalog.surveys)
    if (survey.trigger.type === 'manual' && survey.audience !== 'mentorship-pair')
      audiences.set(audienceKey(survey), survey);
  const sizes = await Promise.all([...audiences.values()].map((a) => audienceSizes(db, a)));
  return new Map([...audiences.keys()].map((k, i) => [k, sizes[i]!.reduce((s, r) => s + r.n, 0)]));
}

/** Every published survey with its response count and rate, suppressed like the results. */
export async function surveyList(db: Database, catalog: SurveyCatalog, now: Date): Promise<SurveySummary[]> {
  const [counts, taken, audiences] = await Promise.all([
    db.all<{ survey: string; n: number }>(sql`select survey, count(*) as n from survey_responses group by survey`),
    db.all<{ survey: string; invited: number; answered: number }>(
      sql`select survey, count(*) as invited, count(answered_day) as answered from survey_participation group by survey`,
    ),
    audienceTotals(db, catalog),
  ]);
  const audienceSize = (s: Audience) => audiences.get(audienceKey(s)) ?? null;
  const small = (n: number): Figure => (n < MIN_CELL ? HIDDEN : n);
  return catalog.surveys.map((entry) => {
    const n = Number(counts.find((c) => c.survey === entry.slug)?.n ?? 0);
    const p = taken.find((t) => t.survey === entry.slug);
    const answered = Number(p?.answered ?? 0);
    const eligible =
      entry.survey.trigger.type === 'manual'
        ? Math.max(answered, audienceSize(entry.survey) ?? Number(p?.invited ?? 0))
        : Number(p?.invited ?? 0);
    return {
      ...surveyInfo(entry, now),
      responses: small(n),
      responseRate: percentOf(small(answered), small(eligible)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Exports.

const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '' : +v.toFixed(digits));

/** The suppressed aggregates as one long table: one figure per line, hidden ones as "<5". */
export function resultsCsv(results: SurveyResults): string {
  const lines: unknown[][] = [['section', 'question', 'prompt', 'group', 'measure', 'value', 'percent', 'low', 'high']];
  const add = (
    section: string,
    q: { id: string; prompt: string } | null,
    group: string,
    measure: string,
    value: unknown,
    percent: unknown = '',
  ) => lines.push([section, q?.id ?? '', q?.prompt ?? '', group, measure, value, percent, '', '']);
  // A derived figure: its value when exact, and always the range it lies in (an interval has no value).
  const range = (
    section: string,
    q: { id: string; prompt: string } | null,
    group: string,
    measure: string,
    r: Range | null | undefined,
    { digits = 2, interval = false } = {},
  ) => {
    if (!r) return;
    const value = !interval && r.low === r.high ? num(r.low, digits) : '';
    lines.push([
      section,
      q?.id ?? '',
      q?.prompt ?? '',
      group,
      measure,
      value,
      '',
      num(r.low, digits),
      num(r.high, digits),
    ]);
  };
  add('note', null, '', 'privacy', results.privacy.note);
  add('responses', null, 'Everyone', 'responses', results.responses);
  for (const r of results.responseRate.rows) {
    add(
      'response_rate',
      null,
      r.label,
      results.responseRate.basis === 'invitations' ? 'invited' : 'in_audience',
      r.eligible,
    );
    add('response_rate', null, r.label, 'answered', r.answered, num(r.rate, 1));
  }
  for (const q of results.questions) {
    if (q.type === 'short' || q.type === 'long') {
      add('free_text', q, 'Everyone', 'answers', q.n);
      continue;
    }
    for (const row of q.rows) {
      add('answers', q, row.label, 'n', row.n);
      q.categories.forEach((c, i) => add('answers', q, row.label, c.label, row.counts[i], num(row.percents[i], 1)));
      if (row.scale) {
        range('scale', q, row.label, 'mean', row.scale.mean);
        range('scale', q, row.label, 'median', row.scale.median);
        range('scale', q, row.label, 'ci95_of_mean', row.scale.ci95, { interval: true });
      }
      if (row.nps) {
        range('nps', q, row.label, 'score', row.nps.score, { digits: 1 });
        for (const part of ['promoters', 'passives', 'detractors'] as const)
          range('nps', q, row.label, part, row.nps[part], { digits: 0 });
      }
    }
  }
  const pp = results.prePost;
  for (const r of pp?.rows ?? []) {
    const q = { id: pp!.instrument, prompt: `${pp!.pre.title} → ${pp!.post.title}` };
    add('pre_post', q, r.label, 'pairs', r.pairs);
    add('pre_post', q, r.label, 'pre_mean', num(r.preMean));
    add('pre_post', q, r.label, 'post_mean', num(r.postMean));
    add('pre_post', q, r.label, 'mean_change', num(r.meanChange));
    range('pre_post', q, r.label, 'ci95_of_change', r.ci95, { interval: true });
    add('pre_post', q, r.label, 'effect_size_dz', num(r.effectSize));
  }
  return toCsv(lines);
}

/**
 * Every response of an identified survey, one line each, with the member's name and email: only
 * identified surveys carry who answered, and their members were told so. Audited.
 */
export async function rawResponsesCsv(
  db: Database,
  catalog: SurveyCatalog,
  slug: string,
  actor: SessionUser,
  now: Date,
): Promise<{ csv: string; rows: number }> {
  const entry = catalog.get(slug);
  if (!entry) throw notFound('That survey');
  if (entry.survey.identity !== 'identified')
    throw new ApiError(
      403,
      'raw_export_not_allowed',
      `Only identified surveys can be exported response by response. This survey is ${entry.survey.identity}: its members were promised that nobody sees their own answers, so only the results (suppressed totals) can be downloaded.`,
    );
  const responses = await db.all<{
    id: string;
    day: string;
    name: string | null;
    email: string | null;
    role: string;
    cohort: string;
    grp: string | null;
  }>(sql`
    select r.id as id, r.day as day, u.display_name as name, u.email as email, r.segment_role as role, r.cohort as cohort,
      r.group_slug as grp
    from survey_responses r left join users u on u.id = r.respondent_id
    where r.survey = ${slug} order by r.day, r.id`);
  const answers = await db.all<{
    id: string;
    question: string;
    choice: string;
    num: number | null;
    text: string | null;
  }>(sql`
    select a.response_id as id, a.question as question, a.choice as choice, a.value_num as num, a.value_text as text
    from survey_responses r join survey_answers a on a.response_id = r.id where r.survey = ${slug}`);
  const questions = entry.survey.questions;
  const byResponse = new Map<string, Map<string, string[]>>();
  for (const a of answers) {
    const q = questions.find((x) => x.id === a.question);
    const value =
      a.text ?? (a.choice ? (q?.options?.find((o) => o.id === a.choice)?.label ?? a.choice) : String(a.num ?? ''));
    const m = byResponse.get(a.id) ?? new Map<string, string[]>();
    m.set(a.question, [...(m.get(a.question) ?? []), value]);
    byResponse.set(a.id, m);
  }
  const lines: unknown[][] = [['day', 'member', 'email', 'role', 'cohort', 'group', ...questions.map((q) => q.id)]];
  for (const r of responses) {
    const m = byResponse.get(r.id);
    lines.push([
      r.day,
      r.name ?? 'Former member',
      r.email ?? '',
      r.role,
      r.cohort,
      r.grp ?? '',
      ...questions.map((q) => (m?.get(q.id) ?? []).join('; ')),
    ]);
  }
  await auditInsert(
    db,
    { type: 'survey.responses_exported', actorUserId: actor.id, detail: { survey: slug, responses: responses.length } },
    now,
  );
  return { csv: toCsv(lines), rows: responses.length };
}
