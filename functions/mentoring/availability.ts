/**
 * Weekly availability, kept in each person's own time zone, and the arithmetic to compare two
 * people who live in different ones. Pure: no database, no `node:` modules (it runs in Workers).
 *
 * A person says when they are free as windows on a local week ("Tuesday 18:00–20:00" in
 * "America/Bogota"). To compare two people, both are moved onto one UTC week: minutes from
 * Monday 00:00 UTC, in [0, 10080). A window pushed past either end of that week wraps around to
 * the other end, because the week repeats: Sunday 20:00–23:00 in Bogotá is Monday 01:00–04:00
 * UTC, at the start; Monday 09:00–11:00 in Adelaide starts on Sunday UTC and is split in two.
 *
 * Daylight saving time: one UTC offset per person, the one in force at the `reference` instant
 * (found with `Intl.DateTimeFormat` and the zone's `timeZone`), is applied to the whole week. So
 * the answer is right for the week around `reference` — callers pass "now" — and a match made in
 * July is judged on July's offsets, one made in January on January's. A DST change inside that
 * very week (late March, late October…) shifts windows after the change by an hour for that one
 * week; we accept this because availability is a recurring pattern, not a calendar, and one
 * offset per person keeps the result explainable ("Madrid is UTC+2 now").
 */

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A weekly window in the person's own time zone: day 0 is Monday; "HH:MM", end after start, "24:00" allowed. */
export interface AvailabilityWindow {
  day: Weekday;
  start: string;
  end: string;
}

/** Half-open interval [start, end) in minutes from Monday 00:00 UTC. */
export interface UtcInterval {
  start: number;
  end: number;
}

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** Four windows a day is already a fragmented week; more is likely a mistake or abuse. */
export const MAX_WINDOWS = 28;

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** "HH:MM" to minutes after local midnight ("24:00" is 1440), or null when it is not such a time. */
export function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = TIME.exec(value);
  if (!match) return null;
  if (match[1] === undefined) return MINUTES_PER_DAY;
  return Number(match[1]) * 60 + Number(match[2]);
}

function isWeekday(day: unknown): day is Weekday {
  return typeof day === 'number' && Number.isInteger(day) && day >= 0 && day <= 6;
}

const MAX_MESSAGES = 20;

/**
 * Everything wrong with a list of windows, as sentences for the person who typed them (empty when
 * all is well). For a zod `superRefine`: add one issue per message. Windows that touch
 * (09:00–10:00 and 10:00–11:00) are fine; windows that overlap on the same day are not.
 */
export function validateWindows(windows: readonly AvailabilityWindow[]): string[] {
  const problems: string[] = [];
  if (windows.length > MAX_WINDOWS) {
    problems.push(`At most ${MAX_WINDOWS} windows a week, please; there are ${windows.length}.`);
  }
  const valid: { day: Weekday; start: number; end: number; label: string }[] = [];
  windows.forEach((w, i) => {
    const n = i + 1;
    if (!isWeekday(w.day)) {
      problems.push(`Window ${n}: the day must be 0 (Monday) to 6 (Sunday).`);
      return;
    }
    const dayName = WEEKDAY_NAMES[w.day];
    const start = parseTime(w.start);
    const end = parseTime(w.end);
    if (start === null) problems.push(`Window ${n} (${dayName}): start "${String(w.start)}" is not a time like 09:30.`);
    if (end === null) problems.push(`Window ${n} (${dayName}): end "${String(w.end)}" is not a time like 17:00.`);
    if (start === null || end === null) return;
    const label = `${dayName} ${w.start}–${w.end}`;
    if (end <= start) {
      problems.push(`Window ${n} (${label}): the end must be after the start.`);
      return;
    }
    valid.push({ day: w.day, start, end, label });
  });
  // Sweep each day in start order against the window that reaches furthest so far: O(n log n),
  // one message per window that overlaps an earlier one.
  valid.sort((a, b) => a.day - b.day || a.start - b.start || a.end - b.end);
  let reach: (typeof valid)[number] | undefined;
  for (const w of valid) {
    if (reach && reach.day === w.day && w.start < reach.end) {
      problems.push(`${w.label} overlaps ${reach.label}.`);
      if (w.end > reach.end) reach = w;
    } else {
      reach = w;
    }
  }
  if (problems.length > MAX_MESSAGES) {
    const rest = problems.length - MAX_MESSAGES + 1;
    return [...problems.slice(0, MAX_MESSAGES - 1), `…and ${rest} more problems.`];
  }
  return problems;
}

