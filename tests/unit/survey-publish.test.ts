import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HIDDEN,
  npsFigures,
  publishQuestion,
  scaleFigures,
  type CountsRow,
  type Figure,
  type PublishedQuestion,
  type QuestionCounts,
} from '#functions/surveys/publish.ts';
import { summaryFromCounts } from '#functions/surveys/stats.ts';
import { attack, type Equation } from '#tests/setup/survey-attacker.ts';

/**
 * People fall into roles × cohorts; each cell of that grid has counts per answer. The question is
 * published for everyone, by role and by cohort; the attacker sees all three.
 */
interface Grid {
  kind: 'distribution' | 'multiple';
  roles: number;
  cohorts: number;
  /** grid[role][cohort] = { answered, counts } */
  cells: { answered: number; counts: number[] }[][];
}

const grids = fc
  .record({
    kind: fc.constantFrom('distribution', 'distribution', 'multiple'),
    roles: fc.integer({ min: 1, max: 2 }),
    cohorts: fc.integer({ min: 1, max: 4 }),
    categories: fc.integer({ min: 2, max: 5 }),
  })
  .chain(({ kind, roles, cohorts, categories }) =>
    fc
      .array(
        fc.array(
          fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 25 })), {
            minLength: categories,
            maxLength: categories,
          }),
          { minLength: cohorts, maxLength: cohorts },
        ),
        { minLength: roles, maxLength: roles },
      )
      .chain((raw) =>
        fc
          .array(fc.integer({ min: 0, max: 6 }), { minLength: roles * cohorts, maxLength: roles * cohorts })
          .map((extra): Grid => ({
            kind: kind as Grid['kind'],
            roles,
            cohorts,
            cells: raw.map((row, r) =>
              row.map((counts, c) => ({
                counts,
                // Multiple choice: some answered without choosing each option.
                answered:
                  kind === 'multiple'
                    ? Math.max(...counts, 0) + extra[r * cohorts + c]!
                    : counts.reduce((a, b) => a + b, 0),
              })),
            ),
          })),
      ),
  );

function questionOf(g: Grid): QuestionCounts {
  const sum = (cells: { answered: number; counts: number[] }[], key: string): CountsRow => ({
    key,
    answered: cells.reduce((a, c) => a + c.answered, 0),
    counts: cells[0]!.counts.map((_, i) => cells.reduce((a, c) => a + c.counts[i]!, 0)),
  });
  const all = g.cells.flat();
  return {
    kind: g.kind,
    overall: sum(all, 'all'),
    breakdowns: {
      role: g.cells.map((row, r) => sum(row, `role${r}`)),
      cohort: Array.from({ length: g.cohorts }, (_, c) =>
        sum(
          g.cells.map((row) => row[c]!),
          `cohort${c}`,
        ),
      ),
    },
  };
}

/** Everything published, as equations over the grid's cells; the hidden figures with their truth. */
function equations(g: Grid, p: PublishedQuestion) {
  const published: Equation[] = [];
  const hidden: Equation[] = [];
  const atom = (r: number, c: number, i: number | 'answered') => `${r}.${c}.${i}`;
  const truthOf = (r: number, c: number, i: number | 'answered') =>
    i === 'answered' ? g.cells[r]![c]!.answered : g.cells[r]![c]!.counts[i]!;
  const add = (name: string, members: [number, number][], i: number | 'answered', shown: Figure) => {
    const terms = new Map<string, number>();
    let value = 0;
    for (const [r, c] of members) {
      if (i === 'answered' && g.kind === 'distribution') {
        g.cells[r]![c]!.counts.forEach((_, k) => terms.set(atom(r, c, k), 1));
      } else terms.set(atom(r, c, i), 1);
      value += truthOf(r, c, i);
    }
    const eq = { name, terms, value };
    if (shown === HIDDEN) hidden.push(eq);
    else {
      expect(shown, name).toBe(value);
      published.push(eq);
    }
  };
  const everyone: [number, number][] = g.cells.flatMap((row, r) => row.map((_, c): [number, number] => [r, c]));
  const views: [string, { key: string; n: Figure; counts: Figure[] }[] | null, (key: string) => [number, number][]][] =
    [
      ['overall', [p.overall], () => everyone],
      ['role', p.breakdowns.role!, (k) => everyone.filter(([r]) => `role${r}` === k)],
      ['cohort', p.breakdowns.cohort!, (k) => everyone.filter(([, c]) => `cohort${c}` === k)],
    ];
  for (const [view, rows, members] of views) {
    for (const row of rows ?? []) {
      add(`${view} ${row.key} n`, members(row.key), 'answered', row.n);
      row.counts.forEach((c, i) => add(`${view} ${row.key} ${i}`, members(row.key), i, c));
    }
  }
  return { published, hidden };
}

