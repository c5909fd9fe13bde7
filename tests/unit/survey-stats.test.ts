import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combineMoments,
  distribution,
  logGamma,
  mean,
  meanConfidenceInterval,
  median,
  normalQuantile,
  nps,
  pairedChange,
  pairedChangeFromMoments,
  regularizedIncompleteBeta,
  standardDeviation,
  studentTCdf,
  studentTQuantile,
  summaryFromCounts,
} from '#functions/surveys/stats.ts';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** Answers on a 1–5 scale, and plain finite numbers of a sensible size. */
const likert = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 60 });
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe("Student's t quantile", () => {
  it.each([
    [1, 12.706],
    [5, 2.571],
    [10, 2.228],
    [30, 2.042],
    [Infinity, 1.96],
  ])('the two-sided 95%% critical value for df %s is %s to three decimals', (df, expected) => {
    expect(studentTQuantile(0.975, df).toFixed(3)).toBe(expected.toFixed(3));
  });

  // SciPy 1.17 (stats.t.ppf), spot-checked against mpmath at 50 digits.
  it.each([
    [1, 12.706204736174694, 63.656741162871526, 1.0000000000000002, -318.30883898555044],
    [2, 4.302652729749462, 9.924843200918287, 0.8164965809277261, -22.327124770119873],
    [3, 3.1824463052837078, 5.840909309733355, 0.7648923284043444, -10.214531852407385],
    [4, 2.7764451051977934, 4.604094871349992, 0.7406970841126829, -7.1731822197823085],
    [6, 2.4469118511449786, 3.7074280213248065, 0.7175581964914126, -5.207626238725374],
    [9, 2.262157162798205, 3.249835541592126, 0.7027221467513264, -4.296805662729919],
    [12, 2.1788128296672284, 3.0545395893929013, 0.6954828655117926, -3.9296332646264918],
    [20, 2.085963447265864, 2.8453397097861077, 0.6869544964488036, -3.5518083432033323],
    [40, 2.021075390306273, 2.7044592674331622, 0.6806727171644491, -3.3068777140858225],
    [120, 1.9799304050824402, 2.6174211451068654, 0.6765397249125205, -3.15953874331711],
    [500, 1.9647198374673676, 2.5856978351419415, 0.6749807379659394, -3.106611624321629],
    [1500, 1.9615467538950184, 2.579110932109593, 0.6746533421408784, -3.0956744884671448],
    [2500, 1.960913344795567, 2.5777973369278233, 0.6745878968846211, -3.0934955108929483],
    [10000, 1.960201239890626, 2.5763210466685282, 0.6745142844835927, -3.091047516030612],
    [1e6, 1.959966356814107, 2.5758342201053344, 0.6744899955310875, -3.09024045631652],
  ])('df %s matches reference values to 1e-11', (df, p975, p995, p75, p001) => {
    expect(relativeError(studentTQuantile(0.975, df), p975)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(0.995, df), p995)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(0.75, df), p75)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(0.001, df), p001)).toBeLessThan(1e-11);
  });

  it('handles fractional df and far tails (mpmath, 50 digits)', () => {
    expect(relativeError(studentTQuantile(0.975, 0.5), 164.55767348048818)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(0.975, 2.5), 3.5746548420036817)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(0.975, 7.3), 2.345066736547703)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(1e-8, 1), -31830988.618379056)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(1e-8, 1000), -5.657912337679106)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(1e-8, 5000), -5.621132014775146)).toBeLessThan(1e-11);
    expect(relativeError(studentTQuantile(1e-8, 1e5), -5.612457174881714)).toBeLessThan(1e-11);
  });

  it('is the inverse of the CDF, odd around ½ and falls towards the normal as df grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
        fc.oneof(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.2, max: 5000, noNaN: true })),
        (p, df) => {
          const t = studentTQuantile(p, df);
          expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-11 * Math.max(1, p / (1 - p)));
          // 1 − p is rounded, so the mirror image is only as exact as that.
          expect(relativeError(-studentTQuantile(1 - p, df), t)).toBeLessThan(1e-8);
          if (p > 0.5) {
            expect(t).toBeGreaterThan(0);
            expect(studentTQuantile(p, df + 1)).toBeLessThanOrEqual(t * (1 + 1e-12));
            expect(studentTQuantile(p, df + 1)).toBeGreaterThanOrEqual(normalQuantile(p) * (1 - 1e-12));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('has its exact values at the edges and rejects nonsense', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0, 7)).toBe(-Infinity);
    expect(studentTQuantile(1, 7)).toBe(Infinity);
    expect(() => studentTQuantile(1.2, 7)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(Number.NaN, 3)).toThrow(RangeError);
  });
});

