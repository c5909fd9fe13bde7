import type { AstroGlobal } from 'astro';
import { ApiError } from '#functions/errors.ts';
import { CHECK_RATE } from '#functions/routes/training.ts';
import * as rateLimits from '#functions/services/rate-limits.ts';
import { submitCheck, type CheckResult } from '#functions/services/training.ts';
import type { Locale } from '../content/schema.ts';
import { surveyCatalog, trainingCatalog, workerRuntime } from './runtime.ts';

export type CheckOutcome =
  | { kind: 'result'; result: CheckResult; picked: Record<string, string[]> }
  | { kind: 'invalid'; errors: Record<string, string>; picked: Record<string, string[]> }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'unavailable' };

/**
 * Grades a knowledge check posted by the lesson page's plain HTML form (`q.<question>` fields),
 * through the same service and rate limit as the API.
 */
export async function gradePostedCheck(
  astro: AstroGlobal,
  userId: string,
  track: string,
  lesson: string,
  locale: Locale,
): Promise<CheckOutcome> {
  const form = await astro.request.formData();
  const picked: Record<string, string[]> = {};
  for (const [name, value] of form)
    if (name.startsWith('q.') && typeof value === 'string') (picked[name.slice(2)] ??= []).push(value.slice(0, 100));
  const { db } = workerRuntime();
  const now = new Date();
  try {
    const limit = await rateLimits.hit(db, CHECK_RATE, `member:${userId}`, now);
    if (!limit.allowed) return { kind: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const [training, surveys] = await Promise.all([trainingCatalog(), surveyCatalog()]);
    const result = await submitCheck(db, training, surveys, userId, track, lesson, picked, locale, now);
    return { kind: 'result', result, picked };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      const details = error.details as { fields?: Record<string, string> } | undefined;
      return { kind: 'invalid', errors: details?.fields ?? {}, picked };
    }
    if (error instanceof ApiError) throw error;
    return { kind: 'unavailable' };
  }
}