/** Found by the property below against tables suppressed one by one: the cohort view gave away what the whole-survey view hid. */
const ONE_BY_ONE_LEAK: Grid = {
  kind: 'distribution',
  roles: 1,
  cohorts: 3,
  cells: [
    [
      { counts: [6, 16, 2], answered: 24 },
      { counts: [0, 0, 5], answered: 5 },
      { counts: [0, 0, 0], answered: 0 },
    ],
  ],
};

describe('publishQuestion', () => {
  it('lets no hidden figure be worked out from the whole survey, the roles and the cohorts together', () => {
    fc.assert(
      fc.property(grids, (g) => {
        const p = publishQuestion(questionOf(g));
        const { published, hidden } = equations(g, p);
        const found = attack(published, hidden);
        expect(found.determined, 'determined by the equations').toEqual([]);
        expect(found.pinned, 'pinned by bounds').toEqual([]);
      }),
      { numRuns: 300, examples: [[ONE_BY_ONE_LEAK]] },
    );
  });

  it('never shows in a breakdown a whole-survey figure the whole-survey view hides', () => {
    fc.assert(
      fc.property(grids, (g) => {
        const p = publishQuestion(questionOf(g));
        for (const b of ['role', 'cohort'] as const) {
          const rows = p.breakdowns[b];
          if (!rows) continue;
          p.overall.counts.forEach((c, i) => {
            // A column with every cell shown adds up to the whole-survey figure.
            if (c === HIDDEN)
              expect(
                rows.some((r) => r.counts[i] === HIDDEN),
                `${b}, column ${i}`,
              ).toBe(true);
          });
          if (p.overall.n === HIDDEN) expect(rows.some((r) => r.n === HIDDEN)).toBe(true);
        }
      }),
      { numRuns: 300, examples: [[ONE_BY_ONE_LEAK]] },
    );
  });

  it('shows figures of 5 or more as they are, and never a figure under 5', () => {
    fc.assert(
      fc.property(grids, (g) => {
        const q = questionOf(g);
        const p = publishQuestion(q);
        const check = (row: { n: Figure; counts: Figure[] }, truth: CountsRow) => {
          if (row.n !== HIDDEN) expect(row.n).toBe(truth.answered);
          if (truth.answered < 5) expect(row.n).toBe(HIDDEN);
          row.counts.forEach((c, i) => {
            if (truth.counts[i]! < 5) expect(c).toBe(HIDDEN);
            else if (c !== HIDDEN) expect(c).toBe(truth.counts[i]);
          });
        };
        check(p.overall, q.overall);
        for (const b of ['role', 'cohort'] as const)
          p.breakdowns[b]?.forEach((row, i) => check(row, q.breakdowns[b]![i]!));
      }),
      { numRuns: 200 },
    );
  });

  it('protects two lone answers, one in each role and cohort, in every view at once', () => {
    // Everyone answered 3 or 4 except two people, one in each role and cohort.
    const g: Grid = {
      kind: 'distribution',
      roles: 2,
      cohorts: 2,
      cells: [
        [
          { answered: 21, counts: [1, 10, 10] },
          { answered: 20, counts: [0, 10, 10] },
        ],
        [
          { answered: 20, counts: [0, 10, 10] },
          { answered: 21, counts: [1, 10, 10] },
        ],
      ],
    };
    const p = publishQuestion(questionOf(g));
    const { published, hidden } = equations(g, p);
    expect(hidden.length).toBeGreaterThan(0);
    expect(attack(published, hidden)).toEqual({ determined: [], pinned: [] });
  });
});

