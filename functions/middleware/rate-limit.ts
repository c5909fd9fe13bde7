import { createMiddleware } from 'hono/factory';
import { tooManyRequests } from '../errors.ts';
import * as rateLimits from '../services/rate-limits.ts';
import type { AppEnv } from '../types.ts';

/** Limits a route per client address, counting in the database. Answers 429 with Retry-After. */
export function rateLimit(rule: rateLimits.RateLimitRule) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const now = c.var.clock.now();
    const result = await rateLimits.hit(c.var.db, rule, c.var.clientIp, now);
    c.header('RateLimit-Limit', String(rule.limit));
    c.header('RateLimit-Remaining', String(result.remaining));
    if (!result.allowed) throw tooManyRequests(result.retryAfterSeconds);
    // Old windows are swept on roughly one request in fifty, off the answer's path when possible.
    if (Math.random() < 0.02) await rateLimits.prune(c.var.db, now).catch(() => {});
    return next();
  });
}
