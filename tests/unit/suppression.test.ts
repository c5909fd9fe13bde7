import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellText,
  cellValue,
  suppressSegments,
  suppressTable,
  type PublishedCell,
  type SuppressedTable,
  type SuppressTableInput,
} from '#functions/surveys/suppression.ts';

// ---------------------------------------------------------------------------------------------
// An attacker, written independently of the implementation: it sees only the published table
// (and which totals it has), and tries to work out hidden figures.

interface Published {
  /** Every figure: cells row by row, then row totals, column totals, the grand total. */
  truth: number[];
  shown: (number | null)[];
  /** Sum of the parts minus the total is zero: lists of [figure, coefficient]. */
  equations: [number, number][][];
}

function published(input: SuppressTableInput, out: SuppressedTable): Published {
  const R = input.rows.length;
  const C = input.columns.length;
  const truth: number[] = [];
  const shown: (number | null)[] = [];
  const add = (value: number, cell: PublishedCell) => {
    truth.push(value);
    shown.push(cellValue(cell));
    return truth.length - 1;
  };
  const cellIds = input.cells.map((row, i) => row.map((v, j) => add(v, out.cells[i]![j]!)));
  const rowSum = (i: number) => input.cells[i]!.reduce((a, b) => a + b, 0);
  const colSum = (j: number) => input.cells.reduce((a, row) => a + row[j]!, 0);
  const rowIds = out.rowTotals?.map((cell, i) => add(rowSum(i), cell)) ?? null;
  const colIds = out.columnTotals?.map((cell, j) => add(colSum(j), cell)) ?? null;
  const grandValue = input.cells.flat().reduce((a, b) => a + b, 0);
  const grandId = out.grandTotal ? add(grandValue, out.grandTotal) : null;

  const equations: [number, number][][] = [];
  const sumOf = (parts: number[], total: number): [number, number][] => [
    ...parts.map((id): [number, number] => [id, 1]),
    [total, -1],
  ];
  if (rowIds) for (let i = 0; i < R; i++) equations.push(sumOf(cellIds[i]!, rowIds[i]!));
  if (colIds)
    for (let j = 0; j < C; j++)
      equations.push(
        sumOf(
          cellIds.map((row) => row[j]!),
          colIds[j]!,
        ),
      );
  if (grandId !== null) {
    if (rowIds) equations.push(sumOf(rowIds, grandId));
    if (colIds) equations.push(sumOf(colIds, grandId));
    if (!rowIds && !colIds) equations.push(sumOf(cellIds.flat(), grandId));
  }
  return { truth, shown, equations };
}

/**
 * Subtraction, over and over: any row, column or line of totals with exactly one hidden figure
 * gives it away (total − the published parts), and what it gives away may open another line.
 */
function inferBySubtraction({ shown, equations }: Published): Map<number, number> {
  const known = new Map<number, number>();
  shown.forEach((v, id) => {
    if (v !== null) known.set(id, v);
  });
  const inferred = new Map<number, number>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const eq of equations) {
      const unknown = eq.filter(([id]) => !known.has(id));
      if (unknown.length !== 1) continue;
      const [id, coefficient] = unknown[0]!;
      const rest = eq.reduce((a, [other, c]) => (other === id ? a : a + c * known.get(other)!), 0);
      const value = -rest / coefficient;
      known.set(id, value);
      inferred.set(id, value);
      progress = true;
    }
  }
  return inferred;
}

/** The rank of an integer matrix, exactly (fraction-free elimination over BigInt). */
function rank(matrix: bigint[][]): number {
  const m = matrix.map((row) => [...row]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = r + 1; i < m.length; i++) {
      const f = m[i]![c]!;
      if (f === 0n) continue;
      const pv = m[r]![c]!;
      m[i] = m[i]!.map((v, k) => v * pv - f * m[r]![k]!);
    }
    r++;
  }
  return r;
}

