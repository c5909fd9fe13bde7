/** The match score's factors as rows people can read: a label, the explanation and the points. */
import type { MatchFactors } from '#functions/mentoring/matching.ts';
import { topicLabel } from './format.ts';

export interface FactorRow {
  key: keyof MatchFactors;
  term: string;
  detail: string;
  /** Null for the language, which is required rather than scored. */
  points: number | null;
}

const TERMS: Record<keyof MatchFactors, string> = {
  topics: 'Topics',
  language: 'Language',
  availability: 'Time together',
  load: 'Free places',
  newPair: 'New pairing',
};

// The topics detail names topics by their keys ("2 of 3 topics: study-skills, goals"): show labels.
function topicsDetail(detail: string) {
  const colon = detail.indexOf(': ');
  if (colon < 0) return detail;
  const names = detail
    .slice(colon + 2)
    .split(', ')
    .map((key) => topicLabel(key));
  return `${detail.slice(0, colon)}: ${names.join(', ')}`;
}

/** Every factor present, in a fixed order. Stored proposals keep factors as plain JSON, so each is checked. */
export function factorRows(factors: MatchFactors | Record<string, unknown>): FactorRow[] {
  const f = factors as Partial<Record<keyof MatchFactors, { detail?: unknown; points?: unknown }>>;
  return (Object.keys(TERMS) as (keyof MatchFactors)[]).flatMap((key) => {
    const factor = f[key];
    if (!factor || typeof factor.detail !== 'string') return [];
    return [
      {
        key,
        term: TERMS[key],
        detail: key === 'topics' ? topicsDetail(factor.detail) : factor.detail,
        points: key === 'language' || typeof factor.points !== 'number' ? null : factor.points,
      },
    ];
  });
}

/** The scored factor that adds the most points, for a one-line "why". */
export function topFactor(factors: MatchFactors | Record<string, unknown>): FactorRow | null {
  return (
    factorRows(factors)
      .filter((r) => r.points !== null)
      .sort((a, b) => b.points! - a.points!)[0] ?? null
  );
}
