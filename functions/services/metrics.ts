import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { mentorships } from '#db/schema/index.ts';
import type { DiscussionCatalog } from '../discussions/catalog.ts';
import { toCsv } from '../lib/csv.ts';
import { validationError } from '../lib/validation.ts';
import { DEFAULT_RANGE_WEEKS, MAX_RANGE_DAYS, type MetricPanel } from '../schemas/metrics.ts';
import type { SurveyCatalog } from '../surveys/catalog.ts';
import { cellText, MIN_CELL, suppressTable, type PublishedCell } from '../surveys/suppression.ts';
import type { TrainingCatalog } from '../training/catalog.ts';
import { checkInDueAt } from './mentoring/dashboard.ts';

/*
 * The impact dashboard (admins): weekly series over a date range, aggregated in SQL.
 *
 * Weeks are ISO weeks in UTC: Monday 00:00 to the next Monday. A week is numbered by the whole
 * weeks since Monday 5 January 1970 ((ms − MONDAY0) / WEEK, integer division), which SQLite
 * groups on cheaply; every range is widened to whole weeks. Each query reads the rows of the
 * range through an index that covers it (see the `*_metrics_idx` indexes and
 * `npm run bench:metrics`, which prints the query plans).
 */

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 5 January 1970, 00:00 UTC: week 0. */
const MONDAY0 = Date.UTC(1970, 0, 5);
/** Weeks after joining at which retention is measured. */
export const RETENTION_WEEKS = [1, 2, 4, 8, 12] as const;
/** The satisfaction trend shows no month with fewer answers than this. */
export const MIN_MONTH_ANSWERS = MIN_CELL;

/**
 * Discussion categories whose threads are questions (Q&A: an answer can be marked as the solution),
 * from the discussion catalog (`content/categories.yaml`, `qa: true`).
 */
export const qaCategories = (catalog: Pick<DiscussionCatalog, 'categories'>): string[] =>
  catalog.categories.filter((c) => c.qa).map((c) => c.slug);

/** The survey item behind the satisfaction trend: programme feedback's "would you recommend" (0–10). */
export const SATISFACTION_ITEM = { survey: 'programme-feedback', question: 'recommend' } as const;

/** What "active" means, for the API description and the page. */
export const ACTIVE_DEFINITION =
  'A member is active in a week when, that week, they joined (confirmed their email address), signed in or used Hearth while signed in, wrote a post or a reply, reacted to a post, completed a lesson or passed its knowledge check, wrote a mentorship check-in, or sent a message in a mentorship space. Only members with a confirmed email address count. The weeks are noted as these things happen, so they stay counted after a session ends or a lesson is done again.';

const W = sql.raw(String(WEEK));
const M0 = sql.raw(String(MONDAY0));
/** The week number of a time column (ms). */
const weekOf = (column: SQL) => sql`cast((${column} - ${M0}) / ${W} as integer)`;
/** Per week of a `weeks(wk)` CTE: a correlated count over an index on time, with no sort. */
const inWeek = (column: SQL) => sql`${column} >= ${M0} + w.wk * ${W} and ${column} < ${M0} + (w.wk + 1) * ${W}`;
const weeksCte = (first: number, last: number) =>
  sql`weeks(wk) as (select ${first} union all select wk + 1 from weeks where wk < ${last})`;

const weekNumber = (ms: number) => Math.floor((ms - MONDAY0) / WEEK);
const weekStartMs = (week: number) => MONDAY0 + week * WEEK;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

export interface MetricsRange {
  /** The first day asked for and the last (YYYY-MM-DD). */
  from: string;
  to: string;
}

/**
 * Checks and completes a range from a query string: defaults (26 whole weeks up to today's),
 * `from` ≤ `to`, at most 731 days, years 2000–2100. Throws the API's 400 naming the field, which
 * the page shows beside the field.
 */
