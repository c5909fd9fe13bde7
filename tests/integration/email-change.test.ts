import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, users } from '#db/schema/index.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const me = await createUser(db, { email: 'old@example.org', password: PASSWORD, displayName: 'Sam' });
  const token = sessionTokenFrom(
    await t.postJson('/api/auth/sign-in', { email: 'old@example.org', password: PASSWORD }),
  )!;
  const lastCode = async (email: string) => {
    const mails = await db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(outbox.createdAt);
    return /\b(\d{6})\b/.exec(mails.at(-1)?.textBody ?? '')?.[1] ?? null;
  };
  return { db, ...t, me, token, lastCode };
}

describe('changing the email address', () => {
  it('verifies the new address with a code, tells the old one, and renews the session', async () => {
    const { db, postJson, request, token, me, lastCode } = await setup();
    expect(
      (await postJson('/api/me/email', { email: 'New@Example.org' }, { headers: withSession(token) })).status,
    ).toBe(202);
    const code = (await lastCode('new@example.org'))!;
    const res = await postJson('/api/me/email/confirm', { code }, { headers: withSession(token) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe('new@example.org');
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row!.email).toBe('new@example.org');
    const notice = await db.select().from(outbox).where(eq(outbox.toAddress, 'old@example.org'));
    expect(notice.map((m) => m.subject)).toContain('Your Hearth email address was changed');
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(sessionTokenFrom(res)!) })).status).toBe(200);
  });

  it('needs a sign-in from the last 10 minutes, or the password again', async () => {
    const { postJson, token, clock } = await setup();
    clock.advance(11 * 60_000);
    const stale = await postJson('/api/me/email', { email: 'new@example.org' }, { headers: withSession(token) });
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('reauthentication_required');
    expect(
      (
        await postJson(
          '/api/me/email',
          { email: 'new@example.org', password: 'not my password' },
          { headers: withSession(token) },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await postJson(
          '/api/me/email',
          { email: 'new@example.org', password: PASSWORD },
          { headers: withSession(token) },
        )
      ).status,
    ).toBe(202);
  });

  it('never moves an account onto an address another account has verified, and answers the same', async () => {
    const { db, postJson, token, lastCode } = await setup();
    await createUser(db, { email: 'taken@example.org' });
    expect(
      (await postJson('/api/me/email', { email: 'taken@example.org' }, { headers: withSession(token) })).status,
    ).toBe(202);
    expect(await lastCode('taken@example.org')).toBeNull();
    expect((await postJson('/api/me/email/confirm', { code: '123456' }, { headers: withSession(token) })).status).toBe(
      400,
    );
  });
});

describe('the profile', () => {
  it('updates the name and introduction, and refuses other fields', async () => {
    const { request, token } = await setup();
    const ok = await request('/api/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...withSession(token) },
      body: JSON.stringify({ displayName: 'Samira', bio: 'Second-year nursing.' }),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { user: { displayName: string } }).user.displayName).toBe('Samira');
    const sneaky = await request('/api/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...withSession(token) },
      body: JSON.stringify({ displayName: 'Samira', email: 'x@example.org', roles: ['admin'] }),
    });
    expect(sneaky.status).toBe(400);
  });
});
