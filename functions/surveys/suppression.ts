/**
 * Small-cell suppression for survey aggregates, so that no published figure lets anyone work out
 * what a handful of people answered. Pure functions over counts (they run in Workers).
 *
 * Rules:
 *   1. Primary suppression: no figure from fewer than `minCell` (5) answers is shown; it reads "<5".
 *      Zero counts too ("nobody in this cohort disagreed" is a statement about each of them), and
 *      totals as well as cells.
 *   2. Complementary suppression: a published total is an equation (the parts add up to it), and
 *      an equation with exactly one hidden figure gives that figure away by subtraction. So in any
 *      row, column or line of totals with exactly one hidden figure, the smallest figure still shown
 *      in that line (a cell before a total on ties) is hidden too, and this repeats until stable.
 *      Then, because two hidden figures per line are not always enough (equations combine: take two
 *      rows, subtract two columns), every hidden figure is checked against all the published
 *      equations together with linear algebra, and while one is still determined, the smallest
 *      figure shown next to it is hidden and the whole process repeats. Counts are never negative,
 *      so bounds give figures away too (hidden figures that must add up to 0 are all 0): while the
 *      published equations and "no count is below 0" pin a hidden figure to one value, the smallest
 *      figure shown next to it is hidden as well. It ends: hiding everything protects everything.
 *   3. Segments (a role, a cohort) are reported only with at least `minSegment` (10) respondents.
 *      When the overall total is shown, one suppressed segment could be recovered as the overall
 *      minus the others, so the next smallest is suppressed too, and so on until the people left
 *      out of the reported segments number none or at least `minSegment`.
 *
 * What this does not protect against: bounds. "<5" says the value is 0–4 and a complementary
 * "suppressed" cell was at least 5 when chosen, so with both in one line the published total can
 * narrow them (a line whose two hidden figures add up to 5 must be 0 and 5). Show one neutral
 * marker for both kinds where that matters; every kind carries the same `label` slot for that.
 * Totals published anywhere else on the page (a segment's n in a heading, say) count as published:
 * pass `rowTotals`/`columnTotals`/`grandTotal` for them.
 */

/** The default smallest count that may be shown. */
export const MIN_CELL = 5;
/** The default smallest segment that may be reported. */
export const MIN_SEGMENT = 10;

/** A published figure: shown, hidden as too small ("<5"), or hidden to protect a small one. */
export type PublishedCell =
  | { kind: 'shown'; value: number }
  | { kind: 'small'; label: `<${number}` }
  | { kind: 'suppressed'; label: 'suppressed' };

/** The text a table shows for a figure. */
export function cellText(cell: PublishedCell): string {
  return cell.kind === 'shown' ? String(cell.value) : cell.label;
}

/** The number a chart may draw, or null when it is hidden. */
export function cellValue(cell: PublishedCell): number | null {
  return cell.kind === 'shown' ? cell.value : null;
}

export interface SuppressTableInput {
  rows: readonly string[];
  columns: readonly string[];
  /** Counts, `cells[row][column]`: whole numbers ≥ 0. */
  cells: readonly (readonly number[])[];
  /** Each row's total is published (a Total column, or each row's n anywhere on the page). */
  rowTotals?: boolean;
  /** Each column's total is published (a Total row, or the overall distribution shown elsewhere). */
  columnTotals?: boolean;
  /** The table's grand total is published. Defaults to `rowTotals && columnTotals`. */
  grandTotal?: boolean;
  /** The smallest count that may be shown (default 5). */
  minCell?: number;
  /**
   * Figures to hide from the start, because another published table hides the same figure (a
   * total two tables share). They come out as `suppressed` (or `small`) like any other.
   */
  hidden?: {
    cells?: readonly (readonly [row: number, column: number])[];
    rowTotals?: readonly number[];
    columnTotals?: readonly number[];
    grandTotal?: boolean;
  };
}

