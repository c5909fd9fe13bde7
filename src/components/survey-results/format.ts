/** Words and numbers for the survey results pages. Pure; shared by the list, the report and its parts. */
import type { Figure, Range } from '#functions/surveys/publish.ts';

export const AUDIENCE: Record<string, string> = {
  members: 'All members',
  mentors: 'Mentors',
  mentees: 'Mentees',
  'mentorship-pair': 'Both people in a mentorship',
  group: 'Members of a group',
};

/** Who a survey is for, naming the group of a group survey by its slug. */
export const audienceText = (s: { audience: string; group: string | null }) =>
  s.audience === 'group' && s.group ? `Members of the group “${s.group}”` : (AUDIENCE[s.audience] ?? s.audience);

export const TRIGGER: Record<string, string> = {
  manual: 'Open to the whole audience',
  'mentorship-day': 'During each mentorship',
  'after-session': 'After mentoring sessions',
  'mentorship-close': 'When a mentorship ends',
  'track-completed': 'After a training track',
};

export const IDENTITY: Record<string, { label: string; hint: string }> = {
  anonymous: { label: 'Anonymous', hint: 'Answers carry no name.' },
  pseudonymous: { label: 'Linked by code', hint: 'Before and after answers are linked by a code, never a name.' },
  identified: { label: 'Named', hint: 'Members were told their answers carry their name.' },
};

export const STATUS: Record<string, string> = { open: 'Open', closed: 'Closed', upcoming: 'Not open yet' };

export const QUESTION_TYPE: Record<string, string> = {
  likert5: 'Agreement, 1 to 5',
  nps: 'Likelihood to recommend, 0 to 10',
  single: 'One choice',
  multiple: 'Any number of choices',
  short: 'Short written answer',
  long: 'Written answer',
};

const whole = new Intl.NumberFormat('en');

/** A count as shown: grouped digits, or the marker. */
export const figureText = (f: Figure) => (typeof f === 'number' ? whole.format(f) : f);

/** What a chart draws: the number, or null for a hidden figure (it prints "<5"). */
export const chartValue = (f: Figure) => (typeof f === 'number' ? f : null);

export const percentText = (p: number | null) => (p === null ? '' : `${Math.round(p)}%`);

/** A count with its share: "12 (40%)". */
export const countWithShare = (f: Figure, p: number | null) =>
  p === null ? figureText(f) : `${figureText(f)} (${percentText(p)})`;

export function fixed(v: number, decimals = 1) {
  return new Intl.NumberFormat('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
}

/** A range as text: one figure when both ends read alike, else "4.1 to 4.3". */
export function rangeText(r: Range, decimals = 1, signed = false) {
  const f = (v: number) => (signed && v > 0 ? '+' : '') + fixed(v, decimals).replace('-', '−');
  return f(r.low) === f(r.high) ? f(r.low) : `${f(r.low)} to ${f(r.high)}`;
}

export const pair = (r: Range) => [r.low, r.high] as const;

/** "Joined Sep 2026" and friends come from the API; dates here are days. */
export function dayText(iso: string) {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** How large a paired change is, in Cohen's words. */
export function effectWords(d: number | null) {
  if (d === null) return 'not available';
  const size = Math.abs(d);
  const words = size < 0.2 ? 'negligible' : size < 0.5 ? 'small' : size < 0.8 ? 'medium' : 'large';
  return `${fixed(d, 2).replace('-', '−')} (${words})`;
}

/** An interval as text: "3.9 to 4.4". */
export const intervalText = (r: Range, decimals = 1) =>
  `${fixed(r.low, decimals).replace('-', '−')} to ${fixed(r.high, decimals).replace('-', '−')}`;

const upToOne = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** A median (a whole or a half) or its range: "4", "3.5 to 4". */
export function medianText(r: Range) {
  const a = upToOne.format(r.low);
  const b = upToOne.format(r.high);
  return a === b ? a : `${a} to ${b}`;
}
