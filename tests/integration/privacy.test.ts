import { eq } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { auditEvents, emailCodes, outbox, sessions, userRoles, users } from '#db/schema/index.ts';
import { allTables } from '#db/tables.ts';
import { memberTables, NO_MEMBER_DATA } from '#functions/services/privacy.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';

describe('what counts as a member’s data', () => {
  it('classifies every table in the database: member data, or a stated reason why not', async () => {
    const db = await createTestDb();
    const inDatabase = (
      await db.$client.execute("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'")
    ).rows.map((r) => String(r.name));
    const covered = new Set(memberTables().map((t) => t.name));
    const unclassified = inDatabase.filter((name) => !covered.has(name) && !NO_MEMBER_DATA[name]);
    expect(
      unclassified,
      'add these tables to the export: give them a foreign key to users, or a reason in NO_MEMBER_DATA',
    ).toEqual([]);
    expect(covered).toContain('sessions');
    expect(covered).toContain('audit_events');
    expect(covered).toContain('outbox');
  });

  it('lets every reference to a member either go with the account or fall back to "former member"', () => {
    for (const table of allTables as SQLiteTable[]) {
      for (const fk of getTableConfig(table).foreignKeys) {
        if (fk.reference().foreignTable !== users) continue;
        expect(
          ['cascade', 'set null'],
          `${getTableConfig(table).name}: ON DELETE must be cascade (personal data) or set null (authored content)`,
        ).toContain(fk.onDelete);
      }
    }
  });
});

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const me = await createUser(db, { email: 'me@example.org', password: PASSWORD, roles: ['mentor'] });
  const other = await createUser(db, { email: 'other@example.org', password: PASSWORD });
  const token = sessionTokenFrom(
    await t.postJson('/api/auth/sign-in', { email: 'me@example.org', password: PASSWORD }),
  )!;
  const otherToken = sessionTokenFrom(
    await t.postJson('/api/auth/sign-in', { email: 'other@example.org', password: PASSWORD }, { ip: '198.51.100.9' }),
  )!;
  await db.insert(outbox).values([
    {
      id: crypto.randomUUID(),
      toAddress: 'me@example.org',
      subject: 'Hi me',
      textBody: 't',
      htmlBody: 'h',
      createdAt: new Date(),
    },
    {
      id: crypto.randomUUID(),
      toAddress: 'other@example.org',
      subject: 'Hi other',
      textBody: 't',
      htmlBody: 'h',
      createdAt: new Date(),
    },
  ]);
  return { db, ...t, me, other, token, otherToken };
}

describe('GET /api/me/export', () => {
  it('downloads every row about the member and nobody else’s, with secrets redacted', async () => {
    const { request, token, me } = await setup();
    const res = await request('/api/me/export', { headers: withSession(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="hearth-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const body = (await res.json()) as { tables: Record<string, Record<string, unknown>[]> };
    expect(Object.keys(body.tables).sort()).toEqual(
      memberTables()
        .map((t) => t.name)
        .sort(),
    );
    expect(body.tables.users).toHaveLength(1);
    expect(body.tables.users![0]).toMatchObject({ id: me.id, email: 'me@example.org', passwordHash: '[redacted]' });
    expect(body.tables.user_roles).toEqual([expect.objectContaining({ role: 'mentor' })]);
    expect(body.tables.sessions).toHaveLength(1);
    expect(body.tables.sessions![0]!.secretHash).toBe('[redacted]');
    expect(body.tables.outbox!.map((m) => m.subject)).toEqual(['Hi me']);
    expect(JSON.stringify(body)).not.toContain('other@example.org');
    expect(body.tables.audit_events!.some((e) => e.type === 'sign_in.success')).toBe(true);
  });

  it('needs a session', async () => {
    const { request } = await setup();
    expect((await request('/api/me/export')).status).toBe(401);
  });
});

describe('DELETE /api/me', () => {
  it('refuses a wrong password and changes nothing', async () => {
    const { db, request, token, me } = await setup();
    const res = await request('/api/me', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', ...withSession(token) },
      body: JSON.stringify({ password: 'not my password' }),
    });
    expect(res.status).toBe(403);
    expect(await db.select().from(users).where(eq(users.id, me.id))).toHaveLength(1);
  });

  it('deletes the account and its personal data in one step, and only that', async () => {
    const { db, request, token, otherToken, me, other } = await setup();
    const res = await request('/api/me', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', ...withSession(token) },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(res.status).toBe(204);
    expect(await db.select().from(users).where(eq(users.id, me.id))).toEqual([]);
    expect(await db.select().from(sessions).where(eq(sessions.userId, me.id))).toEqual([]);
    expect(await db.select().from(userRoles).where(eq(userRoles.userId, me.id))).toEqual([]);
    expect(await db.select().from(emailCodes).where(eq(emailCodes.userId, me.id))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.toAddress, 'me@example.org'))).toEqual([]);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, me.id))).toEqual([]);
    expect((await db.select().from(auditEvents).where(eq(auditEvents.type, 'account.deleted'))).length).toBe(1);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
    // Everyone else is untouched.
    expect(await db.select().from(users).where(eq(users.id, other.id))).toHaveLength(1);
    expect((await request('/api/me', { headers: withSession(otherToken) })).status).toBe(200);
    expect(await db.select().from(outbox).where(eq(outbox.toAddress, 'other@example.org'))).toHaveLength(1);
  });

  it('keeps the last admin', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    await createUser(db, { email: 'boss@example.org', password: PASSWORD, roles: ['admin'] });
    const token = sessionTokenFrom(
      await t.postJson('/api/auth/sign-in', { email: 'boss@example.org', password: PASSWORD }),
    )!;
    const res = await t.request('/api/me', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', ...withSession(token) },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(res.status).toBe(409);
  });

  it('takes the HTML form, asking for the confirmation box', async () => {
    const { postForm, token } = await setup();
    const unconfirmed = await postForm('/api/me/delete', { password: PASSWORD }, { headers: withSession(token) });
    expect(unconfirmed.status).toBe(303);
    expect(decodeURIComponent(unconfirmed.headers.get('set-cookie') ?? '')).toContain('confirm');
    const done = await postForm(
      '/api/me/delete',
      { password: PASSWORD, confirm: 'true' },
      { headers: withSession(token) },
    );
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
  });
});