describe('the distributions underneath', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.3, -0.5244005127080409],
    [1e-10, -6.361340902404056],
    [1e-12, -7.034483825301131],
    [1e-20, -9.262340089798409],
    [1e-300, -37.0470962993612],
    [0.02, -2.053748910631823],
    [0.9999, 3.719016485455709],
    [0.5, 0],
  ])('normal quantile at %s (SciPy reference)', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-14 * Math.max(1, Math.abs(z)));
  });

  it('log-gamma and the incomplete beta agree with closed forms', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (x, k) => {
        expect(regularizedIncompleteBeta(x, 1, k)).toBeCloseTo(1 - (1 - x) ** k, 12);
        expect(regularizedIncompleteBeta(x, k, 1)).toBeCloseTo(x ** k, 12);
      }),
    );
  });
});

describe('mean, median and standard deviation', () => {
  it('match hand-worked values', () => {
    const v = [3, 4, 4, 5, 2, 5, 4, 3, 5, 4];
    expect(mean(v)).toBe(3.9);
    expect(median(v)).toBe(4);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(standardDeviation(v)).toBeCloseTo(0.9944289260117533, 14);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('are null where a sample is too small to define them', () => {
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
    expect(standardDeviation([])).toBeNull();
    expect(standardDeviation([4])).toBeNull();
    expect(mean([4])).toBe(4);
    expect(median([4])).toBe(4);
    expect(standardDeviation([4, 4, 4])).toBe(0);
  });

  it('reject values that are not finite numbers', () => {
    expect(() => mean([1, Number.NaN])).toThrow(RangeError);
    expect(() => median([Infinity])).toThrow(RangeError);
    expect(() => standardDeviation([1, -Infinity])).toThrow(RangeError);
  });

  it('behave: mean and median lie within the data, order does not matter, sd shifts and scales', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 50 }), fc.integer({ min: -1000, max: 1000 }), (v, k) => {
        const lo = Math.min(...v);
        const hi = Math.max(...v);
        const m = mean(v)!;
        expect(m).toBeGreaterThanOrEqual(lo);
        expect(m).toBeLessThanOrEqual(hi);
        expect(median(v)).toBeGreaterThanOrEqual(lo);
        expect(median(v)).toBeLessThanOrEqual(hi);
        expect(median([...v].reverse())).toBe(median(v));
        if (v.length >= 2) {
          const sd = standardDeviation(v)!;
          expect(sd).toBeGreaterThanOrEqual(0);
          const tolerance = 1e-9 * (Math.abs(lo) + Math.abs(hi) + 1);
          expect(Math.abs(standardDeviation(v.map((x) => x + k))! - sd)).toBeLessThan(tolerance);
          expect(Math.abs(standardDeviation(v.map((x) => x * 3))! - 3 * sd)).toBeLessThan(3 * tolerance);
        }
      }),
    );
  });

  it('gives an exact mean for equal values', () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 1, max: 200 }), (x, n) => {
        const v = new Array<number>(n).fill(x);
        expect(mean(v) === x).toBe(true); // === so that −0 and 0 count as equal
        expect(median(v) === x).toBe(true);
        if (n >= 2) expect(standardDeviation(v)).toBe(0);
      }),
    );
  });
});

describe('meanConfidenceInterval', () => {
  const v = [3, 4, 4, 5, 2, 5, 4, 3, 5, 4];

  it('is mean ± t·sd/√n (SciPy reference)', () => {
    const [low, high] = meanConfidenceInterval(v)!;
    expect(low).toBeCloseTo(3.188628400280501, 12);
    expect(high).toBeCloseTo(4.611371599719499, 12);
    const [low99, high99] = meanConfidenceInterval(v, 0.99)!;
    expect(low99).toBeCloseTo(2.878037093944431, 12);
    expect(high99).toBeCloseTo(4.921962906055569, 12);
  });

  it('is null below two answers, zero-width for equal answers, and checks the level', () => {
    expect(meanConfidenceInterval([])).toBeNull();
    expect(meanConfidenceInterval([3])).toBeNull();
    expect(meanConfidenceInterval([3, 3, 3])).toEqual([3, 3]);
    expect(() => meanConfidenceInterval(v, 1)).toThrow(RangeError);
    expect(() => meanConfidenceInterval(v, 0)).toThrow(RangeError);
    expect(() => meanConfidenceInterval(v, 95)).toThrow(RangeError);
  });

  it('contains the mean, and a higher level gives a wider interval', () => {
    fc.assert(
      fc.property(
        likert.filter((a) => a.length >= 2),
        (answers) => {
          const m = mean(answers)!;
          const [l95, h95] = meanConfidenceInterval(answers)!;
          const [l80, h80] = meanConfidenceInterval(answers, 0.8)!;
          expect(l95).toBeLessThanOrEqual(m + 1e-12);
          expect(h95).toBeGreaterThanOrEqual(m - 1e-12);
          expect(h95 - l95).toBeGreaterThanOrEqual(h80 - l80 - 1e-12);
          expect(h95 - m).toBeCloseTo(m - l95, 10);
        },
      ),
    );
  });
});

