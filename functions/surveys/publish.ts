/**
 * What the survey results publish for one question, in every view at once: the whole survey and
 * each breakdown (by role, by cohort), suppressed together so that no view gives away what another
 * hides. Pure functions over counts (they run in Workers).
 *
 * Why together: the breakdowns' column totals are the whole survey's distribution, and each row's
 * total (how many in that group answered) is shared by every option of a multiple choice question.
 * A figure hidden in one table but shown in another is a figure shown. So the tables are suppressed
 * in turns, each starting with everything the others hide (`hidden` in `suppressTable`), until a
 * full round hides nothing new; then all their equations are audited together, and a breakdown
 * that still lets a hidden figure be worked out is withheld. A breakdown that would hide figures
 * of the whole-survey view (its groups too small in places) is withheld for that question too:
 * the main figures stay as sharp as they can be on their own.
 *
 * Every hidden figure reads "<5" (`HIDDEN`), whether it is small or hidden to protect a small one:
 * two markers side by side would let the totals narrow them (see suppression.ts). The issue asks
 * for "<5"; a note on every page and export says that it also stands for a figure hidden so that a
 * small one cannot be worked out.
 *
 * Figures derived from a row (mean, median, confidence interval, Net Promoter Score) are computed
 * from that row's published figures alone: where some are hidden, as the range they can span over
 * every way the hidden answers could fall. A mean computed from the true counts would be one more
 * equation over them, and would give a hidden cell away.
 */
import { studentTQuantile, summaryFromCounts } from './stats.ts';
import {
  determinedFigures,
  MIN_CELL,
  pinnedByBounds,
  suppressTable,
  type PublishedCell,
  type SuppressedTable,
  type SuppressTableInput,
} from './suppression.ts';

/** The one marker for every hidden figure. */
export const HIDDEN = `<${MIN_CELL}` as const;
/** A published count: the number, or the marker. */
export type Figure = number | typeof HIDDEN;

export const figure = (cell: PublishedCell): Figure => (cell.kind === 'shown' ? cell.value : HIDDEN);
export const shown = (f: Figure): f is number => typeof f === 'number';

/** One row of counts: a group (or everyone), how many of it answered, and the counts. */
export interface CountsRow {
  key: string;
  answered: number;
  /** Per category. `distribution`: they add up to `answered`; `multiple`: each is out of `answered`. */
  counts: number[];
}

export interface QuestionCounts {
  /** `distribution` for single choice and scales; `multiple` for choose-all-that-apply. */
  kind: 'distribution' | 'multiple';
  overall: CountsRow;
  /**
   * Per breakdown, the rows it publishes: the groups large enough to report and, when anyone is
   * left out, one row for the rest together, so the rows add up to `overall`. Empty when no group
   * can be reported.
   */
  breakdowns: Record<string, CountsRow[]>;
  /**
   * The number who answered is published elsewhere (the survey's response count, for a question
   * everyone answers): the audit treats it as known even where a table hides it.
   */
  answeredIsPublic?: boolean;
}

export interface PublishedRow {
  key: string;
  n: Figure;
  counts: Figure[];
}

export interface PublishedQuestion {
  overall: PublishedRow;
  /** Null when the breakdown is withheld, or has no group to report. */
  breakdowns: Record<string, PublishedRow[] | null>;
}

interface Unit {
  /** The counts a unit takes from a row. */
  cells(row: CountsRow): number[];
  columns: number;
}

