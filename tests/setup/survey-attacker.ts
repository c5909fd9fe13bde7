/**
 * An attacker for published survey results, written apart from the suppression code. It knows the
 * finest counts that exist (say: how many mentors who joined in September answered 2 to a
 * question) only as unknowns, and every published figure as an equation over them ("these
 * unknowns add up to 37"; a mean: "1·a + 2·b + … = n · mean"), together with what it knows from
 * the survey itself (a required question is answered by every respondent). It then tries to work
 * out each hidden figure, two ways:
 *
 *   - linear algebra: a hidden figure is determined when its equation is a combination of the
 *     published ones (its row reduces to nothing against them; ranks taken modulo two primes);
 *   - bounds: no count is below 0, so the equations bound each unknown, the bounds travel, and a
 *     hidden figure whose least and greatest possible values meet is pinned.
 */

/** A linear combination of unknowns, by name, with its true value. */
export interface Equation {
  name: string;
  terms: Map<string, number>;
  value: number;
}

const PRIMES = [1_000_003, 999_983];

/** Row-reduces `rows` modulo p; returns a function reducing a vector against them. */
function reducer(rows: number[][], p: number) {
  const basis: { pivot: number; row: number[] }[] = [];
  const mod = (x: number) => ((x % p) + p) % p;
  const inverse = (a: number) => {
    // Fermat: a^(p−2) mod p, with products kept below 2^53.
    let result = 1;
    let base = mod(a);
    let e = p - 2;
    while (e > 0) {
      if (e & 1) result = (result * base) % p;
      base = (base * base) % p;
      e >>= 1;
    }
    return result;
  };
  const reduce = (input: number[]) => {
    const v = input.map(mod);
    for (const { pivot, row } of basis) {
      const f = v[pivot]!;
      if (f === 0) continue;
      for (let k = 0; k < v.length; k++) if (row[k]) v[k] = mod(v[k]! - f * row[k]!);
    }
    return v;
  };
  for (const r of rows) {
    const v = reduce(r);
    const pivot = v.findIndex((x) => x !== 0);
    if (pivot < 0) continue;
    const inv = inverse(v[pivot]!);
    basis.push({ pivot, row: v.map((x) => (x * inv) % p) });
  }
  return (v: number[]) => reduce(v).every((x) => x === 0);
}

export function attack(published: readonly Equation[], hidden: readonly Equation[]) {
  const names = new Map<string, number>();
  for (const eq of [...published, ...hidden])
    for (const k of eq.terms.keys()) if (!names.has(k)) names.set(k, names.size);
  const vector = (eq: Equation) => {
    const v = new Array<number>(names.size).fill(0);
    for (const [k, c] of eq.terms) v[names.get(k)!]! += c;
    return v;
  };
  const rows = published.map(vector);
  const inSpan = PRIMES.map((p) => reducer(rows, p));
  const determined = hidden.filter((eq) => inSpan.every((f) => f(vector(eq)))).map((eq) => eq.name);

  // Bounds on each unknown, from 0 and infinity, tightened along the published equations.
  const lo = new Array<number>(names.size).fill(0);
  const hi = new Array<number>(names.size).fill(Infinity);
  const lines = published.map((eq) => ({
    terms: [...eq.terms].map(([k, c]) => [names.get(k)!, c] as const),
    value: eq.value,
  }));
  for (let round = 0; round < 2000; round++) {
    let moved = false;
    for (const { terms, value } of lines) {
      for (const [i, c] of terms) {
        if (c === 0) continue;
        let least = value;
        let most = value;
        for (const [j, cj] of terms) {
          if (j === i) continue;
          const ends = [cj * lo[j]!, cj === 0 ? 0 : cj * hi[j]!];
          least -= Math.max(...ends);
          most -= Math.min(...ends);
        }
        const [from, to] = c > 0 ? [least / c, most / c] : [most / c, least / c];
        // Counts are whole: round inward, with room for floating-point dust in means.
        const a = Math.ceil(from - 1e-7);
        const b = Math.floor(to + 1e-7);
        if (a > lo[i]!) {
          lo[i] = a;
          moved = true;
        }
        if (b < hi[i]!) {
          hi[i] = b;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  const pinned = hidden
    .filter((eq) => {
      let least = 0;
      let most = 0;
      for (const [k, c] of eq.terms) {
        const i = names.get(k)!;
        least += Math.min(c * lo[i]!, c === 0 ? 0 : c * hi[i]!);
        most += Math.max(c * lo[i]!, c === 0 ? 0 : c * hi[i]!);
      }
      return least === most;
    })
    .map((eq) => eq.name);
  return { determined, pinned };
}
