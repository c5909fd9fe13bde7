/**
 * Descriptive statistics for survey answers: means, medians, spreads, confidence intervals, the
 * Net Promoter Score, before/after change and answer distributions. Pure functions over plain
 * numbers; no I/O and no `node:` modules (they run in Workers).
 *
 * Conventions:
 *   - Inputs are finite numbers; NaN or ±Infinity throws a RangeError rather than poisoning a mean.
 *     Leave unanswered questions out before calling.
 *   - What a sample is too small to define is `null`, never NaN: the mean of no answers, the
 *     standard deviation or a confidence interval of fewer than two.
 *   - Nothing is rounded here; rounding is for display.
 *   - None of this applies small-cell suppression: pass the counts through `suppression.ts` before
 *     anything is shown.
 */

/** A closed interval, low ≤ high. */
export type Interval = [low: number, high: number];

function assertFinite(values: readonly number[], what = 'values'): void {
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what} must be finite numbers, got ${v}`);
  }
}

/** Neumaier's compensated sum: exact enough that the mean of many equal values is that value. */
function sum(values: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** The arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  assertFinite(values);
  if (values.length === 0) return null;
  const m = sum(values) / values.length;
  // Clamp into [min, max]: rounding must never put the mean outside the data.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Math.min(hi, Math.max(lo, m));
}

/** The median (the mean of the two middle values for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  assertFinite(values);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]! + (sorted[mid]! - sorted[mid - 1]!) / 2;
}

/**
 * The sample standard deviation (n − 1 in the denominator); null for fewer than two values.
 * Exactly 0 when all values are equal.
 */
export function standardDeviation(values: readonly number[]): number | null {
  assertFinite(values);
  const n = values.length;
  if (n < 2) return null;
  if (values.every((v) => v === values[0])) return 0;
  const m = sum(values) / n;
  // Two passes (deviations from the mean) with the compensating term: stable for large offsets.
  const deviations = values.map((v) => v - m);
  const d = sum(deviations);
  const ss = sum(deviations.map((x) => x * x)) - (d * d) / n;
  return Math.sqrt(Math.max(0, ss) / (n - 1));
}

// ---------------------------------------------------------------------------------------------
// Distributions: the standard normal and Student's t quantiles.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0]!;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`a and b must be positive, got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** A polynomial by Horner's rule; coefficients from the highest power down. */
const polynomial = (coefficients: readonly number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

// Wichura's AS 241 (PPND16) coefficients, highest power first: numerator and denominator for the
// central region |p − ½| ≤ 0.425, then for the tails with r = √(−ln(tail)) ≤ 5 and beyond.
const AS241 = {
  central: [
    [
      2509.0809287301227, 33430.57558358813, 67265.7709270087, 45921.95393154987, 13731.69376550946, 1971.5909503065513,
      133.14166789178438, 3.3871328727963665,
    ],
    [
      5226.495278852546, 28729.085735721943, 39307.89580009271, 21213.794301586597, 5394.196021424751,
      687.1870074920579, 42.31333070160091, 1,
    ],
  ],
  near: [
    [
      7.745450142783414e-4, 0.022723844989269184, 0.2417807251774506, 1.2704582524523684, 3.6478483247632045,
      5.769497221460691, 4.630337846156546, 1.4234371107496835,
    ],
    [
      1.0507500716444169e-9, 5.475938084995345e-4, 0.015198666563616457, 0.14810397642748008, 0.6897673349851,
      1.6763848301838038, 2.053191626637759, 1,
    ],
  ],
  far: [
    [
      2.0103343992922881e-7, 2.7115555687434876e-5, 0.0012426609473880784, 0.026532189526576124, 0.29656057182850487,
      1.7848265399172913, 5.463784911164114, 6.657904643501103,
    ],
    [
      2.0442631033899397e-15, 1.421511758316446e-7, 1.8463183175100548e-5, 7.868691311456133e-4, 0.014875361290850615,
      0.1369298809227358, 0.599832206555888, 1,
    ],
  ],
} as const;

/**
 * The standard normal quantile Φ⁻¹(p) (Wichura's AS 241, PPND16: relative error about 1e-16).
 * ±Infinity at p = 0 or 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const [num, den] = AS241.central;
    return (q * polynomial(num, r)) / polynomial(den, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const [num, den] = r <= 5 ? AS241.near : AS241.far;
  const x = r <= 5 ? r - 1.6 : r - 5;
  const value = polynomial(num, x) / polynomial(den, x);
  return q < 0 ? -value : value;
}

/** Above this many degrees of freedom the t quantile comes from its expansion around the normal. */
const LARGE_DF = 2000;

/**
 * P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole;
 * Infinity is the standard normal).
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  if (Number.isNaN(t)) throw new RangeError('t must be a number');
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df === Infinity) return 0.5 * erfc(-t / Math.SQRT2);
  // The lower tail is ½·I_{ν/(ν+t²)}(ν/2, ½); ν/(ν+t²) is computed as 1/(1+t²/ν) to keep its precision.
  const tail = 0.5 * regularizedIncompleteBeta(1 / (1 + (t * t) / df), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The complementary error function: the Maclaurin series of erf below ½, a continued fraction above. */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) return 1 - erfSeries(x);
  // Lentz continued fraction for erfc(x) = exp(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 10_000; n++) {
    const an = n / 2;
    d = x + an * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

