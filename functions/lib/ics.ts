/**
 * RFC 5545 calendar files for mentoring sessions and interviews.
 *
 * - Times are UTC (`YYYYMMDDTHHMMSSZ`): no VTIMEZONE to get wrong, and every client shows them in
 *   the reader's own zone.
 * - TEXT values escape backslash, semicolon, comma and newlines; other control characters, which
 *   TEXT cannot hold, are dropped. Names in parameters (CN) are quoted and RFC 6868-escaped.
 * - Content lines are folded at 75 octets, never inside a UTF-8 character; lines end in CRLF.
 * - `method` follows iTIP (RFC 5546): PUBLISH for "add to my calendar" files, with no attendees;
 *   REQUEST for invitations, with an organizer and at least one attendee; CANCEL (STATUS:CANCELLED)
 *   to withdraw one. An update or a cancellation keeps the UID and raises `sequence`.
 * - Whatever goes into summary, description and location ends up in the reader's calendar, which
 *   may sync to other services: keep it to what both people already know (names, agenda, link).
 */

export type IcsMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';
export type IcsStatus = 'CONFIRMED' | 'CANCELLED';

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsEventInput {
  /** Globally unique and stable across updates, e.g. `${session.id}@hearth`. */
  uid: string;
  start: Date;
  durationMinutes: number;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  /** An http(s) URL. */
  url?: string | undefined;
  organizer?: IcsPerson | undefined;
  attendees?: readonly IcsPerson[] | undefined;
  /** Raise it on every update or cancellation of the same UID (default 0). */
  sequence?: number | undefined;
  /** Default CONFIRMED; CANCELLED when `method` is CANCEL. */
  status?: IcsStatus | undefined;
  /** Add a display reminder 30 minutes before the start. */
  alarm?: boolean | undefined;
  /** When the file is made: DTSTAMP. */
  now: Date;
}

export interface IcsCalendarOptions {
  /** Default PUBLISH. */
  method?: IcsMethod | undefined;
  /** PRODID, default `-//Hearth//Mentoring//EN`. */
  productId?: string | undefined;
}

export const ALARM_MINUTES_BEFORE = 30;

const DEFAULT_PRODUCT_ID = '-//Hearth//Mentoring//EN';
const MAX_OCTETS = 75;

export class IcsError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'IcsError';
  }
}

/** The Content-Type for a calendar file or an e-mail part carrying one (iTIP wants `method`). */
export function icsContentType(method: IcsMethod = 'PUBLISH'): string {
  return `text/calendar; charset=utf-8; method=${method}`;
}

/** One event as a whole calendar file. */
export function icsEvent(event: IcsEventInput & IcsCalendarOptions): string {
  const { method, productId, ...rest } = event;
  return icsCalendar([rest], { method, productId });
}

