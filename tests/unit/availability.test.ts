import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  intersectIntervals,
  isValidTimeZone,
  MINUTES_PER_WEEK,
  overlapHoursPerWeek,
  overlapMinutes,
  toUtcIntervals,
  utcOffsetMinutes,
  validateWindows,
  type AvailabilityWindow,
  type Weekday,
} from '#functions/mentoring/availability.ts';

/** Monday noon UTC in the northern summer (Madrid on CEST, Adelaide on ACST) and winter. */
const JULY = new Date('2025-07-14T12:00:00Z');
const JANUARY = new Date('2026-01-12T12:00:00Z');

const at = (day: number, hh: number, mm = 0) => day * 1440 + hh * 60 + mm;
const w = (day: Weekday, start: string, end: string): AvailabilityWindow => ({ day, start, end });
const mondayMorning = [w(0, '09:00', '11:00')];

describe('utcOffsetMinutes', () => {
  it.each([
    ['Europe/Madrid', 120, 60],
    ['America/Bogota', -300, -300],
    ['Asia/Kolkata', 330, 330],
    ['Australia/Adelaide', 570, 630],
    ['Asia/Kathmandu', 345, 345],
  ])('%s is %i minutes east of UTC in July and %i in January', (zone, july, january) => {
    expect(utcOffsetMinutes(zone, JULY)).toBe(july);
    expect(utcOffsetMinutes(zone, JANUARY)).toBe(january);
  });

  it('takes the offset at the reference instant, even in the week of a DST change', () => {
    // Madrid moves to summer time at 01:00 UTC on Sunday 30 March 2025.
    expect(utcOffsetMinutes('Europe/Madrid', new Date('2025-03-30T00:59:00Z'))).toBe(60);
    expect(utcOffsetMinutes('Europe/Madrid', new Date('2025-03-30T01:00:00Z'))).toBe(120);
  });

  it('rejects an unknown zone', () => {
    expect(() => utcOffsetMinutes('Mars/Olympus_Mons', JULY)).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('America/Bogota')).toBe(true);
  });
});