describe('nps', () => {
  it('counts promoters (9–10), passives (7–8) and detractors (0–6)', () => {
    expect(nps([10, 9, 9, 8, 7, 6, 0, 10, 3, 9])).toEqual({
      n: 10,
      promoters: 5,
      passives: 2,
      detractors: 3,
      score: 20,
    });
    expect(nps([10, 10])).toMatchObject({ score: 100 });
    expect(nps([0, 6])).toMatchObject({ score: -100 });
    expect(nps([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null });
  });

  it('rejects anything but whole numbers from 0 to 10', () => {
    for (const bad of [-1, 11, 7.5, Number.NaN]) expect(() => nps([5, bad])).toThrow(RangeError);
  });

  it('stays within −100..100 and its groups add up', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 100 }), (scores) => {
        const r = nps(scores);
        expect(r.promoters + r.passives + r.detractors).toBe(r.n);
        expect(r.score!).toBeGreaterThanOrEqual(-100);
        expect(r.score!).toBeLessThanOrEqual(100);
        expect(r.score).toBeCloseTo(((r.promoters - r.detractors) / r.n) * 100, 10);
      }),
    );
  });
});

describe('pairedChange', () => {
  const pre = [2, 3, 3, 4, 2, 1, 3];
  const post = [4, 3, 5, 4, 3, 3, 4];
  const pairs = pre.map((p, i) => ({ pre: p, post: post[i]! }));

  it('matches a paired t analysis (SciPy reference)', () => {
    const r = pairedChange(pairs);
    expect(r.n).toBe(7);
    expect(r.meanChange).toBeCloseTo(1.1428571428571428, 14);
    expect(r.sdChange).toBeCloseTo(0.8997354108424372, 14);
    expect(r.ci95![0]).toBeCloseTo(0.3107406735283258, 12);
    expect(r.ci95![1]).toBeCloseTo(1.9749736121859598, 12);
    expect(r.effectSize).toBeCloseTo(1.2702146976599116, 12);
    // d_z · √n is the paired t statistic (SciPy's ttest_rel gives 3.360672201667223).
    expect(r.effectSize! * Math.sqrt(7)).toBeCloseTo(3.360672201667223, 12);
  });

  it('is graceful with no pairs, one pair and a change everyone shares', () => {
    expect(pairedChange([])).toEqual({ n: 0, meanChange: null, sdChange: null, ci95: null, effectSize: null });
    expect(pairedChange([{ pre: 2, post: 5 }])).toEqual({
      n: 1,
      meanChange: 3,
      sdChange: null,
      ci95: null,
      effectSize: null,
    });
    expect(
      pairedChange([
        { pre: 1, post: 2 },
        { pre: 3, post: 4 },
      ]),
    ).toEqual({ n: 2, meanChange: 1, sdChange: 0, ci95: [1, 1], effectSize: null });
    expect(() => pairedChange([{ pre: Number.NaN, post: 1 }])).toThrow(RangeError);
  });

  it('flips sign when pre and post swap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ pre: fc.integer({ min: 1, max: 5 }), post: fc.integer({ min: 1, max: 5 }) })),
        (ps) => {
          const a = pairedChange(ps);
          const b = pairedChange(ps.map(({ pre, post }) => ({ pre: post, post: pre })));
          expect(b.n).toBe(a.n);
          if (a.meanChange !== null) expect(b.meanChange! + a.meanChange).toBeCloseTo(0, 12);
          if (a.effectSize !== null) expect(b.effectSize! + a.effectSize).toBeCloseTo(0, 12);
          if (a.ci95 !== null) {
            expect(b.ci95![0]).toBeCloseTo(-a.ci95[1], 10);
            expect(b.ci95![1]).toBeCloseTo(-a.ci95[0], 10);
          }
        },
      ),
    );
  });
});