export interface SuppressedTable {
  rows: string[];
  columns: string[];
  cells: PublishedCell[][];
  /** Null when row totals are not published. */
  rowTotals: PublishedCell[] | null;
  /** Null when column totals are not published. */
  columnTotals: PublishedCell[] | null;
  /** Null when the grand total is not published. */
  grandTotal: PublishedCell | null;
  /** Every hidden figure, cells and totals, small and complementary. */
  suppressedCount: number;
}

type FigureKind = 'cell' | 'rowTotal' | 'columnTotal' | 'grandTotal';
interface Figure {
  kind: FigureKind;
  value: number;
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
}

/**
 * Which hidden figures the published ones determine. `equations` are lists of [figure, coefficient]
 * that sum to zero; the published figures are known, so a hidden figure is determined exactly when
 * its unit vector lies in the row space of the equations restricted to the hidden figures, which
 * reduced row echelon form shows as a row with a single nonzero entry. The coefficient matrix of a
 * table with margins is totally unimodular, so elimination stays within −1, 0 and 1: floating point
 * is exact here.
 */
export function determinedFigures(
  equations: readonly (readonly [figure: number, coefficient: number][])[],
  hidden: ReadonlySet<number>,
): number[] {
  const vars = [...hidden].sort((a, b) => a - b);
  const V = vars.length;
  const column = new Map(vars.map((v, i) => [v, i]));
  const matrix: Float64Array[] = [];
  for (const eq of equations) {
    const row = new Float64Array(V);
    let any = false;
    for (const [figure, coefficient] of eq) {
      const c = column.get(figure);
      if (c !== undefined) {
        row[c] = row[c]! + coefficient;
        any = true;
      }
    }
    if (any) matrix.push(row);
  }
  // Gauss–Jordan elimination. Rows are sparse (a line of a table among all its hidden figures):
  // each pivot row's nonzero columns are listed once, and only those are updated in the others.
  const pivotRowOf = new Map<number, Float64Array>();
  const nonzero = new Int32Array(V);
  let r = 0;
  for (let c = 0; c < V && r < matrix.length; c++) {
    let p = -1;
    for (let i = r; i < matrix.length; i++) {
      if (Math.abs(matrix[i]![c]!) > 0.5) {
        p = i;
        break;
      }
    }
    if (p < 0) continue;
    [matrix[r], matrix[p]] = [matrix[p]!, matrix[r]!];
    const pivot = matrix[r]!;
    const scale = pivot[c]!;
    let nz = 0;
    for (let k = 0; k < V; k++) {
      if (pivot[k] === 0) continue;
      pivot[k] = pivot[k]! / scale;
      nonzero[nz++] = k;
    }
    for (let i = 0; i < matrix.length; i++) {
      if (i === r) continue;
      const target = matrix[i]!;
      const factor = target[c]!;
      if (factor === 0) continue;
      for (let n = 0; n < nz; n++) {
        const k = nonzero[n]!;
        target[k] = target[k]! - factor * pivot[k]!;
      }
    }
    pivotRowOf.set(c, pivot);
    r++;
  }
  const determined: number[] = [];
  for (const [c, row] of pivotRowOf) {
    let alone = true;
    for (let k = 0; k < V && alone; k++) if (k !== c && Math.abs(row[k]!) >= 1e-9) alone = false;
    if (alone) determined.push(vars[c]!);
  }
  return determined.sort((a, b) => a - b);
}

/**
 * Which hidden figures the published ones pin to a single value through bounds: every count is at
 * least 0, so `a + b = total − shown` bounds each of a and b, and the bounds travel along the
 * equations (interval propagation). The linear algebra in `determinedFigures` misses these: two
 * hidden cells that must add up to 0 are both 0, though neither is determined by the equations
 * alone. `values` holds every figure's true value (only the shown ones are used).
 */