function erfSeries(x: number): number {
  // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
  let term = x;
  let total = x;
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    total += add;
    if (Math.abs(add) < 1e-17 * Math.abs(total)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * total;
}

/** The Cornish–Fisher expansion of the t quantile in powers of 1/ν (Abramowitz & Stegun 26.7.5). */
function tQuantileExpansion(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * Student's t quantile: the t with P(T ≤ t) = p for `df` degrees of freedom (df > 0, not
 * necessarily whole; Infinity gives the standard normal quantile). Accurate to about 1e-12
 * relative: exact closed forms for df 1 and 2, the normal expansion above 2,000 degrees of
 * freedom, and otherwise a safeguarded Newton iteration on the CDF (the regularized incomplete
 * beta function).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  // Work in the upper half: t(p) = −t(1 − p). `tail` is the smaller tail probability.
  const sign = p < 0.5 ? -1 : 1;
  const tail = p < 0.5 ? p : 1 - p;
  if (df === 1) return sign / Math.tan(Math.PI * tail);
  if (df === 2) return (sign * (1 - 2 * tail)) / Math.sqrt(2 * tail * (1 - tail));
  // The normal quantile of the tail itself, not of 1 − tail, which would round a tiny tail away.
  const z = -normalQuantile(tail);
  if (df > LARGE_DF) return sign * tQuantileExpansion(z, df);

  // Solve upperTail(t) = tail for t > 0, where upperTail(t) = ½·I_{ν/(ν+t²)}(ν/2, ½) falls from ½ to 0.
  const upperTail = (t: number) => 0.5 * regularizedIncompleteBeta(1 / (1 + (t * t) / df), df / 2, 0.5);
  const logDensityConstant = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number) => Math.exp(logDensityConstant - ((df + 1) / 2) * Math.log1p((t * t) / df));

  let lo = 0;
  let hi = Math.max(1, tQuantileExpansion(z, df));
  while (upperTail(hi) > tail) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return sign * Infinity;
  }
  let t = Math.min(Math.max(tQuantileExpansion(z, df), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t) - tail; // decreasing in t
    if (f === 0) break;
    if (f > 0) lo = t;
    else hi = t;
    // Newton step on the tail (its derivative is −density), kept inside the bracket.
    let next = t + f / density(t);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t)) || hi - lo <= 1e-15 * hi) {
      t = next;
      break;
    }
    t = next;
  }
  return sign * t;
}

// ---------------------------------------------------------------------------------------------
// Survey summaries.

/**
 * The confidence interval for the mean, from Student's t with n − 1 degrees of freedom:
 * mean ± t · sd / √n. Null for fewer than two values (no spread to go on). `level` is in (0, 1).
 * All-equal values give a zero-width interval.
 */
export function meanConfidenceInterval(values: readonly number[], level = 0.95): Interval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
  const m = mean(values);
  const sd = standardDeviation(values);
  if (m === null || sd === null) return null;
  const n = values.length;
  const margin = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return [m - margin, m + margin];
}

export interface NetPromoterScore {
  /** Answers counted (every score 0–10). */
  n: number;
  /** Scores of 9 and 10. */
  promoters: number;
  /** Scores of 7 and 8. */
  passives: number;
  /** Scores of 0 to 6. */
  detractors: number;
  /** % promoters − % detractors, −100..100, unrounded; null with no answers. */
  score: number | null;
}

/**
 * The Net Promoter Score of "how likely are you to recommend…" answers on the 0–10 scale. Every
 * score must be a whole number from 0 to 10 (RangeError otherwise).
 */
export function nps(scores0to10: readonly number[]): NetPromoterScore {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const s of scores0to10) {
    if (!Number.isInteger(s) || s < 0 || s > 10)
      throw new RangeError(`NPS scores must be whole numbers 0–10, got ${s}`);
    if (s >= 9) promoters++;
    else if (s >= 7) passives++;
    else detractors++;
  }
  const n = scores0to10.length;
  return { n, promoters, passives, detractors, score: n === 0 ? null : ((promoters - detractors) * 100) / n };
}

export interface PairedChange {
  /** Pairs counted. */
  n: number;
  /** Mean of post − pre; null with no pairs. */
  meanChange: number | null;
  /** Sample standard deviation of post − pre; null with fewer than two pairs. */
  sdChange: number | null;
  /** 95% confidence interval of the mean change (t with n − 1 df); null with fewer than two pairs. */
  ci95: Interval | null;
  /**
   * Cohen's d_z: mean change ÷ sd of the changes. Null with fewer than two pairs, and when every
   * change is the same (sd 0: the ratio is undefined, however consistent the change).
   */
  effectSize: number | null;
}

