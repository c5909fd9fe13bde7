import { describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client.ts';
import { freePort } from '#scripts/lib/ports.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp } from '#tests/setup/app.ts';

describe('GET /api/health', () => {
  it('answers ok with the database and the version', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', version: 'test' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 degraded within five seconds when the database is unreachable', async () => {
    const port = await freePort(); // nothing listens here
    const { request } = testApp(createDatabase({ url: `http://127.0.0.1:${port}` }));
    const started = Date.now();
    const res = await request('/api/health');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ status: 'degraded', db: 'unreachable' });
  });

  it('answers 503 when the server accepts the connection but never replies', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => sockets.push(s)); // accepts, says nothing: like a SIGSTOPped sqld
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const { request } = testApp(createDatabase({ url: `http://127.0.0.1:${port}` }));
      const started = Date.now();
      const res = await request('/api/health');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(503);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });
});