describe('distribution', () => {
  it('counts every category in order, zeros included, and keeps the rest apart', () => {
    const d = distribution([1, 2, 2, 5, 5, 5, 7], [1, 2, 3, 4, 5]);
    expect(d).toEqual({
      counts: [
        { category: 1, count: 1 },
        { category: 2, count: 2 },
        { category: 3, count: 0 },
        { category: 4, count: 0 },
        { category: 5, count: 3 },
      ],
      n: 6,
      other: 1,
    });
    expect(distribution(['yes', 'no', 'yes'], ['yes', 'no'] as const).counts.map((c) => c.count)).toEqual([2, 1]);
    expect(distribution([], ['a'])).toEqual({ counts: [{ category: 'a', count: 0 }], n: 0, other: 0 });
    expect(() => distribution([1], [1, 1])).toThrow(RangeError);
  });

  it('accounts for every value', () => {
    fc.assert(
      fc.property(likert, fc.uniqueArray(fc.integer({ min: 0, max: 6 })), (values, categories) => {
        const d = distribution(values, categories);
        expect(d.counts.reduce((a, c) => a + c.count, 0)).toBe(d.n);
        expect(d.n + d.other).toBe(values.length);
      }),
    );
  });
});

describe('figures from counts', () => {
  const histogram = (values: readonly number[]) => {
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    // Zero counts and an unsorted order must not matter.
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .concat([{ value: 3.5, count: 0 }])
      .reverse();
  };
  const close = (a: number | null, b: number | null) => {
    if (a === null || b === null) return expect(a).toBe(b);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  };

  it('summaryFromCounts gives what the functions over the answers give', () => {
    fc.assert(
      fc.property(fc.oneof(likert, fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 80 })), (answers) => {
        const s = summaryFromCounts(histogram(answers));
        expect(s.n).toBe(answers.length);
        close(s.mean, mean(answers));
        close(s.median, median(answers));
        close(s.sd, standardDeviation(answers));
        const ci = meanConfidenceInterval(answers);
        if (ci === null) expect(s.ci95).toBeNull();
        else {
          close(s.ci95![0], ci[0]);
          close(s.ci95![1], ci[1]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('summaryFromCounts: a hand-worked example, and bad input', () => {
    // 1, 2, 2, 5: mean 2.5, median 2, sd √3 = 1.732…, t(0.975, 3) = 3.182…
    const s = summaryFromCounts([
      { value: 5, count: 1 },
      { value: 1, count: 1 },
      { value: 2, count: 2 },
    ]);
    expect(s.mean).toBe(2.5);
    expect(s.median).toBe(2);
    expect(s.sd).toBeCloseTo(Math.sqrt(3), 12);
    expect(s.ci95![0]).toBeCloseTo(2.5 - 3.182446305 * (Math.sqrt(3) / 2), 6);
    expect(summaryFromCounts([{ value: 4, count: 7 }])).toMatchObject({ mean: 4, median: 4, sd: 0, ci95: [4, 4] });
    expect(summaryFromCounts([])).toEqual({ n: 0, mean: null, median: null, sd: null, ci95: null });
    expect(() => summaryFromCounts([{ value: 1, count: 1.5 }])).toThrow(RangeError);
    expect(() => summaryFromCounts([{ value: NaN, count: 1 }])).toThrow(RangeError);
  });

  it('pairedChangeFromMoments, from moments combined across groups, matches pairedChange', () => {
    const pairs = fc.array(
      fc.record({ pre: fc.integer({ min: 6, max: 30 }), post: fc.integer({ min: 6, max: 30 }) }).map((p) => ({
        pre: p.pre / 6,
        post: p.post / 6,
      })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(pairs, fc.integer({ min: 1, max: 4 }), (all, groups) => {
        // Split into groups, sum each up as SQL would, and put the groups back together.
        const parts = Array.from({ length: groups }, (_, g) => {
          const d = all.filter((_, i) => i % groups === g).map((p) => p.post - p.pre);
          const m = d.length ? d.reduce((a, b) => a + b, 0) / d.length : 0;
          return { n: d.length, mean: m, ss: d.reduce((a, x) => a + (x - m) ** 2, 0) };
        });
        const fromMoments = pairedChangeFromMoments(combineMoments(parts));
        const direct = pairedChange(all);
        expect(fromMoments.n).toBe(direct.n);
        close(fromMoments.meanChange, direct.meanChange);
        close(fromMoments.sdChange, direct.sdChange);
        if (direct.effectSize === null || fromMoments.effectSize === null) {
          // Both undefined, or a spread of rounding dust on one side only.
          expect(direct.sdChange === null || direct.sdChange < 1e-9).toBe(true);
        } else close(fromMoments.effectSize, direct.effectSize);
      }),
      { numRuns: 300 },
    );
    expect(pairedChangeFromMoments({ n: 12, mean: 0.5, ss: 0 }).effectSize).toBeNull();
    expect(pairedChangeFromMoments({ n: 0, mean: 0, ss: 0 }).meanChange).toBeNull();
  });
});