/** Before/after change for the same people: each pair is one person's pre and post answer. */
export function pairedChange(pairs: readonly { pre: number; post: number }[]): PairedChange {
  const diffs = pairs.map(({ pre, post }) => {
    if (!Number.isFinite(pre) || !Number.isFinite(post)) throw new RangeError('pre and post must be finite numbers');
    return post - pre;
  });
  const meanChange = mean(diffs);
  const sdChange = standardDeviation(diffs);
  return {
    n: diffs.length,
    meanChange,
    sdChange,
    ci95: meanConfidenceInterval(diffs, 0.95),
    effectSize: meanChange !== null && sdChange !== null && sdChange > 0 ? meanChange / sdChange : null,
  };
}

export interface Distribution<T> {
  /** One entry per category, in the categories' order (zero counts included). */
  counts: { category: T; count: number }[];
  /** Values counted in some category. */
  n: number;
  /** Values in none of the categories (an option since removed, a typo): counted, never dropped silently. */
  other: number;
}

/**
 * How many values fall in each category (compared with SameValueZero, as a Map does). Categories
 * must be distinct.
 */
export function distribution<T>(values: readonly T[], categories: readonly T[]): Distribution<T> {
  const index = new Map<T, number>();
  categories.forEach((c, i) => {
    if (index.has(c)) throw new RangeError(`duplicate category ${String(c)}`);
    index.set(c, i);
  });
  const counts = categories.map((category) => ({ category, count: 0 }));
  let other = 0;
  for (const v of values) {
    const i = index.get(v);
    if (i === undefined) other++;
    else counts[i]!.count++;
  }
  return { counts, n: values.length - other, other };
}

// ---------------------------------------------------------------------------------------------
// From counts: the database hands over how many answers took each value, not the answers.

export interface CountSummary {
  /** Answers counted. */
  n: number;
  mean: number | null;
  median: number | null;
  /** Sample standard deviation; null for fewer than two answers. */
  sd: number | null;
  /** The t-based 95% confidence interval of the mean; null for fewer than two answers. */
  ci95: Interval | null;
}

/**
 * The mean, median, standard deviation and confidence interval of answers given as counts per
 * value (a histogram), the same figures `mean`, `median`, `standardDeviation` and
 * `meanConfidenceInterval` give for the answers written out. Counts are whole numbers ≥ 0.
 */
export function summaryFromCounts(counts: readonly { value: number; count: number }[], level = 0.95): CountSummary {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
  assertFinite(
    counts.map((c) => c.value),
    'values',
  );
  for (const { count } of counts)
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`counts must be whole numbers ≥ 0, got ${count}`);
  const used = counts.filter((c) => c.count > 0).sort((a, b) => a.value - b.value);
  const n = used.reduce((a, c) => a + c.count, 0);
  if (n === 0) return { n, mean: null, median: null, sd: null, ci95: null };
  const lo = used[0]!.value;
  const hi = used[used.length - 1]!.value;
  const m = Math.min(hi, Math.max(lo, sum(used.map((c) => c.value * c.count)) / n));
  // The k-th smallest answer (0-based), walking the sorted counts.
  const nth = (k: number) => {
    let seen = 0;
    for (const c of used) {
      seen += c.count;
      if (k < seen) return c.value;
    }
    return hi;
  };
  const mid = n >> 1;
  const med = n % 2 === 1 ? nth(mid) : nth(mid - 1) + (nth(mid) - nth(mid - 1)) / 2;
  if (n < 2) return { n, mean: m, median: med, sd: null, ci95: null };
  const sd = lo === hi ? 0 : Math.sqrt(sum(used.map((c) => c.count * (c.value - m) ** 2)) / (n - 1));
  const margin = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, median: med, sd, ci95: [m - margin, m + margin] };
}

/** A group of numbers summed up: how many, their mean, and the sum of squared deviations from it. */
export interface Moments {
  n: number;
  mean: number;
  /** Σ (x − mean)². */
  ss: number;
}

/** The moments of several groups together (Chan et al.'s pairwise update), without the numbers. */
export function combineMoments(parts: readonly Moments[]): Moments {
  let n = 0;
  let meanAll = 0;
  let ss = 0;
  for (const p of parts) {
    if (p.n === 0) continue;
    const total = n + p.n;
    const delta = p.mean - meanAll;
    meanAll += (delta * p.n) / total;
    ss += p.ss + (delta * delta * n * p.n) / total;
    n = total;
  }
  return { n, mean: meanAll, ss };
}

/** `pairedChange` from the moments of the changes (post − pre), as SQL can sum them up. */
export function pairedChangeFromMoments({ n, mean: m, ss }: Moments): PairedChange {
  if (n === 0) return { n, meanChange: null, sdChange: null, ci95: null, effectSize: null };
  if (n < 2) return { n, meanChange: m, sdChange: null, ci95: null, effectSize: null };
  // Rounding leaves dust where every change was the same; below this it is zero spread.
  const sd = ss <= 1e-18 * n * Math.max(1, m * m) ? 0 : Math.sqrt(ss / (n - 1));
  const margin = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, meanChange: m, sdChange: sd, ci95: [m - margin, m + margin], effectSize: sd > 0 ? m / sd : null };
}
