import { createApp } from '#functions/app.ts';
import type { Clock, LogEntry, Logger } from '#functions/types.ts';
import type { Database } from '#db/client.ts';

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

export function testApp(db: Database, options: { clock?: ReturnType<typeof fakeClock> } = {}) {
  const logger = memoryLogger();
  const clock = options.clock ?? fakeClock();
  const app = createApp({ db, clock, logger, version: 'test' });
  /** Sends a request as the site's own pages would (same-origin, from one client address). */
  const request = (path: string, init: RequestInit & { ip?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && !headers.has('sec-fetch-site'))
      headers.set('sec-fetch-site', 'same-origin');
    headers.set('cf-connecting-ip', init.ip ?? '203.0.113.7');
    return app.request(`${ORIGIN}${path}`, { ...init, headers });
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
