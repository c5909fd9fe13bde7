/**
 * RFC 5545 calendar files for mentoring sessions and interviews: UTC times, escaped text, lines
 * folded at 75 octets without splitting a UTF-8 character, CRLF line ends.
 */
export interface IcsEventInput {
  uid: string;
  start: Date;
  durationMinutes: number;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  url?: string | undefined;
  organizer?: { name: string; email: string } | undefined;
  attendees?: { name: string; email: string }[] | undefined;
  sequence?: number | undefined;
  status?: 'CONFIRMED' | 'CANCELLED' | undefined;
  method?: 'PUBLISH' | 'REQUEST' | undefined;
  /** Add a reminder 30 minutes before. */
  alarm?: boolean | undefined;
  now: Date;
  productId?: string | undefined;
}

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT values: backslash, semicolon, comma and newlines escaped. */
export const escapeText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

const encoder = new TextEncoder();

/** Folds a content line at 75 octets, continuing with a space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function eventLines(e: IcsEventInput): string[] {
  const end = new Date(e.start.getTime() + e.durationMinutes * 60_000);
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${utc(e.now)}`,
    `DTSTART:${utc(e.start)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `SEQUENCE:${e.sequence ?? 0}`,
    `STATUS:${e.status ?? 'CONFIRMED'}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.url) lines.push(`URL:${e.url}`);
  if (e.organizer) lines.push(`ORGANIZER;CN="${e.organizer.name.replace(/"/g, "'")}":mailto:${e.organizer.email}`);
  for (const a of e.attendees ?? [])
    lines.push(`ATTENDEE;CN="${a.name.replace(/"/g, "'")}";RSVP=TRUE:mailto:${a.email}`);
  if (e.alarm)
    lines.push(
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(e.summary)}`,
      'TRIGGER:-PT30M',
      'END:VALARM',
    );
  lines.push('END:VEVENT');
  return lines;
}

/** A calendar with the given events. */
export function icsCalendar(
  events: IcsEventInput[],
  options: { method?: 'PUBLISH' | 'REQUEST'; productId?: string } = {},
) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.productId ?? '-//Hearth//Mentoring//EN'}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${options.method ?? 'PUBLISH'}`,
    ...events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** One event as a whole calendar file. */
export function icsEvent(event: IcsEventInput): string {
  return icsCalendar([event], {
    method: event.method ?? 'PUBLISH',
    ...(event.productId ? { productId: event.productId } : {}),
  });
}
