import { createApp } from '#functions/app.ts';
import { createPasswordHasher } from '#functions/auth/password.ts';
import { createSecretBox } from '#functions/auth/secret-box.ts';
import type { Clock, LogEntry, Logger } from '#functions/types.ts';
import type { Database } from '#db/client.ts';
import type { TrainingCatalog } from '#functions/training/catalog.ts';
import type { SurveyCatalog } from '#functions/surveys/catalog.ts';
import { contentCatalog, contentSurveys } from '#tests/factories/training.ts';
import { contentDiscussions } from '#tests/factories/discussions.ts';
import type { DiscussionCatalog } from '#functions/discussions/catalog.ts';
import type { PostingPolicy } from '#functions/services/discussions/write.ts';

export const ORIGIN = 'http://hearth.test';

/** A clock tests can move. */
export function fakeClock(start = '2026-11-21T10:00:00Z') {
  let now = new Date(start).getTime();
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
  return clock;
}

/** Keeps log lines for assertions instead of printing them. */
export function memoryLogger() {
  const entries: LogEntry[] = [];
  const logger: Logger & { entries: LogEntry[] } = { entries, log: (e) => entries.push(e) };
  return logger;
}

/** Cheap scrypt parameters for tests; production parameters are covered by the password tests. */
/** A fixed TOTP sealing key for tests. */
export const testSecrets = createSecretBox(new Uint8Array(32).fill(7));

export const testPasswords = createPasswordHasher({ algorithm: 'argon2id', m: 64, t: 1, p: 1 });

export function testApp(
  db: Database,
  options: {
    clock?: ReturnType<typeof fakeClock>;
    devTools?: boolean;
    origin?: string;
    staffNeedTwoFactor?: boolean;
    /** Defaults to the catalog built from the real `content/` folder. */
    training?: TrainingCatalog;
    /** Defaults to the categories and prompts in the real `content/` folder. */
    discussions?: DiscussionCatalog;
    /** Defaults to the surveys in the real `content/` folder. */
    surveys?: SurveyCatalog;
    /** Defaults to moderation's posting policy, as in production. */
    postingPolicy?: PostingPolicy;
  } = {},
) {
  const logger = memoryLogger();
  const clock = options.clock ?? fakeClock();
  const origin = options.origin ?? ORIGIN;
  const app = createApp({
    db,
    clock,
    logger,
    version: 'test',
    passwords: testPasswords,
    devTools: options.devTools ?? true,
    // Most tests exercise roles, not enrolment; the two-factor tests turn the requirement on.
    staffNeedTwoFactor: options.staffNeedTwoFactor ?? false,
    secrets: testSecrets,
    training: async () => options.training ?? contentCatalog(),
    surveys: async () => options.surveys ?? contentSurveys(),
    discussions: async () => options.discussions ?? contentDiscussions(),
    ...(options.postingPolicy ? { postingPolicy: options.postingPolicy } : {}),
    pseudonymKey: new Uint8Array(32).fill(9),
    siteUrl: 'https://hearth.test',
  });
  /** Sends a request as the site's own pages would (same-origin, from one client address). */
  const request = (path: string, init: RequestInit & { ip?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && !headers.has('sec-fetch-site'))
      headers.set('sec-fetch-site', 'same-origin');
    headers.set('cf-connecting-ip', init.ip ?? '203.0.113.7');
    return app.request(`${origin}${path}`, { ...init, headers });
  };
  const postJson = (path: string, body: unknown, init: RequestInit & { ip?: string } = {}) =>
    request(path, {
      ...init,
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...init.headers },
    });
  const postForm = (path: string, fields: Record<string, string>, init: RequestInit & { ip?: string } = {}) =>
    request(path, {
      ...init,
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    });
  return { app, logger, clock, request, postJson, postForm };
}

/** The session token a response set, read from its Set-Cookie header. */
export function sessionTokenFrom(res: Response): string | null {
  for (const cookie of res.headers.getSetCookie()) {
    const match = /^(?:__Host-)?hearth_session=([^;]*)/.exec(cookie);
    if (match && match[1]) return match[1];
  }
  return null;
}

export const withSession = (token: string, name = 'hearth_session') => ({ cookie: `${name}=${token}` });