describe('toUtcIntervals', () => {
  it('moves Monday 09:00–11:00 by each zone’s offset, summer and winter', () => {
    expect(toUtcIntervals(mondayMorning, 'Europe/Madrid', JULY)).toEqual([{ start: at(0, 7), end: at(0, 9) }]);
    expect(toUtcIntervals(mondayMorning, 'Europe/Madrid', JANUARY)).toEqual([{ start: at(0, 8), end: at(0, 10) }]);
    expect(toUtcIntervals(mondayMorning, 'America/Bogota', JULY)).toEqual([{ start: at(0, 14), end: at(0, 16) }]);
    expect(toUtcIntervals(mondayMorning, 'America/Bogota', JANUARY)).toEqual([{ start: at(0, 14), end: at(0, 16) }]);
    expect(toUtcIntervals(mondayMorning, 'Asia/Kolkata', JULY)).toEqual([{ start: at(0, 3, 30), end: at(0, 5, 30) }]);
    expect(toUtcIntervals(mondayMorning, 'Asia/Kathmandu', JULY)).toEqual([{ start: at(0, 3, 15), end: at(0, 5, 15) }]);
  });

  it('wraps a Monday-morning window in Adelaide back to Sunday evening UTC, at the end of the week', () => {
    // ACST (+9:30) in July: Sunday 23:30 – Monday 01:30 UTC.
    expect(toUtcIntervals(mondayMorning, 'Australia/Adelaide', JULY)).toEqual([
      { start: 0, end: 90 },
      { start: at(6, 23, 30), end: MINUTES_PER_WEEK },
    ]);
    // ACDT (+10:30) in January: Sunday 22:30 – Monday 00:30 UTC.
    expect(toUtcIntervals(mondayMorning, 'Australia/Adelaide', JANUARY)).toEqual([
      { start: 0, end: 30 },
      { start: at(6, 22, 30), end: MINUTES_PER_WEEK },
    ]);
  });

  it('wraps a Sunday-night window in Bogotá to Monday UTC, at the start of the week', () => {
    expect(toUtcIntervals([w(6, '20:00', '23:00')], 'America/Bogota', JULY)).toEqual([
      { start: at(0, 1), end: at(0, 4) },
    ]);
  });

  it('splits a window that crosses midnight UTC without wrapping the week', () => {
    // Madrid in summer: Tuesday 01:00–03:00 is Monday 23:00 – Tuesday 01:00 UTC, one interval.
    expect(toUtcIntervals([w(1, '01:00', '03:00')], 'Europe/Madrid', JULY)).toEqual([
      { start: at(0, 23), end: at(1, 1) },
    ]);
  });

  it('merges windows that touch or overlap, including across local midnight', () => {
    const windows = [w(0, '10:00', '11:00'), w(0, '09:00', '10:00'), w(0, '22:00', '24:00'), w(1, '00:00', '01:00')];
    expect(toUtcIntervals(windows, 'America/Bogota', JULY)).toEqual([
      { start: at(0, 14), end: at(0, 16) },
      { start: at(1, 3), end: at(1, 6) },
    ]);
    expect(toUtcIntervals([w(2, '09:00', '12:00'), w(2, '10:00', '11:00')], 'UTC', JULY)).toEqual([
      { start: at(2, 9), end: at(2, 12) },
    ]);
  });

  it('always returns sorted, disjoint intervals inside the week that keep the total time', () => {
    const zones = ['Europe/Madrid', 'America/Bogota', 'Asia/Kolkata', 'Australia/Adelaide', 'Pacific/Chatham'];
    const window = fc
      .record({
        day: fc.integer({ min: 0, max: 6 }),
        start: fc.integer({ min: 0, max: 95 }),
        len: fc.integer({ min: 1, max: 96 }),
      })
      .map(({ day, start, len }) => {
        const end = Math.min(96, start + len);
        const hhmm = (q: number) =>
          `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
        return w(day as Weekday, hhmm(start), hhmm(Math.max(end, start + 1)));
      });
    fc.assert(
      fc.property(fc.array(window, { maxLength: 8 }), fc.constantFrom(...zones), (windows, zone) => {
        const intervals = toUtcIntervals(windows, zone, JULY);
        for (const [i, x] of intervals.entries()) {
          expect(x.start).toBeGreaterThanOrEqual(0);
          expect(x.end).toBeLessThanOrEqual(MINUTES_PER_WEEK);
          expect(x.end).toBeGreaterThan(x.start);
          if (i > 0) expect(x.start).toBeGreaterThan(intervals[i - 1]!.end);
        }
        // Same total as the local windows merged on their own (the shift is a rotation of the week).
        const local = toUtcIntervals(windows, 'UTC', JULY);
        const sum = (xs: { start: number; end: number }[]) => xs.reduce((t, x) => t + x.end - x.start, 0);
        expect(sum(intervals)).toBe(sum(local));
      }),
      { seed: 20260112, numRuns: 200 },
    );
  });

  it('refuses invalid windows rather than guessing', () => {
    expect(() => toUtcIntervals([w(0, '11:00', '10:00')], 'UTC', JULY)).toThrow(/validateWindows/);
    expect(() => toUtcIntervals([w(0, '9:00', '10:00')], 'UTC', JULY)).toThrow(RangeError);
  });
});

describe('overlapHoursPerWeek', () => {
  const madrid = { windows: [w(0, '16:00', '19:00')], timezone: 'Europe/Madrid' };
  const bogota = { windows: [w(0, '09:00', '11:30')], timezone: 'America/Bogota' };

  it('depends on which side of DST the reference week is', () => {
    // July: Madrid 14:00–17:00 UTC, Bogotá 14:00–16:30 UTC → 2.5 h.
    expect(overlapHoursPerWeek(madrid, bogota, JULY)).toBe(2.5);
    // January: Madrid 15:00–18:00 UTC → 1.5 h.
    expect(overlapHoursPerWeek(madrid, bogota, JANUARY)).toBe(1.5);
  });

  it('is symmetric and zero when nothing is shared', () => {
    expect(overlapHoursPerWeek(bogota, madrid, JULY)).toBe(2.5);
    const kolkata = { windows: [w(0, '09:00', '11:00')], timezone: 'Asia/Kolkata' };
    expect(overlapHoursPerWeek(kolkata, bogota, JULY)).toBe(0);
  });

  it('finds overlap across the week boundary (Adelaide Monday morning, Bogotá Sunday evening)', () => {
    // Adelaide Mon 09:00–11:00 (July) = Sun 23:30 – Mon 01:30 UTC; Bogotá Sun 18:00–21:00 = Sun 23:00 – Mon 02:00 UTC.
    const adelaide = { windows: mondayMorning, timezone: 'Australia/Adelaide' };
    const sunday = { windows: [w(6, '18:00', '21:00')], timezone: 'America/Bogota' };
    expect(overlapHoursPerWeek(adelaide, sunday, JULY)).toBe(2);
  });

  it('rounds to the nearest quarter hour, with half-hour and 45-minute offsets', () => {
    // Kathmandu Mon 09:00–11:00 = 03:15–05:15 UTC; Kolkata Mon 09:00–10:20 = 03:30–04:50 UTC → 80 min → 1.25 h.
    const kathmandu = { windows: mondayMorning, timezone: 'Asia/Kathmandu' };
    const kolkata = { windows: [w(0, '09:00', '10:20')], timezone: 'Asia/Kolkata' };
    expect(overlapHoursPerWeek(kathmandu, kolkata, JULY)).toBe(1.25);
    // 50 minutes → 0.83 h → 0.75.
    const short = { windows: [w(0, '03:15', '04:05')], timezone: 'UTC' };
    expect(overlapHoursPerWeek(kathmandu, short, JULY)).toBe(0.75);
  });

  it('agrees with the intersection it is built on', () => {
    const a = toUtcIntervals([w(0, '08:00', '12:00'), w(3, '18:00', '22:00')], 'Europe/Madrid', JANUARY);
    const b = toUtcIntervals([w(0, '04:00', '06:30'), w(3, '12:00', '13:00')], 'America/Bogota', JANUARY);
    expect(intersectIntervals(a, b)).toEqual([
      { start: at(0, 9), end: at(0, 11) },
      { start: at(3, 17), end: at(3, 18) },
    ]);
    expect(overlapMinutes(a, b)).toBe(180);
  });
});

describe('validateWindows', () => {
  it('accepts a sensible week, touching windows and 24:00', () => {
    expect(validateWindows([w(0, '09:00', '10:00'), w(0, '10:00', '11:00'), w(6, '22:00', '24:00')])).toEqual([]);
    expect(validateWindows([])).toEqual([]);
  });

  it('explains each problem in a sentence', () => {
    expect(
      validateWindows([
        w(0, '9:00', '10:00'),
        w(1, '12:00', '25:00'),
        w(2, '12:00', '11:00'),
        w(3, '10:00', '10:00'),
        { day: 7 as Weekday, start: '10:00', end: '11:00' },
        w(4, '09:00', '10:30'),
        w(4, '10:00', '11:00'),
        w(4, '09:15', '09:45'),
      ]),
    ).toEqual([
      'Window 1 (Monday): start "9:00" is not a time like 09:30.',
      'Window 2 (Tuesday): end "25:00" is not a time like 17:00.',
      'Window 3 (Wednesday 12:00–11:00): the end must be after the start.',
      'Window 4 (Thursday 10:00–10:00): the end must be after the start.',
      'Window 5: the day must be 0 (Monday) to 6 (Sunday).',
      'Friday 09:15–09:45 overlaps Friday 09:00–10:30.',
      'Friday 10:00–11:00 overlaps Friday 09:00–10:30.',
    ]);
  });

  it('does not confuse the same hours on different days', () => {
    expect(validateWindows([w(0, '09:00', '10:00'), w(1, '09:00', '10:00')])).toEqual([]);
  });

  it('allows at most 28 windows', () => {
    const many = Array.from({ length: 29 }, (_, i) =>
      w(
        (i % 7) as Weekday,
        `${String(Math.floor(i / 7) * 2 + 8).padStart(2, '0')}:00`,
        `${String(Math.floor(i / 7) * 2 + 9).padStart(2, '0')}:00`,
      ),
    );
    expect(validateWindows(many)).toEqual(['At most 28 windows a week, please; there are 29.']);
    expect(validateWindows(many.slice(0, 28))).toEqual([]);
  });
});
