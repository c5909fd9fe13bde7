import { eq, lt, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { rateLimits } from '#db/schema/index.ts';
import { shortHash } from '../lib/hash.ts';

export interface RateLimitRule {
  /** What is being limited, e.g. "page-feedback". */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * Counts one request against `rule` for `subject` (an IP address or a user id) with a single
 * atomic upsert, so concurrent isolates never lose a count. The subject is hashed before it is
 * stored: the table never holds a raw address.
 */
function windowOf(rule: RateLimitRule, subject: string, now: Date) {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const resetAt = windowStart + windowMs;
  return { key: `${rule.name}:${windowStart}:${shortHash(subject)}`, resetAt };
}

export async function hit(db: Database, rule: RateLimitRule, subject: string, now: Date): Promise<RateLimitResult> {
  const { key, resetAt } = windowOf(rule, subject, now);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, resetAt })
    .onConflictDoUpdate({ target: rateLimits.key, set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  const count = row?.count ?? 1;
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000));
  return { allowed: count <= rule.limit, remaining: Math.max(0, rule.limit - count), retryAfterSeconds };
}

/** Reads the count for the current window without adding to it. */
export async function peek(db: Database, rule: RateLimitRule, subject: string, now: Date): Promise<RateLimitResult> {
  const { key, resetAt } = windowOf(rule, subject, now);
  const [row] = await db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, key));
  const count = row?.count ?? 0;
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000));
  return { allowed: count < rule.limit, remaining: Math.max(0, rule.limit - count), retryAfterSeconds };
}

/** Deletes windows that have ended. Cheap thanks to the reset_at index; run now and then. */
export async function prune(db: Database, now: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.resetAt, now.getTime()));
}
