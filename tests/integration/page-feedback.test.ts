import { describe, expect, it } from 'vitest';
import { pageFeedback } from '#db/schema/index.ts';
import { PAGE_FEEDBACK_RATE } from '#functions/routes/page-feedback.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp } from '#tests/setup/app.ts';

const page = '/guidelines/code-of-conduct';

describe('page feedback', () => {
  it('stores an anonymous answer and reports the totals', async () => {
    const db = await createTestDb();
    const { postJson, request } = testApp(db);
    const created = await postJson('/api/page-feedback', {
      pagePath: page,
      helpful: true,
      comment: '  Clear and kind.  ',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ pagePath: page, helpful: true });
    await postJson('/api/page-feedback', { pagePath: page, helpful: false }, { ip: '198.51.100.1' });

    const summary = await request(`/api/page-feedback?path=${encodeURIComponent(page)}`);
    expect(await summary.json()).toEqual({ pagePath: page, helpful: 1, notHelpful: 1, total: 2 });

    const rows = await db.select().from(pageFeedback);
    expect(rows.map((r) => r.comment)).toEqual(expect.arrayContaining([null, 'Clear and kind.']));
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.createdDay))).toBe(true);
    // Nothing that could identify the reader is stored.
    expect(Object.keys(rows[0]!).sort()).toEqual(['comment', 'createdDay', 'helpful', 'id', 'pagePath']);
  });

  it('takes a plain HTML form and redirects back to the page with #feedback-thanks', async () => {
    const db = await createTestDb();
    const { postForm } = testApp(db);
    const res = await postForm('/api/page-feedback', { pagePath: page, helpful: 'no', comment: '', next: `${page}/` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${page}/#feedback-thanks`);
    const [row] = await db.select().from(pageFeedback);
    expect(row).toMatchObject({ helpful: false, comment: null });
  });

  it.each(['//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'https://evil.example/'])(
    'never redirects off site (next=%s)',
    async (next) => {
      const { postForm } = testApp(await createTestDb());
      const res = await postForm('/api/page-feedback', { pagePath: page, helpful: 'yes', next });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${page}#feedback-thanks`);
    },
  );

  it('names each invalid field for JSON clients', async () => {
    const { postJson } = testApp(await createTestDb());
    const res = await postJson('/api/page-feedback', {
      pagePath: 'not a path',
      helpful: 'maybe',
      comment: 'x'.repeat(1001),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { fields: Record<string, string> } } };
    expect(Object.keys(body.error.details.fields).sort()).toEqual(['comment', 'helpful', 'pagePath']);
  });

  it('sends a form with invalid fields back to the page with the messages', async () => {
    const { postForm } = testApp(await createTestDb());
    const res = await postForm(
      '/api/page-feedback',
      { pagePath: 'nope', helpful: 'yes' },
      { headers: { referer: 'http://hearth.test/guidelines/' } },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/guidelines/');
    const cookie = decodeURIComponent(res.headers.get('set-cookie') ?? '');
    expect(cookie).toContain('hearth_flash=');
    expect(cookie).toContain('pagePath');
  });

  it('limits each address, counting in the database, and answers 429 with Retry-After', async () => {
    const db = await createTestDb();
    const { postJson, clock } = testApp(db);
    for (let i = 0; i < PAGE_FEEDBACK_RATE.limit; i++) {
      expect((await postJson('/api/page-feedback', { pagePath: page, helpful: true })).status).toBe(201);
    }
    const limited = await postJson('/api/page-feedback', { pagePath: page, helpful: true });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    // A spoofed X-Forwarded-For changes nothing: only CF-Connecting-IP identifies the client.
    const spoofed = await postJson(
      '/api/page-feedback',
      { pagePath: page, helpful: true },
      { headers: { 'x-forwarded-for': '192.0.2.99' } },
    );
    expect(spoofed.status).toBe(429);
    // Another address has its own allowance, and the window ends.
    expect((await postJson('/api/page-feedback', { pagePath: page, helpful: true }, { ip: '192.0.2.50' })).status).toBe(
      201,
    );
    clock.advance(PAGE_FEEDBACK_RATE.windowSeconds * 1000);
    expect((await postJson('/api/page-feedback', { pagePath: page, helpful: true })).status).toBe(201);
    expect(await db.select().from(pageFeedback)).toHaveLength(PAGE_FEEDBACK_RATE.limit + 2);
  });

  it('counts exactly under concurrent requests', async () => {
    const db = await createTestDb();
    const { postJson } = testApp(db);
    const results = await Promise.all(
      Array.from({ length: PAGE_FEEDBACK_RATE.limit + 5 }, () =>
        postJson('/api/page-feedback', { pagePath: page, helpful: true }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(PAGE_FEEDBACK_RATE.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});