export function pinnedByBounds(
  equations: readonly (readonly [figure: number, coefficient: number][])[],
  values: readonly number[],
  hidden: ReadonlySet<number>,
): number[] {
  const low = new Map<number, number>();
  const high = new Map<number, number>();
  for (const id of hidden) {
    low.set(id, 0);
    high.set(id, Infinity);
  }
  // Each equation as: Σ coefficient · hidden = −(Σ coefficient · shown).
  const lines = equations
    .map((eq) => ({
      rhs: -eq.reduce((a, [id, c]) => (hidden.has(id) ? a : a + c * values[id]!), 0),
      terms: eq.filter(([id]) => hidden.has(id)),
    }))
    .filter((line) => line.terms.length > 0);
  // A term's least and greatest contribution, c·low and c·high (high may be infinite).
  const span = (id: number, c: number): [number, number] => {
    const a = c * low.get(id)!;
    const b = c === 0 ? 0 : c * high.get(id)!;
    return a < b ? [a, b] : [b, a];
  };
  // Propagation converges in a few rounds on survey tables; the cap keeps a pathological input finite.
  for (let round = 0; round < 500; round++) {
    let changed = false;
    for (const { rhs, terms } of lines) {
      // The line's sums of least and greatest contributions, the infinite ones counted apart, kept
      // up to date as bounds tighten: linear in the terms rather than quadratic (a breakdown by
      // 40 groups has lines of 40 terms).
      let least = 0;
      let greatest = 0;
      let leastInfinite = 0;
      let greatestInfinite = 0;
      const add = ([a, b]: [number, number], sign: 1 | -1) => {
        if (Number.isFinite(a)) least += sign * a;
        else leastInfinite += sign;
        if (Number.isFinite(b)) greatest += sign * b;
        else greatestInfinite += sign;
      };
      for (const [id, c] of terms) add(span(id, c), 1);
      for (const [id, c] of terms) {
        if (c === 0) continue;
        const own = span(id, c);
        // The other terms' sums: this term's contribution taken out.
        const othersGreatestInfinite = greatestInfinite - (Number.isFinite(own[1]) ? 0 : 1);
        const othersLeastInfinite = leastInfinite - (Number.isFinite(own[0]) ? 0 : 1);
        const min = othersGreatestInfinite > 0 ? -Infinity : rhs - (greatest - (Number.isFinite(own[1]) ? own[1] : 0));
        const max = othersLeastInfinite > 0 ? Infinity : rhs - (least - (Number.isFinite(own[0]) ? own[0] : 0));
        const lo = Math.ceil(c > 0 ? min / c : max / c);
        const hi = Math.floor(c > 0 ? max / c : min / c);
        let moved = false;
        if (lo > low.get(id)!) {
          low.set(id, lo);
          moved = true;
        }
        if (hi < high.get(id)!) {
          high.set(id, hi);
          moved = true;
        }
        if (moved) {
          changed = true;
          add(own, -1);
          add(span(id, c), 1);
        }
      }
    }
    if (!changed) break;
  }
  return [...hidden].filter((id) => low.get(id) === high.get(id)).sort((a, b) => a - b);
}

/**
 * Applies primary and complementary suppression to a table of counts (rows × columns) and the
 * totals it publishes. Deterministic: ties go to cells before totals, then to the earlier figure.
 */
