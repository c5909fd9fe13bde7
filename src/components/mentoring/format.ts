/**
 * Small, pure helpers the mentoring pages share: labels for topics and languages, availability
 * windows as the text people type, times in a given time zone, and what a failed form post brought
 * back. English only, like the mentoring pages.
 */
import type { AvailabilityWindow } from '#db/schema/index.ts';
import { ApiError } from '#functions/errors.ts';
import type { Flash } from '#functions/lib/forms.ts';
import { TOPICS } from '#src/lib/content/schema.ts';
import { translator, type UiKey } from '#src/i18n/index.ts';

const t = translator('en');

export const TOPIC_OPTIONS = TOPICS.map((value) => ({ value, label: t(`topic.${value}` as UiKey) }));
const TOPIC_LABEL = new Map<string, string>(TOPIC_OPTIONS.map((o) => [o.value, o.label]));
export const topicLabel = (topic: string) => TOPIC_LABEL.get(topic) ?? topic;
export const topicList = (topics: readonly string[]) => topics.map(topicLabel).join(', ');

export const LANGUAGE_OPTIONS = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Spanish' },
  { value: 'fr', label: 'French' },
  { value: 'pt', label: 'Portuguese' },
  { value: 'de', label: 'German' },
  { value: 'ar', label: 'Arabic' },
  { value: 'zh', label: 'Chinese' },
  { value: 'hi', label: 'Hindi' },
] as const;
const LANGUAGE_LABEL = new Map<string, string>(LANGUAGE_OPTIONS.map((o) => [o.value, o.label]));
export const languageLabel = (code: string) => LANGUAGE_LABEL.get(code) ?? code;
export const languageList = (codes: readonly string[]) => codes.map(languageLabel).join(', ');

export const FORMAT_LABEL = { chat: 'Written chat', video: 'Video calls', either: 'Either is fine' } as const;
export const formatLabel = (format: string) => FORMAT_LABEL[format as keyof typeof FORMAT_LABEL] ?? format;

/** Day 0 is Monday, as the availability windows store it. */
export const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Windows as people type them: "Mon 18:00-20:00, Wed 19:00-21:00" (the API parses this back). */
export function availabilityText(windows: readonly AvailabilityWindow[]): string {
  return [...windows]
    .sort((a, b) => a.day - b.day || a.start.localeCompare(b.start))
    .map((w) => `${DAY_SHORT[w.day] ?? '?'} ${w.start}-${w.end}`)
    .join(', ');
}

/** The same, for reading: en dashes, and a word when there is nothing. */
export function availabilitySummary(windows: readonly AvailabilityWindow[]): string {
  return windows.length ? availabilityText(windows).replace(/-/g, '–') : 'No times given';
}

export const AVAILABILITY_HINT =
  'Weekly times in your time zone, separated by commas, e.g. "Mon 18:00-20:00, Wed 19:00-21:00".';

const WINDOW = String.raw`(?:[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un)[a-zA-Z]*\s+\d{1,2}:\d{2}\s*(?:-|–)\s*\d{1,2}:\d{2}`;
/**
 * An HTML `pattern` (compiled with the `v` flag, so no bare `-` in classes) that catches most
 * mistakes in the browser before the form is sent; the API checks the times properly.
 */
export const AVAILABILITY_PATTERN = String.raw`\s*${WINDOW}(?:\s*[,;]\s*${WINDOW})*\s*[,;]?\s*`;

/** Every IANA time zone this runtime knows, grouped by region for a `<select>`. */
export function timeZoneGroups(include?: string): { region: string; zones: string[] }[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['Europe/London'];
  }
  const all = new Set(zones);
  all.add('UTC');
  if (include) all.add(include);
  const groups = new Map<string, string[]>();
  for (const zone of [...all].sort()) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Other';
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  return [...groups].map(([region, list]) => ({ region, zones: list }));
}

export const isTimeZone = (zone: unknown): zone is string => {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
};

/**
 * The member's likely time zone: one they gave us before, else the one Cloudflare reports for the
 * request, else Europe/London.
 */
export function likelyTimeZone(request: Request, ...known: (string | null | undefined)[]): string {
  for (const zone of known) if (isTimeZone(zone)) return zone;
  const cf = (request as Request & { cf?: { timezone?: unknown } }).cf;
  return isTimeZone(cf?.timezone) ? cf.timezone : 'Europe/London';
}

/** "Tuesday 25 November 2026, 17:00" in the given zone. */
export function dateTimeIn(date: Date | string, timeZone: string, dateStyle: 'full' | 'medium' = 'full'): string {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  return new Intl.DateTimeFormat('en-GB', { dateStyle, timeStyle: 'short', timeZone: zone }).format(new Date(date));
}

/** "25 Nov 2026" in UTC, like the rest of the site. */
export function day(date: Date | string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(date));
}

/** The zone's offset now, as "GMT+1". */
export function offsetLabel(timeZone: string, at = new Date()): string {
  if (!isTimeZone(timeZone)) return 'GMT';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
}

/** "2026-11-25T17:00", for a `datetime-local` input read as UTC by the API. */
export const utcInputValue = (date: Date | string) => new Date(date).toISOString().slice(0, 16);

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Whole days from `now` until `date` (negative when past). */
export const daysUntil = (date: Date | string, now: Date) =>
  Math.round((new Date(date).getTime() - now.getTime()) / 86_400_000);

/**
 * What a failed post brought back for a list field (checkboxes). The flash keeps one value per
 * name, so a list may come back shorter than it was sent; fall back to `initial` when absent.
 */
export function flashList(flash: Flash | null, name: string, initial: readonly string[] = []): string[] {
  const raw = flash?.values?.[name];
  if (raw === undefined) return [...initial];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A single refilled value from a failed post, or `initial`. */
export const flashValue = (flash: Flash | null, name: string, initial?: string) => flash?.values?.[name] ?? initial;

/** True when the thrown value is the API's 404. */
export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;
