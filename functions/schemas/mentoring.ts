import { z } from '@hono/zod-openapi';
import { TOPICS } from '#src/lib/content/schema.ts';
import { utcOffsetMinutes, validateWindows, type AvailabilityWindow } from '../mentoring/availability.ts';
import { nextField } from './common.ts';

/** A list that also accepts what an HTML form sends: repeated fields, or one comma-separated value. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      v === undefined || v === ''
        ? []
        : Array.isArray(v)
          ? v
          : typeof v === 'string'
            ? v
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : v,
    z.array(item),
  );

export const TopicsSchema = list(z.enum(TOPICS))
  .pipe(z.array(z.enum(TOPICS)).min(1, 'Choose at least one topic.').max(8))
  .openapi({ example: ['study-skills', 'wellbeing'] });

export const LanguagesSchema = list(z.string().regex(/^[a-z]{2}$/, 'Use two-letter language codes, such as en or es.'))
  .pipe(z.array(z.string()).min(1, 'Choose at least one language.').max(6))
  .openapi({ example: ['en', 'es'] });

export const TimezoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz.includes('/') || tz === 'UTC';
    } catch {
      return false;
    }
  }, 'Use a time zone name such as Europe/Madrid or America/Bogota.')
  .openapi({ example: 'Europe/Madrid' });

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Mon 18:00-20:00, Wed 19:00-21:00" as an HTML form sends it; JSON sends the windows. */
function parseWindows(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([a-z]{3})[a-z]*\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/i.exec(part);
      if (!m) return { day: -1, start: part, end: '' };
      const pad = (t: string) => t.padStart(5, '0');
      return { day: DAYS.indexOf(m[1]!.toLowerCase()), start: pad(m[2]!), end: pad(m[3]!) };
    });
}

export const AvailabilitySchema = z
  .preprocess(
    parseWindows,
    z.array(
      z.strictObject({
        day: z.number().int().min(0, 'Days are Mon to Sun.').max(6),
        start: z.string(),
        end: z.string(),
      }),
    ),
  )
  .superRefine((windows, ctx) => {
    if (windows.length === 0)
      ctx.addIssue({ code: 'custom', message: 'Add at least one time you are available, e.g. "Mon 18:00-20:00".' });
    for (const problem of validateWindows(windows as AvailabilityWindow[]))
      ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((w) => w as AvailabilityWindow[])
  .openapi({
    description:
      'Weekly windows in the person’s time zone (day 0 = Monday). Forms may send "Mon 18:00-20:00, Wed 19:00-21:00".',
    example: [{ day: 0, start: '18:00', end: '20:00' }],
  });

/**
 * A moment in time. JSON clients send ISO 8601 with an offset; an HTML form's datetime-local has
 * none, so the form also sends `timezone` and the local time is read in that zone.
 */
export const LocalDateTimeSchema = z
  .union([z.string(), z.date()])
  .optional()
  .openapi({ type: 'string', format: 'date-time' });

export function resolveLocalDateTime(value: string | Date | undefined, timezone: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (value instanceof Date) return value;
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value);
  const asUtc = new Date(local ? `${value}Z` : value);
  if (Number.isNaN(asUtc.getTime())) return new Date(NaN);
  if (!local || !timezone) return asUtc;
  // The zone's offset at that moment (close enough: one hour's error only inside a DST change).
  return new Date(asUtc.getTime() - utcOffsetMinutes(timezone, asUtc) * 60_000);
}

/** Form fields named `scores.communication` etc. become one `scores` object. */
const foldScores = (v: unknown) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  const scores: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) {
    if (k.startsWith('scores.')) {
      if (value !== '') scores[k.slice(7)] = value;
    } else out[k] = value;
  }
  if (Object.keys(scores).length) out.scores = { ...(out.scores as object | undefined), ...scores };
  return out;
};

const text = (max: number, message: string) => z.string().trim().min(1, message).max(max, `At most ${max} characters.`);

export const ApplicationInputSchema = z
  .strictObject({
    motivation: text(2000, 'Tell us why you would like to mentor.'),
    experience: text(2000, 'Tell us about your experience.'),
    topics: TopicsSchema,
    languages: LanguagesSchema,
    timezone: TimezoneSchema,
    availability: AvailabilitySchema,
    capacity: z.coerce.number().int().min(1, 'Between 1 and 5 mentees.').max(5, 'Between 1 and 5 mentees.'),
    pledgeVersion: z.string().max(20),
    pledge: z.union([z.literal(true), z.literal('on'), z.literal('yes')], {
      error: 'Agree to the mentor pledge to apply.',
    }),
    next: nextField,
  })
  .openapi('MentorApplicationInput');

export const RubricSchema = z
  .strictObject({
    communication: z.coerce.number().int().min(1).max(5).optional(),
    empathy: z.coerce.number().int().min(1).max(5).optional(),
    reliability: z.coerce.number().int().min(1).max(5).optional(),
    fit: z.coerce.number().int().min(1).max(5).optional(),
  })
  .openapi('Rubric');

export const ReviewInputSchema = z
  .preprocess(
    foldScores,
    z.strictObject({
      scores: RubricSchema.optional(),
      notes: z.string().max(4000).optional(),
      interviewAt: LocalDateTimeSchema,
      timezone: TimezoneSchema.optional(),
      next: nextField,
    }),
  )
  .transform(({ interviewAt, timezone, ...rest }, ctx) => {
    const at = resolveLocalDateTime(interviewAt, timezone);
    if (at && Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: 'custom', path: ['interviewAt'], message: 'Give a date and time.' });
      return z.NEVER;
    }
    return { ...rest, interviewAt: at };
  })
  .openapi('ApplicationReview');

export const DecisionInputSchema = z
  .preprocess(
    foldScores,
    z.strictObject({
      decision: z.enum(['approve', 'decline', 'waitlist']),
      message: z.string().trim().max(2000).optional(),
      scores: RubricSchema.optional(),
      next: nextField,
    }),
  )
  .openapi('ApplicationDecision');

export const ProfileInputSchema = z
  .strictObject({
    bio: z.string().trim().max(1000),
    topics: TopicsSchema,
    languages: LanguagesSchema,
    timezone: TimezoneSchema,
    availability: AvailabilitySchema,
    capacity: z.coerce.number().int().min(1).max(5),
    accepting: z
      .union([z.boolean(), z.enum(['on', 'true', 'false', 'off'])])
      .transform((v) => v === true || v === 'on' || v === 'true'),
    awayUntil: z
      .union([z.literal(''), z.null(), z.coerce.date()])
      .transform((v) => (v instanceof Date ? v : null))
      .optional()
      .openapi({ type: 'string', format: 'date' }),
    next: nextField,
  })
  .openapi('MentorProfileInput');

export const RequestInputSchema = z
  .strictObject({
    goals: z
      .preprocess(
        (v) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : v === undefined ? [] : v),
        z.array(z.string().trim().max(200, 'Keep each goal under 200 characters.')),
      )
      .transform((goals) => goals.filter(Boolean))
      .pipe(z.array(z.string()).min(1, 'Add one to three goals.').max(3, 'At most three goals.')),
    topics: TopicsSchema,
    languages: LanguagesSchema,
    timezone: TimezoneSchema,
    availability: AvailabilitySchema,
    format: z.enum(['chat', 'video', 'either']),
    note: z.string().trim().max(1000).optional(),
    next: nextField,
  })
  .openapi('MenteeRequestInput');

export const Id = (name: string) => z.uuid().openapi({ param: { name, in: 'path' } });