export function suppressTable(input: SuppressTableInput): SuppressedTable {
  const { rows, columns, cells, rowTotals = false, columnTotals = false, minCell = MIN_CELL } = input;
  const grandTotal = input.grandTotal ?? (rowTotals && columnTotals);
  if (!Number.isInteger(minCell) || minCell < 1) throw new RangeError(`minCell must be a whole number ≥ 1`);
  if (cells.length !== rows.length) throw new RangeError(`${rows.length} rows but ${cells.length} rows of cells`);
  cells.forEach((row, i) => {
    if (row.length !== columns.length)
      throw new RangeError(`row ${i} has ${row.length} cells for ${columns.length} columns`);
    row.forEach((v, j) => assertCount(v, `cells[${i}][${j}]`));
  });

  const R = rows.length;
  const C = columns.length;
  // Figures: the cells row by row, then row totals, column totals and the grand total.
  const figures: Figure[] = [];
  const cellId = (i: number, j: number) => i * C + j;
  for (const row of cells) for (const v of row) figures.push({ kind: 'cell', value: v });
  const rowTotalBase = figures.length;
  const rowSums = cells.map((row) => row.reduce((a, b) => a + b, 0));
  if (rowTotals) for (const v of rowSums) figures.push({ kind: 'rowTotal', value: v });
  const columnTotalBase = figures.length;
  const columnSums = columns.map((_, j) => cells.reduce((a, row) => a + row[j]!, 0));
  if (columnTotals) for (const v of columnSums) figures.push({ kind: 'columnTotal', value: v });
  const grandId = figures.length;
  if (grandTotal) figures.push({ kind: 'grandTotal', value: rowSums.reduce((a, b) => a + b, 0) });

  // Equations: the parts (+1) minus the total (−1) is zero.
  const equations: [number, number][][] = [];
  if (rowTotals) {
    for (let i = 0; i < R; i++) {
      equations.push([...columns.map((_, j): [number, number] => [cellId(i, j), 1]), [rowTotalBase + i, -1]]);
    }
  }
  if (columnTotals) {
    for (let j = 0; j < C; j++) {
      equations.push([...rows.map((_, i): [number, number] => [cellId(i, j), 1]), [columnTotalBase + j, -1]]);
    }
  }
  if (grandTotal) {
    if (rowTotals) equations.push([...rows.map((_, i): [number, number] => [rowTotalBase + i, 1]), [grandId, -1]]);
    if (columnTotals)
      equations.push([...columns.map((_, j): [number, number] => [columnTotalBase + j, 1]), [grandId, -1]]);
    if (!rowTotals && !columnTotals)
      equations.push([...figures.slice(0, R * C).map((_, id): [number, number] => [id, 1]), [grandId, -1]]);
  }

  const status = new Map<number, 'small' | 'suppressed'>();
  const force = (id: number | undefined, what: string) => {
    if (id === undefined || id < 0 || id >= figures.length) throw new RangeError(`hidden: no such figure (${what})`);
    status.set(id, 'suppressed');
  };
  const { hidden: preset } = input;
  for (const [i, j] of preset?.cells ?? []) {
    if (!(i >= 0 && i < R && j >= 0 && j < C)) throw new RangeError(`hidden: no cell [${i}, ${j}]`);
    force(cellId(i, j), `cell [${i}, ${j}]`);
  }
  for (const i of preset?.rowTotals ?? [])
    force(rowTotals && i >= 0 && i < R ? rowTotalBase + i : -1, `row total ${i}`);
  for (const j of preset?.columnTotals ?? [])
    force(columnTotals && j >= 0 && j < C ? columnTotalBase + j : -1, `column total ${j}`);
  if (preset?.grandTotal) force(grandTotal ? grandId : -1, 'grand total');
  figures.forEach((f, id) => {
    if (f.value < minCell) status.set(id, 'small');
  });
  const hidden = () => new Set(status.keys());

  // The smallest figure still shown among `ids`: cells before totals, then the earlier one.
  const smallestShown = (ids: Iterable<number>): number | undefined => {
    let best: number | undefined;
    for (const id of ids) {
      if (status.has(id)) continue;
      if (best === undefined) {
        best = id;
        continue;
      }
      const a = figures[id]!;
      const b = figures[best]!;
      const aTotal = a.kind === 'cell' ? 0 : 1;
      const bTotal = b.kind === 'cell' ? 0 : 1;
      if (a.value < b.value || (a.value === b.value && (aTotal < bTotal || (aTotal === bTotal && id < best))))
        best = id;
    }
    return best;
  };

  for (;;) {
    // Lines with exactly one hidden figure, until none is left.
    let changed = true;
    while (changed) {
      changed = false;
      for (const eq of equations) {
        let hiddenInLine = 0;
        for (const [id] of eq) if (status.has(id)) hiddenInLine++;
        if (hiddenInLine !== 1) continue;
        const pick = smallestShown(eq.map(([id]) => id));
        if (pick === undefined) continue;
        status.set(pick, 'suppressed');
        changed = true;
      }
    }
    // Then the equations together.
    let determined = determinedFigures(equations, hidden());
    if (determined.length === 0)
      determined = pinnedByBounds(
        equations,
        figures.map((f) => f.value),
        hidden(),
      );
    if (determined.length === 0) break;
    const target = determined[0]!;
    const neighbours = equations.filter((eq) => eq.some(([id]) => id === target)).flatMap((eq) => eq.map(([id]) => id));
    const pick = smallestShown(neighbours) ?? smallestShown(figures.keys());
    if (pick === undefined) break; // everything is hidden already
    status.set(pick, 'suppressed');
  }

  const small = `<${minCell}` as const;
  const publish = (id: number): PublishedCell => {
    const s = status.get(id);
    if (s === 'small') return { kind: 'small', label: small };
    if (s === 'suppressed') return { kind: 'suppressed', label: 'suppressed' };
    return { kind: 'shown', value: figures[id]!.value };
  };
  return {
    rows: [...rows],
    columns: [...columns],
    cells: rows.map((_, i) => columns.map((_, j) => publish(cellId(i, j)))),
    rowTotals: rowTotals ? rows.map((_, i) => publish(rowTotalBase + i)) : null,
    columnTotals: columnTotals ? columns.map((_, j) => publish(columnTotalBase + j)) : null,
    grandTotal: grandTotal ? publish(grandId) : null,
    suppressedCount: status.size,
  };
}