/** A distribution is one table; a multiple choice question one table per option: chose, or not. */
function unitsOf(q: QuestionCounts): Unit[] {
  if (q.kind === 'distribution') return [{ cells: (r) => r.counts, columns: q.overall.counts.length }];
  return q.overall.counts.map((_, k) => ({ cells: (r) => [r.counts[k]!, r.answered - r.counts[k]!], columns: 2 }));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The shared figures, named across tables: overall cells, the overall n, each breakdown row's n. */
const key = {
  overall: (u: number, j: number) => `o:${u}:${j}`,
  n: 'n',
  row: (b: string, i: number) => `r:${b}:${i}`,
};

interface Tables {
  overall: SuppressedTable[];
  breakdowns: Map<string, SuppressedTable[]>;
}

/**
 * One table's suppression, remembered by what it was given: within a question the counts of a
 * table never change, so the same table with the same figures hidden from the start gives the
 * same result. The rounds of suppressAll and the views publishQuestion tries repeat many.
 */
type Memo = Map<string, SuppressedTable>;
function suppressOnce(memo: Memo, name: string, input: SuppressTableInput): SuppressedTable {
  const id = `${name}|${JSON.stringify(input.hidden)}`;
  let t = memo.get(id);
  if (!t) {
    t = suppressTable(input);
    memo.set(id, t);
  }
  return t;
}

function suppressAll(q: QuestionCounts, units: Unit[], breakdowns: string[], memo: Memo = new Map()): Tables {
  const hidden = new Set<string>();
  for (;;) {
    const before = hidden.size;
    const overall = units.map((unit, u) => {
      const t = suppressOnce(memo, `overall:${u}`, {
        rows: ['all'],
        columns: range(unit.columns).map(String),
        cells: [unit.cells(q.overall)],
        rowTotals: true,
        hidden: {
          cells: range(unit.columns)
            .filter((j) => hidden.has(key.overall(u, j)))
            .map((j) => [0, j] as const),
          rowTotals: hidden.has(key.n) ? [0] : [],
        },
      });
      t.cells[0]!.forEach((c, j) => c.kind !== 'shown' && hidden.add(key.overall(u, j)));
      if (t.rowTotals![0]!.kind !== 'shown') hidden.add(key.n);
      return t;
    });
    const tables = new Map<string, SuppressedTable[]>();
    for (const b of breakdowns) {
      const rows = q.breakdowns[b]!;
      tables.set(
        b,
        units.map((unit, u) => {
          const t = suppressOnce(memo, `${b}:${u}`, {
            rows: rows.map((r) => r.key),
            columns: range(unit.columns).map(String),
            cells: rows.map((r) => unit.cells(r)),
            rowTotals: true,
            columnTotals: true,
            grandTotal: true,
            hidden: {
              rowTotals: range(rows.length).filter((i) => hidden.has(key.row(b, i))),
              columnTotals: range(unit.columns).filter((j) => hidden.has(key.overall(u, j))),
              grandTotal: hidden.has(key.n),
            },
          });
          t.rowTotals!.forEach((c, i) => c.kind !== 'shown' && hidden.add(key.row(b, i)));
          t.columnTotals!.forEach((c, j) => c.kind !== 'shown' && hidden.add(key.overall(u, j)));
          if (t.grandTotal!.kind !== 'shown') hidden.add(key.n);
          return t;
        }),
      );
    }
    if (hidden.size === before) return { overall, breakdowns: tables };
  }
}

/**
 * All the tables' equations at once, over figures named so that shared ones are one figure. Returns
 * whether any hidden figure can be worked out (by combining equations, or because counts are never
 * negative).
 */
function leaks(q: QuestionCounts, units: Unit[], tables: Tables, breakdowns: string[]): boolean {
  const ids = new Map<string, number>();
  const values: number[] = [];
  const hidden = new Set<number>();
  const id = (name: string, value: number, cell: PublishedCell) => {
    let i = ids.get(name);
    if (i === undefined) {
      i = values.length;
      ids.set(name, i);
      values.push(value);
    }
    if (cell.kind !== 'shown' && !(name === key.n && q.answeredIsPublic)) hidden.add(i);
    return i;
  };
  const equations: [number, number][][] = [];
  const sum = (parts: number[], total: number) => [
    ...parts.map((p): [number, number] => [p, 1]),
    [total, -1] as [number, number],
  ];
  units.forEach((unit, u) => {
    const t = tables.overall[u]!;
    const cells = unit.cells(q.overall).map((v, j) => id(key.overall(u, j), v, t.cells[0]![j]!));
    equations.push(sum(cells, id(key.n, q.overall.answered, t.rowTotals![0]!)));
  });
  for (const b of breakdowns) {
    const rows = q.breakdowns[b]!;
    units.forEach((unit, u) => {
      const t = tables.breakdowns.get(b)![u]!;
      const cells = rows.map((r, i) => unit.cells(r).map((v, j) => id(`c:${b}:${u}:${i}:${j}`, v, t.cells[i]![j]!)));
      const rowIds = rows.map((r, i) => id(key.row(b, i), r.answered, t.rowTotals![i]!));
      const colIds = range(unit.columns).map((j) =>
        id(key.overall(u, j), unit.cells(q.overall)[j]!, t.columnTotals![j]!),
      );
      const grand = id(key.n, q.overall.answered, t.grandTotal!);
      cells.forEach((row, i) => equations.push(sum(row, rowIds[i]!)));
      colIds.forEach((c, j) =>
        equations.push(
          sum(
            cells.map((row) => row[j]!),
            c,
          ),
        ),
      );
      equations.push(sum(rowIds, grand), sum(colIds, grand));
    });
  }
  if (hidden.size === 0) return false;
  return determinedFigures(equations, hidden).length > 0 || pinnedByBounds(equations, values, hidden).length > 0;
}

/** Which whole-survey figures a set of tables hides, as one comparable string. */
const overallHidden = (t: Tables) =>
  t.overall.map((u) => [...u.cells[0]!, u.rowTotals![0]!].map((c) => (c.kind === 'shown' ? 0 : 1)).join('')).join('|');

/**
 * Suppresses one question's counts for every view. The whole-survey view comes first: a breakdown
 * that would hide more of its figures is withheld for this question (shown for everyone only), so
 * asking for groups never blurs the main figures. Breakdowns are also withheld, last first, while
 * the tables together would still give a hidden figure away; if even the whole-survey view alone
 * would (its n is public and hidden, a corner case), every count is hidden.
 */
export function publishQuestion(q: QuestionCounts): PublishedQuestion {
  const units = unitsOf(q);
  const memo: Memo = new Map();
  const aloneTables = suppressAll(q, units, [], memo);
  const alone = overallHidden(aloneTables);
  // Each breakdown beside the whole-survey view alone. Those that keep its figures as they are
  // meet only through them, so together they are what they are one by one: no joint run needed.
  const single = new Map<string, Tables>();
  for (const b of Object.keys(q.breakdowns)) {
    if (q.breakdowns[b]!.length === 0) continue;
    const t = suppressAll(q, units, [b], memo);
    if (overallHidden(t) === alone) single.set(b, t);
  }
  let breakdowns = [...single.keys()];
  const combine = (bs: string[]): Tables =>
    bs.length === 0
      ? aloneTables
      : {
          overall: single.get(bs[0]!)!.overall,
          breakdowns: new Map(bs.map((b) => [b, single.get(b)!.breakdowns.get(b)!])),
        };
  let tables = combine(breakdowns);
  while (leaks(q, units, tables, breakdowns)) {
    if (breakdowns.length === 0) {
      const n = q.answeredIsPublic ? q.overall.answered : HIDDEN;
      return {
        overall: { key: q.overall.key, n, counts: q.overall.counts.map(() => HIDDEN) },
        breakdowns: Object.fromEntries(Object.keys(q.breakdowns).map((b) => [b, null])),
      };
    }
    breakdowns = breakdowns.slice(0, -1);
    tables = combine(breakdowns);
  }
  const rowOf = (row: CountsRow, t: (u: number) => { cells: PublishedCell[]; n: PublishedCell }): PublishedRow => {
    const n = figure(t(0).n);
    const counts =
      q.kind === 'distribution' ? t(0).cells.map(figure) : q.overall.counts.map((_, k) => figure(t(k).cells[0]!));
    return { key: row.key, n, counts };
  };
  const overall = rowOf(q.overall, (u) => ({
    cells: tables.overall[u]!.cells[0]!,
    n: tables.overall[u]!.rowTotals![0]!,
  }));
  const published: Record<string, PublishedRow[] | null> = {};
  for (const b of Object.keys(q.breakdowns)) {
    const t = tables.breakdowns.get(b);
    published[b] = t
      ? q.breakdowns[b]!.map((row, i) => rowOf(row, (u) => ({ cells: t[u]!.cells[i]!, n: t[u]!.rowTotals![i]! })))
      : null;
  }
  return { overall, breakdowns: published };
}

// ---------------------------------------------------------------------------------------------
// Derived figures: functions of a row's published figures only.

/** A figure known to lie between `low` and `high` (equal when it is exact). */
export interface Range {
  low: number;
  high: number;
}

export interface ScaleFigures {
  mean: Range;
  median: Range;
  /** 95% confidence interval of the mean (widened to cover every possible mean when figures are hidden). */
  ci95: Range | null;
  /** False when hidden figures make these ranges rather than single values. */
  exact: boolean;
}

export interface NpsFigures {
  /** % promoters − % detractors, −100 to 100. */
  score: Range;
  promoters: Range;
  passives: Range;
  detractors: Range;
  exact: boolean;
}

/**
 * Every way the hidden answers of a row could fall, at the extremes: all of them on one hidden
 * value (the corners of the set of possible counts, where anything linear, or monotone like the
 * median, is at its least and its most). Null when the row's n is hidden or too small.
 */
function corners(counts: readonly Figure[], n: Figure): number[][] | null {
  if (!shown(n) || n < MIN_CELL) return null;
  const hiddenAt = counts.flatMap((c, i) => (shown(c) ? [] : [i]));
  const base = counts.map((c) => (shown(c) ? c : 0));
  const rest = n - base.reduce((a, b) => a + b, 0);
  if (hiddenAt.length === 0 || rest === 0) return [base];
  return hiddenAt.map((i) => base.map((c, j) => (j === i ? c + rest : c)));
}

const span = (xs: number[]): Range => ({ low: Math.min(...xs), high: Math.max(...xs) });

/** Mean, median and 95% CI of a rating row (`values[i]` is what category i stands for, all ≥ 0). */
export function scaleFigures(values: readonly number[], row: Pick<PublishedRow, 'counts' | 'n'>): ScaleFigures | null {
  const cs = corners(row.counts, row.n);
  if (!cs) return null;
  const summaries = cs.map((c) => summaryFromCounts(values.map((value, i) => ({ value, count: c[i]! }))));
  const n = summaries[0]!.n;
  const mean = span(summaries.map((s) => s.mean!));
  const median = span(summaries.map((s) => s.median!));
  if (cs.length === 1) {
    const s = summaries[0]!;
    return {
      mean,
      median,
      ci95: s.ci95 && { low: s.ci95[0], high: s.ci95[1] },
      exact: true,
    };
  }
  // The spread is at most what the widest corner allows (E[x²] is linear in the counts, E[x]² at
  // least its smallest corner's square), and never more than half the scale (Popoviciu).
  const moment = (c: number[], p: number) => values.reduce((a, v, i) => a + c[i]! * v ** p, 0) / n;
  const variance = Math.max(...cs.map((c) => moment(c, 2))) - Math.min(...cs.map((c) => moment(c, 1))) ** 2;
  const correction = n / (n - 1);
  const sd = Math.min(
    Math.sqrt(Math.max(0, variance) * correction),
    ((Math.max(...values) - Math.min(...values)) / 2) * Math.sqrt(correction),
  );
  const margin = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { mean, median, ci95: { low: mean.low - margin, high: mean.high + margin }, exact: false };
}

/** The Net Promoter Score of a 0–10 row (counts for 0, 1, … 10) and its parts, as counts. */
export function npsFigures(row: Pick<PublishedRow, 'counts' | 'n'>): NpsFigures | null {
  if (row.counts.length !== 11) throw new RangeError('an NPS row has 11 counts, for 0 to 10');
  const cs = corners(row.counts, row.n);
  if (!cs) return null;
  const part = (c: number[], from: number, to: number) => c.slice(from, to + 1).reduce((a, b) => a + b, 0);
  const n = row.n as number;
  const each = cs.map((c) => {
    const promoters = part(c, 9, 10);
    const passives = part(c, 7, 8);
    const detractors = part(c, 0, 6);
    return { promoters, passives, detractors, score: ((promoters - detractors) * 100) / n };
  });
  const figures = {
    score: span(each.map((e) => e.score)),
    promoters: span(each.map((e) => e.promoters)),
    passives: span(each.map((e) => e.passives)),
    detractors: span(each.map((e) => e.detractors)),
  };
  // Hidden answers that all fall in one part (say, all among the detractors) leave every figure exact.
  return { ...figures, exact: Object.values(figures).every((r) => r.low === r.high) };
}

/** A count as a share of its row, in percent; null when either is hidden. */
export function percentOf(count: Figure, n: Figure): number | null {
  return shown(count) && shown(n) && n > 0 ? (count * 100) / n : null;
}
