import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  escapeText,
  foldLine,
  formatUtc,
  icsCalendar,
  icsContentType,
  icsEvent,
  IcsError,
  type IcsEventInput,
} from '#functions/lib/ics.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const START = new Date('2026-12-01T16:30:00Z');

const base: IcsEventInput = {
  uid: 'session-1@hearth',
  start: START,
  durationMinutes: 45,
  summary: 'Hearth mentoring: Ana and Bo',
  now: NOW,
};

const mentor = { name: 'Ana Pérez', email: 'ana@example.org' };
const mentee = { name: 'Bo Chen', email: 'bo@example.org' };

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents('vevent');
  const vevent = vevents[0];
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, vevents, event: new ICAL.Event(vevent) };
}

const octets = (line: string) => new TextEncoder().encode(line).length;

/** Physical lines, checked at the byte level: CRLF only, ≤ 75 octets, each valid UTF-8 on its own. */
function physicalLines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const bytes = new TextEncoder().encode(ics);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lines: string[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length - 1; i += 1) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      expect(i - from).toBeLessThanOrEqual(75);
      lines.push(decoder.decode(bytes.subarray(from, i))); // throws if a character was split
      from = i + 2;
    }
  }
  expect(from).toBe(bytes.length);
  return lines;
}

describe('icsEvent', () => {
  it('writes a minimal PUBLISH calendar exactly', () => {
    expect(icsEvent(base)).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Hearth//Mentoring//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:session-1@hearth',
        'DTSTAMP:20261120T120000Z',
        'DTSTART:20261201T163000Z',
        'DTEND:20261201T171500Z',
        'SEQUENCE:0',
        'STATUS:CONFIRMED',
        'SUMMARY:Hearth mentoring: Ana and Bo',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('round-trips every field through ical.js', () => {
    const ics = icsEvent({
      ...base,
      description: 'Agenda: goals, next steps; reading list\nLine two\r\nLine three \\ backslash',
      location: 'Online, room 3; bring a notebook',
      url: 'https://meet.example.org/room?id=1,2&x=y',
      organizer: mentor,
      attendees: [mentor, mentee],
      sequence: 3,
      alarm: true,
      method: 'REQUEST',
      productId: '-//Hearth//Test, with comma//EN',
    });
    physicalLines(ics);
    const { calendar, vevent, event } = parse(ics);

    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Hearth//Test, with comma//EN');
    expect(event.uid).toBe('session-1@hearth');
    expect(event.summary).toBe('Hearth mentoring: Ana and Bo');
    expect(event.description).toBe('Agenda: goals, next steps; reading list\nLine two\nLine three \\ backslash');
    expect(event.location).toBe('Online, room 3; bring a notebook');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://meet.example.org/room?id=1,2&x=y');
    expect(event.sequence).toBe(3);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');

    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe(START.toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-01T17:15:00.000Z');
    expect(event.duration.toSeconds()).toBe(45 * 60);
    const stamp = vevent.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.toJSDate().toISOString()).toBe(NOW.toISOString());

    expect(event.organizer).toBe('mailto:ana@example.org');
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe('Ana Pérez');
    expect(
      event.attendees.map((a) => ({
        email: a.getFirstValue(),
        cn: a.getParameter('cn'),
        rsvp: a.getParameter('rsvp'),
        partstat: a.getParameter('partstat'),
        role: a.getParameter('role'),
      })),
    ).toEqual([
      {
        email: 'mailto:ana@example.org',
        cn: 'Ana Pérez',
        rsvp: 'TRUE',
        partstat: 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      },
      {
        email: 'mailto:bo@example.org',
        cn: 'Bo Chen',
        rsvp: 'TRUE',
        partstat: 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      },
    ]);

    const alarm = vevent.getFirstSubcomponent('valarm');
    expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(alarm?.getFirstPropertyValue('description')).toBe('Hearth mentoring: Ana and Bo');
    expect((alarm?.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()).toBe(-30 * 60);
  });

  it('folds a long summary with emoji and accents at 75 octets without splitting a character', () => {
    const summary = `Sesión de mentoría 🌱✨ con Zoë, Łukasz & Ngọc: café, crème brûlée, 日本語の練習 👩‍👩‍👧‍👦 ${'é'.repeat(60)} 🎉`;
    expect(octets(summary)).toBeGreaterThan(200);
    const ics = icsEvent({ ...base, summary, description: summary.repeat(3) });
    const lines = physicalLines(ics);
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(5);
    expect(lines.some((line) => octets(line) === 75 || octets(line) >= 72)).toBe(true);
    const { event } = parse(ics);
    expect(event.summary).toBe(summary);
    expect(event.description).toBe(summary.repeat(3));
  });

  it('escapes commas, semicolons, backslashes and newlines in TEXT, and nothing else', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf\rg:h"i')).toBe('a\\,b\\;c\\\\d\\ne\\nf\\ng:h"i');
    expect(escapeText('tab\there\u0000\u0007\u001b\u007f')).toBe('tab\there');
    const description = 'Bring: notes, questions; and "quotes"\n\n\\n is not a newline\\, nor this';
    const { event } = parse(icsEvent({ ...base, description }));
    expect(event.description).toBe(description);
  });

  it('writes a cancellation that clients recognise', () => {
    const ics = icsEvent({
      ...base,
      method: 'CANCEL',
      sequence: 2,
      organizer: mentor,
      attendees: [mentee],
      alarm: true,
    });
    physicalLines(ics);
    const { calendar, vevent, event } = parse(ics);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.sequence).toBe(2);
    expect(event.uid).toBe(base.uid);
    expect(vevent.getFirstSubcomponent('valarm')).toBeNull(); // no reminder for what is not happening
    expect(event.attendees[0]?.getParameter('rsvp')).toBeUndefined();
    expect(icsContentType('CANCEL')).toBe('text/calendar; charset=utf-8; method=CANCEL');
  });

  it('also marks a published event cancelled', () => {
    const { calendar, vevent } = parse(icsEvent({ ...base, status: 'CANCELLED', sequence: 1 }));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('quotes names with RFC 6868 so any name round-trips', () => {
    const odd = { name: 'Dr. "Bo" Chen; MD, PhD: ^caret^\nsecond line', email: 'bo+mentoring@example.org' };
    const slashed = { name: 'CORP\\bo \\n', email: 'bo@example.org' };
    const ics = icsEvent({ ...base, method: 'REQUEST', organizer: odd, attendees: [mentee] });
    physicalLines(ics);
    const { vevent, event } = parse(ics);
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe(odd.name);
    expect(event.organizer).toBe('mailto:bo+mentoring@example.org');
    // A backslash means different things to different readers, so it never goes out.
    const cn = parse(icsEvent({ ...base, method: 'REQUEST', organizer: slashed, attendees: [mentee] })).vevent;
    expect(cn.getFirstProperty('organizer')?.getParameter('cn')).toBe('CORP/bo /n');
  });

  it('truncates times to the second, in UTC whatever the input zone', () => {
    expect(formatUtc(new Date('2026-03-29T01:59:59.999+02:00'))).toBe('20260328T235959Z');
    expect(formatUtc(new Date(Date.UTC(2027, 0, 2, 3, 4, 5)))).toBe('20270102T030405Z');
  });

  it.each<[string, Partial<IcsEventInput> & { method?: 'PUBLISH' | 'REQUEST' | 'CANCEL' }, RegExp]>([
    ['an invalid start', { start: new Date('nope') }, /start is not a valid date/],
    ['an invalid now', { now: new Date(NaN) }, /now is not a valid date/],
    ['a zero duration', { durationMinutes: 0 }, /durationMinutes/],
    ['a fractional duration', { durationMinutes: 1.5 }, /durationMinutes/],
    ['a negative sequence', { sequence: -1 }, /sequence/],
    ['an empty summary', { summary: '  ' }, /summary/],
    ['an empty uid', { uid: '' }, /uid/],
    ['a javascript: url', { url: 'javascript:alert(1)' }, /Not an http\(s\) URL/],
    ['a relative url', { url: '/mentorships/1' }, /Not a URL/],
    ['a bad organizer e-mail', { organizer: { name: 'x', email: 'x@y.org\r\nATTENDEE:mailto:z@z.org' } }, /e-mail/],
    ['attendees in a PUBLISH', { attendees: [mentee] }, /must not list attendees/],
    ['a REQUEST without attendees', { method: 'REQUEST', organizer: mentor }, /organizer and at least one attendee/],
    ['a REQUEST without organizer', { method: 'REQUEST', attendees: [mentee] }, /organizer/],
    [
      'a cancelled REQUEST',
      { method: 'REQUEST', status: 'CANCELLED', organizer: mentor, attendees: [mentee] },
      /method CANCEL/,
    ],
    [
      'a confirmed CANCEL',
      { method: 'CANCEL', status: 'CONFIRMED', organizer: mentor, attendees: [mentee] },
      /status CANCELLED/,
    ],
  ])('refuses %s', (_, change, message) => {
    expect(() => icsEvent({ ...base, ...change })).toThrow(IcsError);
    expect(() => icsEvent({ ...base, ...change })).toThrow(message);
  });

  it('cannot be made to inject properties through any text field', () => {
    const evil = 'x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:injected';
    const ics = icsEvent({ ...base, uid: evil, summary: evil, description: evil, location: evil });
    const { vevents, event } = parse(ics);
    expect(vevents).toHaveLength(1);
    expect(event.summary).toBe(evil.replace(/\r\n/g, '\n'));
    expect(event.uid).toBe(evil.replace(/\r\n/g, '\n'));
  });
});

describe('icsCalendar', () => {
  it('holds several events', () => {
    const ics = icsCalendar(
      [
        { ...base, uid: 'a@hearth', summary: 'First' },
        { ...base, uid: 'b@hearth', summary: 'Second', start: new Date('2026-12-08T16:30:00Z') },
      ],
      { productId: '-//Hearth//Interviews//EN' },
    );
    const { calendar, vevents } = parse(ics);
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Hearth//Interviews//EN');
    expect(vevents.map((v) => new ICAL.Event(v).summary)).toEqual(['First', 'Second']);
  });

  it('keeps a REQUEST to one UID, and refuses an empty calendar', () => {
    const invite = { ...base, organizer: mentor, attendees: [mentee] };
    expect(() => icsCalendar([invite, { ...invite, uid: 'other@hearth' }], { method: 'REQUEST' })).toThrow(/same UID/);
    expect(() => icsCalendar([])).toThrow(/at least one event/);
  });
});

describe('foldLine', () => {
  it('leaves short lines alone and folds at exactly 75 octets', () => {
    expect(foldLine('a'.repeat(75))).toBe('a'.repeat(75));
    expect(foldLine('a'.repeat(76))).toBe(`${'a'.repeat(75)}\r\n a`);
    expect(foldLine('a'.repeat(75 + 74 + 1))).toBe(`${'a'.repeat(75)}\r\n ${'a'.repeat(74)}\r\n a`);
  });

  it('moves a multi-byte character to the next line rather than split it', () => {
    const folded = foldLine(`${'a'.repeat(73)}€b`); // € is 3 octets: 73 + 3 > 75
    expect(folded).toBe(`${'a'.repeat(73)}\r\n €b`);
    const emoji = foldLine(`${'a'.repeat(72)}😀`); // 72 + 4 > 75
    expect(emoji).toBe(`${'a'.repeat(72)}\r\n 😀`);
  });
});

describe('properties', () => {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .array(fc.constantFrom(',', ';', '\\', '\n', '\r\n', '\r', ':', '"', '^', ' ', 'é', '😀', '日', 'a', '\t'), {
        maxLength: 120,
      })
      .map((parts) => parts.join('')),
  );
  /** What survives: newlines normalised, controls TEXT cannot hold dropped, lone surrogates dropped. */
  const expected = (value: string) =>
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

  it('round-trips any summary, description and location, in ≤ 75-octet CRLF lines', () => {
    fc.assert(
      fc.property(text, text, text, (summary, description, location) => {
        fc.pre(expected(summary).trim() !== '');
        const ics = icsEvent({ ...base, summary, description, location });
        physicalLines(ics);
        const { event, vevents } = parse(ics);
        expect(vevents).toHaveLength(1);
        expect(event.summary).toBe(expected(summary));
        if (expected(description) !== '') expect(event.description).toBe(expected(description));
        if (expected(location) !== '') expect(event.location).toBe(expected(location));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any attendee name', () => {
    fc.assert(
      fc.property(text, (name) => {
        const ics = icsEvent({ ...base, method: 'REQUEST', organizer: mentor, attendees: [{ ...mentee, name }] });
        physicalLines(ics);
        const cn = parse(ics).event.attendees[0]?.getParameter('cn');
        expect(cn).toBe(expected(name).replace(/\t/g, ' ').replace(/\\/g, '/'));
      }),
      { numRuns: 300 },
    );
  });
});