describe('figures derived from published counts', () => {
  const likertRows = fc
    .array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 })), {
      minLength: 5,
      maxLength: 5,
    })
    .filter((c) => c.reduce((a, b) => a + b, 0) >= 5);

  it('give ranges that hold the true mean, median and confidence interval, and exact figures when nothing is hidden', () => {
    fc.assert(
      fc.property(likertRows, (counts) => {
        const values = [1, 2, 3, 4, 5];
        const n = counts.reduce((a, b) => a + b, 0);
        const p = publishQuestion({
          kind: 'distribution',
          overall: { key: 'all', answered: n, counts },
          breakdowns: {},
        });
        const s = scaleFigures(values, p.overall);
        const truth = summaryFromCounts(values.map((value, i) => ({ value, count: counts[i]! })));
        if (p.overall.n === HIDDEN) {
          expect(s).toBeNull();
          return;
        }
        expect(s).not.toBeNull();
        const within = (x: number, r: { low: number; high: number }) => {
          expect(x).toBeGreaterThanOrEqual(r.low - 1e-9);
          expect(x).toBeLessThanOrEqual(r.high + 1e-9);
        };
        within(truth.mean!, s!.mean);
        within(truth.median!, s!.median);
        within(truth.ci95![0], s!.ci95!);
        within(truth.ci95![1], s!.ci95!);
        expect(s!.exact).toBe(p.overall.counts.every((c) => c !== HIDDEN));
        if (s!.exact) expect(s!.mean.low).toBe(s!.mean.high);
      }),
      { numRuns: 400 },
    );
  });

  it('NPS: a range holding the true score and parts; a hand-worked exact case', () => {
    const npsRows = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 5, max: 20 })), {
        minLength: 11,
        maxLength: 11,
      })
      .filter((c) => c.reduce((a, b) => a + b, 0) >= 5);
    fc.assert(
      fc.property(npsRows, (counts) => {
        const n = counts.reduce((a, b) => a + b, 0);
        const p = publishQuestion({
          kind: 'distribution',
          overall: { key: 'all', answered: n, counts },
          breakdowns: {},
        });
        const f = npsFigures(p.overall)!;
        const promoters = counts[9]! + counts[10]!;
        const detractors = counts.slice(0, 7).reduce((a, b) => a + b, 0);
        const score = ((promoters - detractors) * 100) / n;
        expect(score).toBeGreaterThanOrEqual(f.score.low - 1e-9);
        expect(score).toBeLessThanOrEqual(f.score.high + 1e-9);
        expect(promoters).toBeGreaterThanOrEqual(f.promoters.low);
        expect(promoters).toBeLessThanOrEqual(f.promoters.high);
      }),
      { numRuns: 300 },
    );
    // 10 promoters, 5 passives, 5 detractors of 20: +25.
    const exact = npsFigures({ n: 20, counts: [5, 0, 0, 0, 0, 0, 0, 5, 0, 5, 5].map((c) => c) as Figure[] })!;
    expect(exact).toEqual({
      score: { low: 25, high: 25 },
      promoters: { low: 10, high: 10 },
      passives: { low: 5, high: 5 },
      detractors: { low: 5, high: 5 },
      exact: true,
    });
    expect(npsFigures({ n: HIDDEN, counts: new Array<Figure>(11).fill(HIDDEN) })).toBeNull();
  });
});