/**
 * Linear algebra: every combination of the published equations at once. A hidden figure is
 * determined exactly when dropping its column lowers the rank of the system over the hidden figures.
 */
function determinedByAlgebra({ shown, equations }: Published): number[] {
  const hidden = shown.flatMap((v, id) => (v === null ? [id] : []));
  const matrix = equations.map((eq) =>
    hidden.map((id) => BigInt(eq.filter(([other]) => other === id).reduce((a, [, c]) => a + c, 0))),
  );
  const full = rank(matrix);
  return hidden.filter((_, k) => rank(matrix.map((row) => row.filter((_, c) => c !== k))) < full);
}

/**
 * Bounds: no count is below 0, so each equation bounds its hidden figures by what the others can
 * be, and the bounds travel (written apart from the implementation, with its own loop). Returns the
 * hidden figures whose lowest and highest possible values meet.
 */
function pinnedByBoundsAttack({ shown, equations }: Published): Map<number, number> {
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  shown.forEach((v, id) => {
    lo.set(id, v ?? 0);
    hi.set(id, v ?? Number.POSITIVE_INFINITY);
  });
  for (let round = 0; round < 1000; round++) {
    let moved = false;
    for (const eq of equations) {
      for (const [id, c] of eq) {
        if (shown[id] !== null) continue;
        // c·x = −Σ others: the others' extremes give x's.
        let least = 0;
        let most = 0;
        for (const [other, co] of eq) {
          if (other === id) continue;
          const ends = [co * lo.get(other)!, co * hi.get(other)!];
          least -= Math.max(...ends);
          most -= Math.min(...ends);
        }
        const [from, to] = c > 0 ? [least / c, most / c] : [most / c, least / c];
        if (Math.ceil(from) > lo.get(id)!) {
          lo.set(id, Math.ceil(from));
          moved = true;
        }
        if (Math.floor(to) < hi.get(id)!) {
          hi.set(id, Math.floor(to));
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  const pinned = new Map<number, number>();
  shown.forEach((v, id) => {
    if (v === null && lo.get(id) === hi.get(id)) pinned.set(id, lo.get(id)!);
  });
  return pinned;
}

// ---------------------------------------------------------------------------------------------

const tables = fc
  .record({
    rows: fc.integer({ min: 1, max: 6 }),
    columns: fc.integer({ min: 1, max: 6 }),
    rowTotals: fc.boolean(),
    columnTotals: fc.boolean(),
    grandTotal: fc.option(fc.boolean(), { nil: undefined }),
    minCell: fc.constantFrom(5, 5, 5, 3, 10),
  })
  .chain(({ rows, columns, ...rest }) =>
    fc
      .array(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })), {
          minLength: columns,
          maxLength: columns,
        }),
        { minLength: rows, maxLength: rows },
      )
      .map((cells): SuppressTableInput => ({
        rows: cells.map((_, i) => `row ${i}`),
        columns: cells[0]!.map((_, j) => `column ${j}`),
        cells,
        ...rest,
      })),
  );

