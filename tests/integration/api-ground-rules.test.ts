import { describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client.ts';
import { pageFeedback } from '#db/schema/index.ts';
import { freePort } from '#scripts/lib/ports.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { ORIGIN, testApp } from '#tests/setup/app.ts';

const valid = { pagePath: '/guidelines/code-of-conduct', helpful: true };

describe('one error shape', () => {
  it('answers unknown API routes with 404 in the error shape', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers an unexpected error with a generic 500 carrying the request id, and logs it', async () => {
    const { app, request, logger } = testApp(await createTestDb());
    app.get('/test-explode', () => {
      throw new Error('secret internals: SELECT * FROM users');
    });
    const res = await request('/api/test-explode');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; details: { requestId: string } } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.details.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/SELECT|secret|at .*\.ts/);
    const logged = logger.entries.find((e) => e.msg === 'unhandled error');
    expect(logged?.requestId).toBe(body.error.details.requestId);
  });

  it('writes one structured log line per request, with the request id', async () => {
    const { request, logger } = testApp(await createTestDb());
    const res = await request('/api/health');
    const lines = logger.entries.filter((e) => e.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      path: '/api/health',
      status: 200,
      requestId: res.headers.get('x-request-id'),
    });
  });
});

describe('security headers', () => {
  it.each([
    ['a normal answer', '/api/health'],
    ['a 404', '/api/nothing-here'],
    ['a 400', '/api/page-feedback?path=nope'],
  ])('are on %s', async (_, path) => {
    const { request } = testApp(await createTestDb());
    const res = await request(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(res.headers.get('strict-transport-security')!)![1])).toBeGreaterThanOrEqual(
      31536000,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBeTruthy();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CSRF', () => {
  it('refuses a cross-site post', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/page-feedback', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
  });

  it('refuses a foreign Origin when Sec-Fetch-Site is absent, and accepts our own', async () => {
    const db = await createTestDb();
    const { app } = testApp(db);
    const send = (origin?: string) =>
      app.request(`${ORIGIN}/api/page-feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify(valid),
      });
    expect((await send('https://evil.example')).status).toBe(403);
    expect((await send()).status).toBe(403);
    expect((await send(ORIGIN)).status).toBe(201);
  });
});

describe('bodies', () => {
  it('refuses other content types with 415', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('refuses a large body with 413 before the handler', async () => {
    const db = await createTestDb();
    const { postJson } = testApp(db);
    const res = await postJson('/api/page-feedback', { ...valid, comment: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(await db.select().from(pageFeedback)).toHaveLength(0);
  });

  it('refuses a large chunked body that declares no length', async () => {
    const { request } = testApp(await createTestDb());
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await request('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      // @ts-expect-error Node's fetch needs this for a streamed body
      duplex: 'half',
    });
    expect(res.status).toBe(413);
  });

  it('refuses malformed JSON with 400', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"pagePath":',
    });
    expect(res.status).toBe(400);
  });

  it.each([
    ['an unknown key', { ...valid, colour: 'red' }, 'colour'],
    ['a role', { ...valid, role: 'admin' }, 'role'],
    ['a userId', { ...valid, userId: 'u1' }, 'userId'],
  ])('refuses %s with 400 naming the field', async (_, body, field) => {
    const db = await createTestDb();
    const { postJson } = testApp(db);
    const res = await postJson('/api/page-feedback', body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(json.error.code).toBe('validation_failed');
    expect(Object.keys(json.error.details.fields)).toContain(field);
    expect(await db.select().from(pageFeedback)).toHaveLength(0);
  });

  it('refuses __proto__ in a body', async () => {
    const { request } = testApp(await createTestDb());
    const res = await request('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"pagePath":"/guidelines/x","helpful":true,"__proto__":{"admin":true}}',
    });
    expect(res.status).toBe(400);
  });
});

describe('a failing database', () => {
  it('answers 503 with Retry-After and no internals', async () => {
    const port = await freePort();
    const { postJson, request } = testApp(createDatabase({ url: `http://127.0.0.1:${port}` }));
    for (const res of [await postJson('/api/page-feedback', valid), await request('/api/community')]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('database_unavailable');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|fetch|sql/i);
    }
  });
});
