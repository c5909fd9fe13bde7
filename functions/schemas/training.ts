import { z } from '@hono/zod-openapi';
import { LOCALES } from '#src/lib/content/schema.ts';
import { nextField } from './common.ts';

const slug = (name: string) =>
  z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Not a valid slug.')
    .max(100)
    .openapi({ param: { name, in: 'path' } });

export const TrackParams = z.strictObject({ track: slug('track') });
export const LessonParams = z.strictObject({ track: slug('track'), lesson: slug('lesson') });

export const TrackProgressSchema = z
  .object({
    slug: z.string(),
    completedLessons: z.array(z.string()),
    passedChecks: z.array(z.string()),
    lessonCount: z.number().int(),
    percent: z.number().int().openapi({ description: 'Lessons done with their check passed, in percent.' }),
    passed: z.boolean().openapi({ description: 'Whether the member holds a current completion.' }),
    status: z.enum(['not-started', 'in-progress', 'passed', 'renewal-due', 'expired']),
    completedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    unlocks: z.string().nullable().openapi({ description: 'The eligibility a current completion grants.' }),
  })
  .openapi('TrackProgress');

export const ProgressSchema = z
  .object({
    tracks: z.array(TrackProgressSchema),
    eligibilities: z.array(z.string()).openapi({ description: 'What the member’s current completions allow.' }),
  })
  .openapi('TrainingProgress');

export const CompleteInputSchema = z.strictObject({ next: nextField });

export const CompleteResultSchema = z
  .object({ trackCompleted: z.boolean(), track: TrackProgressSchema })
  .openapi('LessonCompleted');

export const CheckInputSchema = z
  .strictObject({
    answers: z
      .record(z.string().max(100), z.union([z.string().max(100), z.array(z.string().max(100)).max(6)]))
      .refine((a) => Object.keys(a).length <= 10, 'Too many answers.')
      .openapi({
        description: 'Question id → the chosen option id, or a list of ids for choose-all-that-apply questions.',
        example: { 'first-response': 'reflect', 'signs-of-listening': ['paraphrase', 'open-question'] },
      }),
    locale: z.enum(LOCALES).optional().openapi({ description: 'Language of the explanations. Default English.' }),
  })
  .openapi('CheckAnswers');

export const CheckResultSchema = z
  .object({
    score: z.number().int().openapi({ description: 'Percent of questions answered correctly.' }),
    passed: z.boolean(),
    passMark: z.number().int(),
    feedback: z.array(z.object({ questionId: z.string(), correct: z.boolean(), explanation: z.string() })),
    trackCompleted: z.boolean(),
    track: TrackProgressSchema,
  })
  .openapi('CheckResult');

export const CompletionReportSchema = z
  .object({
    tracks: z.array(
      z.object({
        slug: z.string(),
        title: z.string(),
        current: z.number().int(),
        renewalDue: z.number().int(),
        expired: z.number().int(),
        inProgress: z.number().int(),
        members: z.array(
          z.object({
            userId: z.string(),
            displayName: z.string(),
            completedAt: z.string(),
            expiresAt: z.string(),
            status: z.enum(['current', 'renewal-due', 'expired']),
          }),
        ),
      }),
    ),
  })
  .openapi('CompletionReport');