export type SegmentStatus = 'reported' | 'small' | 'suppressed';

export interface SegmentDecision<K extends string> {
  key: K;
  n: number;
  /** `small`: fewer than `minSegment` respondents; `suppressed`: hidden so a small one can't be derived. */
  status: SegmentStatus;
}

export interface SegmentSuppression<K extends string> {
  /** Every segment in the given order, with its decision. */
  segments: SegmentDecision<K>[];
  /** The keys that may be reported, in the given order. */
  reported: K[];
  /** Whether the overall figure itself may be shown (it is a segment too: at least `minSegment`). */
  overallReported: boolean;
  suppressedCount: number;
}

/**
 * Which segments may be reported. `overallN` is the overall number of respondents when it is shown
 * (null when it is not). Segments may overlap or leave people out; the people outside every
 * reported segment (overall − the reported ones) must number none or at least `minSegment`, and
 * a lone suppressed segment never stands next to a shown overall.
 */
export function suppressSegments<K extends string>(
  segments: readonly { key: K; n: number }[],
  overallN: number | null,
  minSegment = MIN_SEGMENT,
): SegmentSuppression<K> {
  if (!Number.isInteger(minSegment) || minSegment < 1) throw new RangeError('minSegment must be a whole number ≥ 1');
  if (overallN !== null) assertCount(overallN, 'overallN');
  const keys = new Set<K>();
  for (const s of segments) {
    assertCount(s.n, `segment ${s.key}`);
    if (keys.has(s.key)) throw new RangeError(`duplicate segment ${s.key}`);
    keys.add(s.key);
  }
  const decisions: SegmentDecision<K>[] = segments.map(({ key, n }) => ({
    key,
    n,
    status: n < minSegment ? 'small' : 'reported',
  }));
  const overallReported = overallN !== null && overallN >= minSegment;
  if (overallReported) {
    for (;;) {
      const reported = decisions.filter((d) => d.status === 'reported');
      const suppressed = decisions.length - reported.length;
      const outside = overallN - reported.reduce((a, d) => a + d.n, 0);
      const exposed = suppressed === 1 || (outside > 0 && outside < minSegment);
      if (!exposed || reported.length === 0) break;
      const smallest = reported.reduce((a, b) => (b.n < a.n ? b : a));
      smallest.status = 'suppressed';
    }
  }
  const reported = decisions.filter((d) => d.status === 'reported').map((d) => d.key);
  return { segments: decisions, reported, overallReported, suppressedCount: decisions.length - reported.length };
}