describe('suppressTable', () => {
  it('hides small cells and protects them from subtraction (the brief’s example)', () => {
    const out = suppressTable({
      rows: ['Mentors', 'Mentees', 'Coordinators'],
      columns: ['Agree', 'Neutral', 'Disagree'],
      cells: [
        [3, 10, 20],
        [12, 8, 30],
        [40, 50, 60],
      ],
      rowTotals: true,
      columnTotals: true,
    });
    expect(out.cells.map((row) => row.map(cellText))).toEqual([
      ['<5', 'suppressed', '20'],
      ['suppressed', 'suppressed', '30'],
      ['40', '50', '60'],
    ]);
    expect(out.rowTotals!.map(cellText)).toEqual(['33', '50', '150']);
    expect(out.columnTotals!.map(cellText)).toEqual(['55', '68', '110']);
    expect(out.grandTotal).toEqual({ kind: 'shown', value: 233 });
    expect(out.suppressedCount).toBe(4);
    expect(out.cells[0]![0]).toEqual({ kind: 'small', label: '<5' });
    expect(out.cells[0]![1]).toEqual({ kind: 'suppressed', label: 'suppressed' });
  });

  it('the attacker has teeth: primary suppression alone leaks, and so can two per line', () => {
    const input: SuppressTableInput = {
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      cells: [
        [3, 10],
        [12, 8],
      ],
      rowTotals: true,
      columnTotals: true,
    };
    const primaryOnly: SuppressedTable = {
      ...suppressTable({ ...input, rowTotals: false, columnTotals: false }),
      rowTotals: [
        { kind: 'shown', value: 13 },
        { kind: 'shown', value: 20 },
      ],
      columnTotals: [
        { kind: 'shown', value: 15 },
        { kind: 'shown', value: 18 },
      ],
      grandTotal: { kind: 'shown', value: 33 },
    };
    expect(inferBySubtraction(published(input, primaryOnly))).toEqual(new Map([[0, 3]]));

    // Two hidden per row and column, but rows a+b minus columns w+x leave the cell (b, y) alone.
    const dumbbell: SuppressTableInput = {
      rows: ['a', 'b', 'c', 'd'],
      columns: ['w', 'x', 'y', 'z'],
      cells: [
        [2, 3, 50, 50],
        [3, 2, 4, 50],
        [50, 50, 2, 3],
        [50, 50, 3, 2],
      ],
      rowTotals: true,
      columnTotals: true,
    };
    const primary = suppressTable({ ...dumbbell, rowTotals: false, columnTotals: false });
    const leaky = published(dumbbell, {
      ...primary,
      rowTotals: [105, 59, 105, 105].map((value) => ({ kind: 'shown', value })),
      columnTotals: [105, 105, 59, 105].map((value) => ({ kind: 'shown', value })),
      grandTotal: { kind: 'shown', value: 374 },
    });
    expect(inferBySubtraction(leaky).size).toBe(0);
    expect(determinedByAlgebra(leaky)).toEqual([6]); // cells[1][2], the 4

    const out = suppressTable(dumbbell);
    expect(determinedByAlgebra(published(dumbbell, out))).toEqual([]);
  });

  it('never lets a hidden figure be inferred from the published totals, on random tables', () => {
    fc.assert(
      fc.property(tables, (input) => {
        const out = suppressTable(input);
        const view = published(input, out);
        expect(inferBySubtraction(view), 'hidden figures recovered by subtraction').toEqual(new Map());
        expect(determinedByAlgebra(view), 'hidden figures determined by combining totals').toEqual([]);
        expect(pinnedByBoundsAttack(view), 'hidden figures pinned because no count is negative').toEqual(new Map());
      }),
      { numRuns: 500 },
    );
  });

  it('shows exactly the figures of at least minCell, unchanged, and counts what it hides', () => {
    fc.assert(
      fc.property(tables, (input) => {
        const minCell = input.minCell ?? 5;
        const out = suppressTable(input);
        const { truth } = published(input, out);
        const all = [
          ...out.cells.flat(),
          ...(out.rowTotals ?? []),
          ...(out.columnTotals ?? []),
          ...(out.grandTotal ? [out.grandTotal] : []),
        ];
        all.forEach((cell, id) => {
          const value = truth[id]!;
          if (value < minCell) expect(cell).toEqual({ kind: 'small', label: `<${minCell}` });
          else if (cell.kind === 'shown') expect(cell.value).toBe(value);
          else expect(cell.kind).toBe('suppressed');
        });
        expect(out.suppressedCount).toBe(all.filter((c) => c.kind !== 'shown').length);
        expect(out.rowTotals === null).toBe(!input.rowTotals);
        expect(out.columnTotals === null).toBe(!input.columnTotals);
        expect(out.grandTotal === null).toBe(!(input.grandTotal ?? (input.rowTotals && input.columnTotals)));
        expect(suppressTable(input)).toEqual(out); // deterministic
      }),
      { numRuns: 300 },
    );
  });

  it('does not let hidden figures that add up to 0 give themselves away', () => {
    // 90 − (20 + 30 + 40) = 0: both hidden figures are 0, and "nobody strongly disagreed" is a
    // statement about every respondent. Another figure goes, so the hidden ones add up to 20.
    const input: SuppressTableInput = {
      rows: ['all'],
      columns: ['1', '2', '3', '4', '5'],
      cells: [[0, 0, 20, 30, 40]],
      rowTotals: true,
    };
    const primaryOnly = suppressTable({ ...input, rowTotals: false });
    const leaky = published(input, { ...primaryOnly, rowTotals: [{ kind: 'shown', value: 90 }] });
    expect(determinedByAlgebra(leaky)).toEqual([]);
    expect(pinnedByBoundsAttack(leaky)).toEqual(
      new Map([
        [0, 0],
        [1, 0],
      ]),
    );
    const out = suppressTable(input);
    expect(out.cells[0]!.map(cellText)).toEqual(['<5', '<5', 'suppressed', '30', '40']);
    expect(pinnedByBoundsAttack(published(input, out))).toEqual(new Map());
  });

  it('hides what another table hides, when asked to', () => {
    const out = suppressTable({
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      cells: [
        [10, 20],
        [30, 40],
      ],
      rowTotals: true,
      columnTotals: true,
      hidden: { columnTotals: [0] },
    });
    expect(out.columnTotals!.map(cellText)).toEqual(['suppressed', 'suppressed']);
    const view = published(
      {
        rows: ['a', 'b'],
        columns: ['x', 'y'],
        cells: [
          [10, 20],
          [30, 40],
        ],
        rowTotals: true,
        columnTotals: true,
      },
      out,
    );
    expect(determinedByAlgebra(view)).toEqual([]);
    expect(pinnedByBoundsAttack(view)).toEqual(new Map());
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[10]], hidden: { columnTotals: [0] } })).toThrow(
      RangeError,
    );
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[10]], hidden: { cells: [[1, 0]] } })).toThrow(
      RangeError,
    );
  });

  it('hides nothing more than the small cells when no totals are published', () => {
    const out = suppressTable({ rows: ['a'], columns: ['x', 'y', 'z'], cells: [[0, 7, 4]] });
    expect(out.cells[0]!.map(cellText)).toEqual(['<5', '7', '<5']);
    expect(out.suppressedCount).toBe(2);
    expect(out.rowTotals).toBeNull();
  });

  it('treats a published total like any other figure: a small total is hidden, and so is its partner', () => {
    // Row totals 3 and 40 with a grand total of 43: the 3 would be 43 − 40. Then the 40 is hidden,
    // and it would be 20 + 20, so one of those goes too.
    const out = suppressTable({
      rows: ['small', 'large'],
      columns: ['x', 'y'],
      cells: [
        [1, 2],
        [20, 20],
      ],
      rowTotals: true,
      grandTotal: true,
    });
    expect(out.rowTotals!.map(cellText)).toEqual(['<5', 'suppressed']);
    expect(out.grandTotal).toEqual({ kind: 'shown', value: 43 });
    expect(out.cells[1]!.map(cellText)).toEqual(['suppressed', '20']);
  });

  it('honours minCell and labels small figures with it', () => {
    const out = suppressTable({ rows: ['a'], columns: ['x', 'y', 'z'], cells: [[9, 10, 30]], minCell: 10 });
    expect(out.cells[0]![0]).toEqual({ kind: 'small', label: '<10' });
  });

  it('rejects malformed input', () => {
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[1], [2]] })).toThrow(RangeError);
    expect(() => suppressTable({ rows: ['a'], columns: ['x', 'y'], cells: [[1]] })).toThrow(RangeError);
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[-1]] })).toThrow(RangeError);
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[1.5]] })).toThrow(RangeError);
    expect(() => suppressTable({ rows: ['a'], columns: ['x'], cells: [[1]], minCell: 0 })).toThrow(RangeError);
  });
});

