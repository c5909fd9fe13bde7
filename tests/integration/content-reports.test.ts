import { describe, expect, it } from 'vitest';
import { contentReports } from '#db/schema/index.ts';
import { createSession } from '#functions/auth/session.ts';
import { CONTENT_REPORT_RATE } from '#functions/routes/content-reports.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const page = '/resources/weekly-check-in-worksheet/';

describe('reporting a page as out of date', () => {
  it('puts the page on the coordinators’ review list until one of them resolves it', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    const reader = await createUser(db);
    const { token } = await createSession(db, reader.id, t.clock.now());
    const first = await t.postJson(
      '/api/content-reports',
      { pagePath: page, note: 'The phone number changed.' },
      { headers: withSession(token) },
    );
    expect(first.status).toBe(201);
    // Visitors who are not signed in can report too.
    expect((await t.postJson('/api/content-reports', { pagePath: page }, { ip: '198.51.100.9' })).status).toBe(201);
    const rows = await db.select().from(contentReports);
    expect(rows.map((r) => r.reporterId).sort()).toEqual([null, reader.id].sort());

    const coordinator = await createUser(db, { roles: ['coordinator'] });
    const staff = withSession((await createSession(db, coordinator.id, t.clock.now())).token);
    const list = (await (await t.request('/api/content-reports', { headers: staff })).json()) as {
      pages: { pagePath: string; reports: { note: string | null }[] }[];
    };
    expect(list.pages).toHaveLength(1);
    expect(list.pages[0]).toMatchObject({ pagePath: page });
    expect(list.pages[0].reports.map((r) => r.note)).toEqual(['The phone number changed.', null]);
    // Reporter identities are not handed out with the list.
    expect(JSON.stringify(list)).not.toContain(reader.id);

    expect((await t.request('/api/content-reports', { headers: withSession(token) })).status).toBe(403);
    const resolved = await t.postJson('/api/content-reports/resolve', { pagePath: page }, { headers: staff });
    expect(await resolved.json()).toEqual({ pagePath: page, resolved: 2 });
    expect(await (await t.request('/api/content-reports', { headers: staff })).json()).toEqual({ pages: [] });
    expect((await t.postJson('/api/content-reports/resolve', { pagePath: page }, { headers: staff })).status).toBe(404);
  });

  it('works as a plain HTML form and returns to the page with #report-thanks', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    const res = await t.postForm('/api/content-reports', { pagePath: page, note: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${page}#report-thanks`);
  });

  it('rejects bad input by field, and limits how often one address reports', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    const bad = await t.postJson('/api/content-reports', { pagePath: 'https://evil.example/', note: 'x'.repeat(1001) });
    expect(bad.status).toBe(400);
    expect(
      Object.keys(((await bad.json()) as { error: { details: { fields: object } } }).error.details.fields).sort(),
    ).toEqual(['note', 'pagePath']);
    for (let i = 0; i < CONTENT_REPORT_RATE.limit; i++)
      expect((await t.postJson('/api/content-reports', { pagePath: page }, { ip: '192.0.2.44' })).status).toBe(201);
    const limited = await t.postJson('/api/content-reports', { pagePath: page }, { ip: '192.0.2.44' });
    expect(limited.status).toBe(429);
    expect(await db.select().from(contentReports)).toHaveLength(CONTENT_REPORT_RATE.limit);
  });
});