// Building a DateTimeFormat is far slower than using one, and a ranking asks for the same few
// zones thousands of times, so both the formatters and the offsets are cached per isolate.
const MAX_CACHED = 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows (for zod refinement). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Minutes to add to UTC to get local time in `timeZone` at the instant `at` (Madrid in July: 120;
 * Bogotá: −300; Kolkata: 330; Kathmandu: 345). Throws a RangeError for an unknown zone.
 */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('The reference date is not a valid date.');
  const wholeSeconds = Math.floor(ms / 1000) * 1000;
  const key = `${timeZone}@${wholeSeconds}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const localAsUtc = Date.UTC(
    fields.year!,
    fields.month! - 1,
    fields.day!,
    fields.hour! % 24,
    fields.minute!,
    fields.second!,
  );
  const offset = Math.round((localAsUtc - wholeSeconds) / 60_000);
  if (offsets.size >= MAX_CACHED) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** Sorts intervals and merges those that overlap or touch. Returns a new array. */
export function mergeIntervals(intervals: readonly UtcInterval[]): UtcInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: UtcInterval[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    if (last && start <= last.end) {
      if (end > last.end) last.end = end;
    } else {
      merged.push({ start, end });
    }
  }
  return merged;
}

/**
 * Local weekly windows to sorted, merged UTC-week intervals, using the offset in force at
 * `reference` (see the note on DST at the top of this file). A window pushed past either end of
 * the week is split and wrapped. Throws a RangeError for an unknown zone or an invalid window:
 * validate with `validateWindows` and `isValidTimeZone` when the data is written.
 */
export function toUtcIntervals(
  windows: readonly AvailabilityWindow[],
  timezone: string,
  reference: Date,
): UtcInterval[] {
  return windowsToUtc(windows, utcOffsetMinutes(timezone, reference));
}

/** As `toUtcIntervals`, with the offset (minutes east of UTC) already known. */
export function windowsToUtc(windows: readonly AvailabilityWindow[], offsetMinutes: number): UtcInterval[] {
  const pieces: UtcInterval[] = [];
  for (const w of windows) {
    const start = parseTime(w.start);
    const end = parseTime(w.end);
    if (!isWeekday(w.day) || start === null || end === null || end <= start) {
      throw new RangeError(`Invalid availability window ${JSON.stringify(w)}; check it with validateWindows.`);
    }
    const length = end - start;
    const utcStart =
      (((w.day * MINUTES_PER_DAY + start - offsetMinutes) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    const utcEnd = utcStart + length;
    if (utcEnd <= MINUTES_PER_WEEK) {
      pieces.push({ start: utcStart, end: utcEnd });
    } else {
      pieces.push({ start: utcStart, end: MINUTES_PER_WEEK }, { start: 0, end: utcEnd - MINUTES_PER_WEEK });
    }
  }
  return mergeIntervals(pieces);
}

/** Minutes shared by two sorted, merged interval lists: one linear pass, no allocation. */
export function overlapMinutes(a: readonly UtcInterval[], b: readonly UtcInterval[]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = x.start > y.start ? x.start : y.start;
    const end = x.end < y.end ? x.end : y.end;
    if (end > start) total += end - start;
    if (x.end < y.end) i++;
    else j++;
  }
  return total;
}

/** The intersection of two sorted, merged interval lists, itself sorted and merged. */
export function intersectIntervals(a: readonly UtcInterval[], b: readonly UtcInterval[]): UtcInterval[] {
  const out: UtcInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** Minutes to hours, rounded to the nearest quarter hour. */
export function minutesToQuarterHours(minutes: number): number {
  return Math.round(minutes / 15) / 4;
}

/** Hours a week both people are free, rounded to 0.25 h, with offsets taken at `reference`. */
export function overlapHoursPerWeek(
  a: { windows: readonly AvailabilityWindow[]; timezone: string },
  b: { windows: readonly AvailabilityWindow[]; timezone: string },
  reference: Date,
): number {
  return minutesToQuarterHours(
    overlapMinutes(toUtcIntervals(a.windows, a.timezone, reference), toUtcIntervals(b.windows, b.timezone, reference)),
  );
}