/** A calendar with the given events (for REQUEST and CANCEL, all with the same UID). */
export function icsCalendar(events: readonly IcsEventInput[], options: IcsCalendarOptions = {}): string {
  const method = options.method ?? 'PUBLISH';
  if (!['PUBLISH', 'REQUEST', 'CANCEL'].includes(method)) throw new IcsError(`Unknown method ${String(method)}`);
  if (events.length === 0) throw new IcsError('A calendar needs at least one event');
  if (method !== 'PUBLISH' && new Set(events.map((event) => event.uid)).size > 1) {
    throw new IcsError(`A ${method} is about one event: every component must have the same UID`);
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(options.productId ?? DEFAULT_PRODUCT_ID)}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    ...events.flatMap((event) => eventLines(event, method)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

function eventLines(event: IcsEventInput, method: IcsMethod): string[] {
  const status = event.status ?? (method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
  const attendees = event.attendees ?? [];
  const sequence = event.sequence ?? 0;
  if (typeof event.uid !== 'string' || clean(event.uid).trim() === '') throw new IcsError('uid is required');
  if (typeof event.summary !== 'string' || clean(event.summary).trim() === '')
    throw new IcsError('summary is required');
  if (!Number.isInteger(event.durationMinutes) || event.durationMinutes <= 0) {
    throw new IcsError('durationMinutes must be a positive whole number');
  }
  if (!Number.isInteger(sequence) || sequence < 0) throw new IcsError('sequence must be a whole number ≥ 0');
  if (status !== 'CONFIRMED' && status !== 'CANCELLED') throw new IcsError(`Unknown status ${String(status)}`);
  if (method === 'PUBLISH' && attendees.length > 0) {
    throw new IcsError('A PUBLISH file must not list attendees (RFC 5546); use REQUEST to invite people');
  }
  if (method !== 'PUBLISH' && (!event.organizer || attendees.length === 0)) {
    throw new IcsError(`A ${method} needs an organizer and at least one attendee (RFC 5546)`);
  }
  if (method === 'REQUEST' && status === 'CANCELLED') {
    throw new IcsError('Send a cancellation with method CANCEL, not REQUEST');
  }
  if (method === 'CANCEL' && status !== 'CANCELLED') throw new IcsError('A CANCEL has status CANCELLED');

  const start = formatUtc(event.start, 'start');
  const end = formatUtc(new Date(event.start.getTime() + event.durationMinutes * 60_000), 'end');
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(event.now, 'now')}`,
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SEQUENCE:${sequence}`,
    `STATUS:${status}`,
    `SUMMARY:${escapeText(event.summary)}`,
  ];
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.url) lines.push(`URL:${httpUrl(event.url)}`);
  if (event.organizer) lines.push(`ORGANIZER;CN=${paramValue(event.organizer.name)}:${mailto(event.organizer.email)}`);
  for (const attendee of attendees) {
    const reply = method === 'REQUEST' ? ';PARTSTAT=NEEDS-ACTION;RSVP=TRUE' : '';
    lines.push(
      `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT${reply};CN=${paramValue(attendee.name)}:${mailto(attendee.email)}`,
    );
  }
  if (event.alarm && status !== 'CANCELLED') {
    lines.push(
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(event.summary)}`,
      `TRIGGER;RELATED=START:-PT${ALARM_MINUTES_BEFORE}M`,
      'END:VALARM',
    );
  }
  lines.push('END:VEVENT');
  return lines;
}

/** `YYYYMMDDTHHMMSSZ`, seconds truncated. */
export function formatUtc(date: Date, what = 'date'): string {
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) throw new IcsError(`${what} is not a valid date`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new IcsError(`${what} is out of range`);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return (
    `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/**
 * Characters no iCalendar value can hold: C0 controls other than tab and line feed, DEL, and lone
 * surrogates (which could not be encoded as UTF-8).
 */
const UNREPRESENTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(UNREPRESENTABLE, '');
}

/** A TEXT value (RFC 5545 §3.3.11): `\`, `;`, `,` and newlines escaped; other controls dropped. */
export function escapeText(value: string): string {
  return clean(value).replace(/[\\;,\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/**
 * A parameter value such as CN: always quoted, with RFC 6868 `^^`, `^n` and `^'`. Parameter values
 * have no backslash escapes in RFC 5545, but some parsers (ical.js among them) apply TEXT
 * unescaping to them anyway, so a backslash, which no reader can be trusted to keep, becomes `/`.
 */
function paramValue(value: string): string {
  const escaped = clean(value)
    .replace(/[\^\n"]/g, (char) => (char === '^' ? '^^' : char === '\n' ? '^n' : "^'"))
    .replace(/\\/g, '/')
    .replace(/\t/g, ' ');
  return `"${escaped}"`;
}

/** Deliberately loose (the address was validated when it was stored), but nothing that breaks the line. */
const EMAIL =
  // eslint-disable-next-line no-control-regex
  /^[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+@[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+\.[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+$/;

function mailto(email: string): string {
  if (typeof email !== 'string' || !EMAIL.test(email)) throw new IcsError(`Not an e-mail address: ${String(email)}`);
  return `mailto:${email}`;
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IcsError(`Not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new IcsError(`Not an http(s) URL: ${value}`);
  return url.href;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds a content line (RFC 5545 §3.1): at most 75 octets per line, continuation lines starting
 * with one space (which counts), never splitting a UTF-8 character.
 */
export function foldLine(line: string): string {
  let out = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (octets + size > MAX_OCTETS) {
      out += '\r\n ';
      octets = 1;
    }
    out += char;
    octets += size;
  }
  return out;
}