export function metricsRange(query: { from?: string | undefined; to?: string | undefined }, now: Date): MetricsRange {
  const to = query.to ?? isoDay(now.getTime());
  const toMs = dayMs(to);
  // By default, the Monday that makes 26 whole weeks with the week of `to`.
  const from =
    query.from ?? (Number.isNaN(toMs) ? to : isoDay(weekStartMs(weekNumber(toMs) - (DEFAULT_RANGE_WEEKS - 1))));
  const fields: Record<string, string> = {};
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(dayMs(value)) || isoDay(dayMs(value)) !== value)
      fields[name] = 'Give a day as YYYY-MM-DD.';
    else if (value < '2000-01-01' || value > '2100-12-31') fields[name] = 'Choose a day between 2000 and 2100.';
  }
  if (!fields.from && !fields.to) {
    if (from > to) fields.to = 'The last day must be on or after the first day.';
    else if ((dayMs(to) - dayMs(from)) / DAY > MAX_RANGE_DAYS)
      fields.from = `The range can be at most ${MAX_RANGE_DAYS} days (two years); choose a later first day.`;
  }
  if (Object.keys(fields).length) throw validationError(fields);
  return { from, to };
}

export interface ImpactOptions extends MetricsRange {
  now: Date;
  /** Slugs of the Q&A categories (see qaCategories); none by default. */
  qaCategories?: readonly string[];
  /** For track titles; completions of tracks it does not know are still counted. */
  training?: TrainingCatalog;
  /** The satisfaction item and its scale (default: programme feedback's recommend, 0–10). */
  satisfaction?: { survey: string; question: string; min: number; max: number; prompt?: string };
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Rows keyed by week number, spread over every week of the range (missing weeks are zeros). */
function byWeek<T>(weeks: number[], rows: Row[], build: (row: Row | undefined) => T) {
  const map = new Map(rows.map((r) => [Number(r.wk), r]));
  return weeks.map((wk) => ({ week: isoDay(weekStartMs(wk)), ...build(map.get(wk)) }));
}

/**
 * Every panel of the impact dashboard for a range (see metricsRange), as of `now`. Weeks after
 * `now` are left out; the week holding `now` is marked `partial`.
 */
export async function impactMetrics(db: Database, options: ImpactOptions) {
  const now = options.now.getTime();
  const firstWeek = weekNumber(dayMs(options.from));
  const lastWeek = Math.min(weekNumber(dayMs(options.to)), weekNumber(now));
  const start = weekStartMs(firstWeek);
  // Exclusive end: the Monday after the last week, or just after now for the current week.
  const end = Math.min(weekStartMs(lastWeek + 1), now + 1);
  const weeks: number[] = [];
  for (let w = firstWeek; w <= lastWeek; w++) weeks.push(w);
  const qa = options.qaCategories ?? [];
  const satisfaction = options.satisfaction ?? { ...SATISFACTION_ITEM, min: 0, max: 10 };
  const S = sql`${start}`;
  const E = sql`${end}`;
  const empty = weeks.length === 0;

  const [activity, newMembers, posts, replies, questions, training, funnel, checkIns, satisfactionRows] = empty
    ? [[], [], [], [], [], [[], []] as const, [], [], []]
    : await Promise.all([
        activityQuery(db, start, firstWeek, lastWeek),
        db.all<Row>(sql`select ${weekOf(sql`created_at`)} as wk, count(*) as n from users
            where created_at >= ${S} and created_at < ${E} and email_verified_at is not null group by wk`),
        db.all<Row>(sql`with recursive ${weeksCte(firstWeek, lastWeek)}
            select w.wk, (select count(*) from posts where ${inWeek(sql`created_at`)} and status = 'visible' and seq > 1) as replies
            from weeks w`),
        replyQuery(db, S, E),
        qa.length
          ? // `+category`: without statistics the planner would pick the category index and read every thread.
            db.all<Row>(sql`with recursive ${weeksCte(firstWeek, lastWeek)}
                select w.wk,
                  (select count(*) from threads where ${inWeek(sql`created_at`)} and status = 'visible' and +category in ${[...qa]}) as questions,
                  (select count(*) from threads where ${inWeek(sql`created_at`)} and status = 'visible' and +category in ${[...qa]}
                    and solution_post_id is not null) as solved
                from weeks w`)
          : Promise.resolve([] as Row[]),
        trainingQuery(db, S, E, now),
        funnelQuery(db, S, E),
        checkInQuery(db, firstWeek, lastWeek, S, E, now),
        db.all<Row>(sql`select substr(r.day, 1, 7) as month, count(a.value_num) as n, avg(a.value_num) as mean
            from survey_responses r
            join survey_answers a on a.response_id = r.id and a.question = ${satisfaction.question}
            where r.survey = ${satisfaction.survey} and r.day >= ${isoDay(start)} and r.day < ${isoDay(end + DAY - 1)}
              and a.value_num is not null
            group by month order by month`),
      ]);

  const activeRows = (activity as Row[]).filter((r) => r.kind === 'active');
  const partialWeek = weekNumber(now);

  const members = byWeek(weeks, activeRows, (r) => ({ active: num(r?.n) })).map((row, i) => ({
    ...row,
    new: num((newMembers as Row[]).find((n) => Number(n.wk) === weeks[i])?.n),
    partial: weeks[i] === partialWeek,
  }));

  // New threads (their opening posts) come from the reply query, which counts them anyway.
  const threadsByWeek = new Map((replies as Row[]).map((r) => [Number(r.wk), num(r.threads)]));
  const postSeries = byWeek(weeks, posts as Row[], (r) => ({ replies: num(r?.replies) })).map((row, i) => ({
    week: row.week,
    threads: threadsByWeek.get(weeks[i]!) ?? 0,
    replies: row.replies,
  }));

  const replySeries = byWeek(weeks, replies as Row[], (r) => {
    const threads = num(r?.threads);
    const answered = num(r?.answered);
    const median = numOrNull(r?.median_ms);
    return {
      threads,
      answered,
      replyRate: ratio(answered, threads),
      medianFirstReplyHours: median === null ? null : median / 3_600_000,
    };
  });

  const questionSeries = byWeek(weeks, questions as Row[], (r) => {
    const asked = num(r?.questions);
    const solved = num(r?.solved);
    return { questions: asked, solved, solvedShare: ratio(solved, asked) };
  });

  const [trainingWeeks, trainingTracks] = training as readonly [Row[], Row[]];
  const trainingSeries = byWeek(weeks, trainingWeeks, (r) => ({
    completions: num(r?.completions),
    expiries: num(r?.expiries),
  }));
  const trackTitle = (slug: string) => options.training?.track(slug)?.title.en ?? slug;

  const funnelRow = (funnel as Row[])[0] ?? {};
  const stages = (['applied', 'approved', 'matched', 'active', 'completed'] as const).map((stage) => ({
    stage,
    count: num(funnelRow[stage]),
  }));

  const checkInSeries = byWeek(weeks, checkIns as Row[], (r) => {
    const active = num(r?.active);
    const onTime = num(r?.on_time);
    return {
      mentorships: active,
      upToDate: onTime,
      overdue: active - onTime,
      checkIns: num(r?.check_ins),
      adherence: ratio(onTime, active),
    };
  });

  return {
    range: {
      from: options.from,
      to: options.to,
      /** Monday of the first week and Sunday of the last one shown. */
      weeksFrom: isoDay(start),
      weeksTo: isoDay(weekStartMs(lastWeek + 1) - DAY),
      weeks: weeks.map((w) => isoDay(weekStartMs(w))),
      partialWeek: weeks.includes(partialWeek) ? isoDay(weekStartMs(partialWeek)) : null,
    },
    series: {
      members,
      posts: postSeries,
      replies: replySeries,
      questions: { categories: [...qa], weeks: questionSeries },
      training: {
        weeks: trainingSeries,
        tracks: trainingTracks.map((r) => ({
          track: String(r.track),
          title: trackTitle(String(r.track)),
          completions: num(r.completions),
          expiries: num(r.expiries),
        })),
      },
      funnel: stages,
      checkIns: checkInSeries,
      retention: retentionTable(
        (activity as Row[]).filter((r) => r.kind !== 'active'),
        now,
      ),
      satisfaction: satisfactionTrend(satisfactionRows as Row[], satisfaction),
    },
  };
}

export type ImpactMetrics = Awaited<ReturnType<typeof impactMetrics>>;

/**
 * Active members per week and retention cells, from the activity rollup (member_activity_weeks,
 * kept by triggers: see db/schema/metrics.ts). Rows: `kind = 'active'` (wk, n), `kind = 'size'`
 * (month, n, last_jw: a cohort's size and its last joining week) and `kind = 'retention'`
 * (month, weeks_after, n).
 */
function activityQuery(db: Database, start: number, firstWeek: number, lastWeek: number) {
  const offsets = sql.raw(RETENTION_WEEKS.map((n) => `select ${n} as n`).join(' union all '));
  const lastJoin = weekStartMs(lastWeek + 1);
  return db.all<Row>(sql`
    with cohort as materialized (
      select id, ${weekOf(sql`created_at`)} as jw, strftime('%Y-%m', created_at / 1000, 'unixepoch') as month
      from users
      where created_at >= ${start} and created_at < ${lastJoin} and email_verified_at is not null
    ),
    offsets(n) as (${offsets})
    select 'active' as kind, week as wk, count(*) as n, null as month, null as weeks_after, null as last_jw
      from member_activity_weeks where week between ${firstWeek} and ${lastWeek} group by week
    union all
    select 'size', null, count(*), month, null, max(jw) from cohort group by month
    union all
    select 'retention', null, count(a.user_id), c.month, o.n, null
      from cohort c cross join offsets o
      left join member_activity_weeks a on a.user_id = c.id and a.week = c.jw + o.n
      group by c.month, o.n`);
}

/** New threads per week, how many got a reply from someone other than their author, and the median wait. */
function replyQuery(db: Database, S: SQL, E: SQL) {
  // median() is built into libSQL (files and sqld alike), not into stock SQLite.
  return db.all<Row>(sql`
    select ${weekOf(sql`t.created_at`)} as wk, count(*) as threads, count(f.replied_at) as answered,
      median(f.replied_at - t.created_at) as median_ms
    from threads t left join thread_first_replies f on f.thread_id = t.id
    where t.created_at >= ${S} and t.created_at < ${E} and t.status = 'visible'
    group by wk`);
}

/**
 * Completions per week and expiries per week: a completion expires at its `expires_at` (set from
 * the track's refresh months when it was earned) unless the member renewed the track before then.
 * Expiries after `now` have not happened yet. Second result: the same per track.
 */
async function trainingQuery(db: Database, S: SQL, E: SQL, now: number) {
  const events = sql`
    select 'completion' as kind, track, completed_at as t from track_completions
      where completed_at >= ${S} and completed_at < ${E}
    union all
    select 'expiry', c.track, c.expires_at from track_completions c
      where c.expires_at >= ${S} and c.expires_at < ${E} and c.expires_at <= ${now}
        and not exists (select 1 from track_completions r
          where r.user_id = c.user_id and r.track = c.track and r.completed_at > c.completed_at and r.completed_at <= c.expires_at)`;
  return Promise.all([
    db.all<Row>(sql`select ${weekOf(sql`t`)} as wk, sum(kind = 'completion') as completions, sum(kind = 'expiry') as expiries
      from (${events}) group by wk`),
    db.all<Row>(sql`select track, sum(kind = 'completion') as completions, sum(kind = 'expiry') as expiries
      from (${events}) group by track order by track`),
  ]);
}

/**
 * The mentor pipeline for people who applied in the range, each stage a subset of the one before:
 * applied; approved; matched (mentoring at least one mentee); active (a session or check-in in one
 * of their mentorships); completed (one of those mentorships completed).
 */
function funnelQuery(db: Database, S: SQL, E: SQL) {
  const worked = sql`(exists (select 1 from check_ins ci where ci.mentorship_id = m.id)
    or exists (select 1 from mentorship_sessions ms where ms.mentorship_id = m.id))`;
  return db.all<Row>(sql`
    with applicants as (
      select user_id, max(status = 'approved') as approved
      from mentor_applications
      where created_at >= ${S} and created_at < ${E} group by user_id
    ),
    stages as (
      select a.user_id, a.approved,
        a.approved and exists (select 1 from mentorships m where m.mentor_id = a.user_id) as matched,
        a.approved and exists (select 1 from mentorships m where m.mentor_id = a.user_id and ${worked}) as active,
        a.approved and exists (select 1 from mentorships m where m.mentor_id = a.user_id and m.status = 'completed' and ${worked}) as completed
      from applicants a
    )
    select count(*) as applied, coalesce(sum(approved), 0) as approved, coalesce(sum(matched), 0) as matched,
      coalesce(sum(active), 0) as active, coalesce(sum(completed), 0) as completed
    from stages`);
}

/**
 * Check-in adherence per week: of the mentorships active at the end of the week (or now, for the
 * current week), how many had their check-in up to date then, by the rule the coordinators'
 * dashboard uses (checkInDueAt); and the check-ins written that week.
 */
function checkInQuery(db: Database, firstWeek: number, lastWeek: number, S: SQL, E: SQL, now: number) {
  const asOf = sql`min(${M0} + (w.wk + 1) * ${W}, ${now})`;
  return db.all<Row>(sql`
    with recursive weeks(wk) as (select ${firstWeek} union all select wk + 1 from weeks where wk < ${lastWeek}),
    states as (
      select w.wk, count(${mentorships.id}) as active, coalesce(sum(${checkInDueAt(asOf)} >= ${asOf}), 0) as on_time
      from weeks w
      join ${mentorships}
        on ${mentorships.startedAt} < ${asOf} and (${mentorships.endedAt} is null or ${mentorships.endedAt} > ${asOf})
      where ${mentorships.startedAt} < ${E}
      group by w.wk
    ),
    written as (
      select ${weekOf(sql`created_at`)} as wk, count(*) as n from check_ins
      where created_at >= ${S} and created_at < ${E} group by wk
    )
    select w.wk, s.active, s.on_time, c.n as check_ins
    from weeks w left join states s on s.wk = w.wk left join written c on c.wk = w.wk`);
}

export interface RetentionCell {
  weeks: number;
  /** Members of the cohort active in the week `weeks` after the week they joined. */
  active: PublishedCell | null;
  /** The share of the cohort, when the count may be shown. */
  share: number | null;
  /** Not every member of the cohort has reached that week yet. */
  pending: boolean;
}

/**
 * Cohorts by joining month. A cell counts the members active N weeks after their joining week.
 * Suppression (functions/surveys/suppression.ts): the cohort's size is published, so each cell
 * is a two-part table (active, not active) with its total; no figure from fewer than 5 people is
 * shown, and when one part is hidden the other is too (it would give it away by subtraction).
 * A cohort smaller than 5 shows nothing at all.
 */
function retentionTable(rows: Row[], now: number) {
  const currentWeek = weekNumber(now);
  const sizes = rows.filter((r) => r.kind === 'size');
  return {
    weeks: [...RETENTION_WEEKS],
    cohorts: sizes.map((s) => {
      const month = String(s.month);
      const size = num(s.n);
      const lastJoinWeek = num(s.last_jw);
      const sizeCell: PublishedCell =
        size < MIN_CELL ? { kind: 'small', label: `<${MIN_CELL}` } : { kind: 'shown', value: size };
      const cells: RetentionCell[] = RETENTION_WEEKS.map((n) => {
        // The week must be over for every member of the cohort.
        const pending = lastJoinWeek + n >= currentWeek;
        if (pending) return { weeks: n, active: null, share: null, pending };
        const active = num(
          rows.find((r) => r.kind === 'retention' && r.month === month && Number(r.weeks_after) === n)?.n,
        );
        const published = suppressTable({
          rows: [month],
          columns: ['active', 'not active'],
          cells: [[active, size - active]],
          rowTotals: true,
        });
        const cell = size < MIN_CELL ? ({ kind: 'small', label: `<${MIN_CELL}` } as const) : published.cells[0]![0]!;
        return { weeks: n, active: cell, share: cell.kind === 'shown' ? active / size : null, pending };
      });
      return { month, size: sizeCell, cells };
    }),
  };
}

/** Mean of the satisfaction item per month of answering; months with fewer than 5 answers show no figure. */
function satisfactionTrend(
  rows: Row[],
  item: { survey: string; question: string; min: number; max: number; prompt?: string },
) {
  return {
    survey: item.survey,
    question: item.question,
    prompt: item.prompt ?? null,
    min: item.min,
    max: item.max,
    months: rows.map((r) => {
      const n = num(r.n);
      const shown = n >= MIN_MONTH_ANSWERS;
      return {
        month: String(r.month),
        answers: (shown
          ? { kind: 'shown', value: n }
          : { kind: 'small', label: `<${MIN_MONTH_ANSWERS}` }) as PublishedCell,
        mean: shown ? Number(r.mean) : null,
      };
    }),
  };
}

/** The satisfaction item as the survey catalog defines it (its prompt and scale), or the default scale. */
export function satisfactionItem(catalog: SurveyCatalog | undefined) {
  const question = catalog
    ?.get(SATISFACTION_ITEM.survey)
    ?.survey.questions.find((q) => q.id === SATISFACTION_ITEM.question);
  const likert = question?.type === 'likert5';
  return { ...SATISFACTION_ITEM, min: likert ? 1 : 0, max: likert ? 5 : 10, prompt: question?.prompt };
}

/** What each panel counts, for the API description, the page and the CSV's readers. */
export const DEFINITIONS: Record<MetricPanel, string> = {
  members: `${ACTIVE_DEFINITION} New members: accounts whose email address was confirmed, by the week the account was made.`,
  posts:
    'New threads (visible ones, by the week they were started) and replies (visible posts after the opening one, by the week they were written). Posts held for approval, hidden or deleted are not counted.',
  replies:
    'Of the visible threads started each week, the share that got a visible reply from someone other than the person who started it (so far), and the median time from the opening post to that first reply.',
  questions:
    'Threads started each week in the Q&A categories, and how many of them have a reply marked as the solution (so far).',
  training:
    'Track completions by the week they were earned, and expiries: completions that reached the end of their validity (the track’s refresh period, set when earned) in that week without being renewed first.',
  funnel:
    'Members who applied to be a mentor in the range, and how far they got: approved; matched with at least one mentee; active (a session or check-in in one of their mentorships); completed (one of those mentorships completed).',
  'check-ins':
    'Of the mentorships active at the end of each week (or now, for this week), the share whose check-in was up to date, by the rule of the coordinators’ dashboard: a check-in falls due every cadence period (14 days by default) after the last one, or after the start. Also the check-ins written that week.',
  retention:
    'Members who joined in each month (in the range), and the share active in the week 1, 2, 4, 8 and 12 weeks after the week they joined. A cell shows only once that week is over for everyone in the cohort. To protect privacy no figure is shown for fewer than 5 people, and a share is hidden when fewer than 5 were active or fewer than 5 were not.',
  satisfaction:
    'The mean answer to the programme feedback survey’s “would you recommend Hearth” question (0–10) by the month it was answered. Months with fewer than 5 answers show no figure.',
};

const cellCsv = (cell: PublishedCell | null) => (cell === null ? '' : cellText(cell));

/**
 * The panels as one long CSV: panel, period (a week's Monday, or a month), measure, value. Hidden
 * figures read as they do on the page ("<5", "suppressed"); empty is "not yet".
 */
export function metricsCsv(data: ImpactMetrics, panel: MetricPanel | 'all' = 'all'): string {
  const rows: unknown[][] = [['panel', 'period', 'measure', 'value']];
  const want = (p: MetricPanel) => panel === 'all' || panel === p;
  const s = data.series;
  function weekly<T extends { week: string }>(
    p: MetricPanel,
    list: T[],
    measures: Record<string, (row: T) => unknown>,
  ) {
    if (!want(p)) return;
    for (const row of list)
      for (const [measure, read] of Object.entries(measures)) rows.push([p, row.week, measure, read(row)]);
  }
  const round = (v: number | null, digits = 4) => (v === null ? '' : Number(v.toFixed(digits)));
  weekly('members', s.members, { active_members: (r) => r.active, new_members: (r) => r.new });
  weekly('posts', s.posts, { new_threads: (r) => r.threads, replies: (r) => r.replies });
  weekly('replies', s.replies, {
    new_threads: (r) => r.threads,
    answered_by_someone_else: (r) => r.answered,
    reply_rate: (r) => round(r.replyRate),
    median_hours_to_first_reply: (r) => round(r.medianFirstReplyHours, 2),
  });
  weekly('questions', s.questions.weeks, {
    questions: (r) => r.questions,
    solved: (r) => r.solved,
    solved_share: (r) => round(r.solvedShare),
  });
  weekly('training', s.training.weeks, { completions: (r) => r.completions, expiries: (r) => r.expiries });
  if (want('funnel'))
    for (const stage of s.funnel)
      rows.push(['funnel', `${data.range.from}/${data.range.to}`, stage.stage, stage.count]);
  weekly('check-ins', s.checkIns, {
    active_mentorships: (r) => r.mentorships,
    check_in_up_to_date: (r) => r.upToDate,
    check_ins_written: (r) => r.checkIns,
    adherence: (r) => round(r.adherence),
  });
  if (want('retention'))
    for (const cohort of s.retention.cohorts) {
      rows.push(['retention', cohort.month, 'members_joined', cellText(cohort.size)]);
      for (const cell of cohort.cells) {
        rows.push(['retention', cohort.month, `active_week_${cell.weeks}`, cellCsv(cell.active)]);
        rows.push(['retention', cohort.month, `share_week_${cell.weeks}`, round(cell.share)]);
      }
    }
  if (want('satisfaction'))
    for (const month of s.satisfaction.months) {
      rows.push(['satisfaction', month.month, 'answers', cellText(month.answers)]);
      rows.push(['satisfaction', month.month, `mean_${s.satisfaction.question}`, round(month.mean, 2)]);
    }
  return toCsv(rows);
}