describe('suppressSegments', () => {
  it('reports segments of at least 10 and suppresses the next smallest beside a lone small one', () => {
    const r = suppressSegments(
      [
        { key: 'mentors', n: 3 },
        { key: 'mentees', n: 40 },
        { key: 'coordinators', n: 12 },
        { key: 'alumni', n: 20 },
      ],
      75,
    );
    expect(r.reported).toEqual(['mentees', 'alumni']);
    expect(r.segments.map((s) => s.status)).toEqual(['small', 'reported', 'suppressed', 'reported']);
    expect(r.overallReported).toBe(true);
    expect(r.suppressedCount).toBe(2);
  });

  it('needs no partner when the overall figure is not shown', () => {
    const r = suppressSegments(
      [
        { key: 'a', n: 3 },
        { key: 'b', n: 40 },
      ],
      null,
    );
    expect(r.reported).toEqual(['b']);
    expect(r.overallReported).toBe(false);
  });

  it('keeps going until the people left out number at least 10', () => {
    const r = suppressSegments(
      [
        { key: 'a', n: 3 },
        { key: 'b', n: 4 },
        { key: 'c', n: 12 },
        { key: 'd', n: 20 },
      ],
      39,
    );
    expect(r.segments.map((s) => s.status)).toEqual(['small', 'small', 'suppressed', 'reported']);
  });

  it('protects people in no segment at all, and reports nothing from a small whole', () => {
    // 50 respondents, 45 in the two segments: the 5 others would be the overall minus both.
    expect(
      suppressSegments(
        [
          { key: 'a', n: 20 },
          { key: 'b', n: 25 },
        ],
        50,
      ).reported,
    ).toEqual([]);
    const tiny = suppressSegments([{ key: 'a', n: 8 }], 8);
    expect(tiny).toMatchObject({ reported: [], overallReported: false });
  });

  it('never leaves a single suppressed segment, or a small remainder, next to a shown overall', () => {
    const segmentLists = fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), n: fc.nat(40) }), {
      selector: (s) => s.key,
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        segmentLists,
        fc.nat(15),
        fc.boolean(),
        fc.constantFrom(10, 5, 20),
        (segments, unassigned, showOverall, min) => {
          const overall = segments.reduce((a, s) => a + s.n, 0) + unassigned;
          const r = suppressSegments(segments, showOverall ? overall : null, min);
          const reported = r.segments.filter((s) => s.status === 'reported');
          expect(r.reported).toEqual(reported.map((s) => s.key));
          expect(r.segments.map((s) => s.key)).toEqual(segments.map((s) => s.key));
          for (const s of r.segments) {
            if (s.n < min) expect(s.status).toBe('small');
            if (s.status === 'reported') expect(s.n).toBeGreaterThanOrEqual(min);
          }
          expect(r.overallReported).toBe(showOverall && overall >= min);
          if (r.overallReported && reported.length > 0) {
            const hidden = segments.length - reported.length;
            const outside = overall - reported.reduce((a, s) => a + s.n, 0);
            expect(hidden).not.toBe(1);
            expect(outside === 0 || outside >= min).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rejects malformed input', () => {
    expect(() => suppressSegments([{ key: 'a', n: -1 }], 10)).toThrow(RangeError);
    expect(() => suppressSegments([{ key: 'a', n: 1.5 }], 10)).toThrow(RangeError);
    expect(() =>
      suppressSegments(
        [
          { key: 'a', n: 1 },
          { key: 'a', n: 2 },
        ],
        10,
      ),
    ).toThrow(RangeError);
    expect(() => suppressSegments([], 10, 0)).toThrow(RangeError);
  });
});
