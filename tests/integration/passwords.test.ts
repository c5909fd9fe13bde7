import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox } from '#db/schema/index.ts';
import { AUTH_RATES } from '#functions/routes/auth.ts';
import { FAILED_SIGN_INS } from '#functions/services/accounts.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';
const NEW_PASSWORD = 'a brand new long passphrase';

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  await createUser(db, { email: 'lee@example.org', password: PASSWORD });
  const lastCode = async (email: string) => {
    const mails = await db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(outbox.createdAt);
    return /\b(\d{6})\b/.exec(mails.at(-1)?.textBody ?? '')?.[1] ?? null;
  };
  const signIn = (password: string, ip = '192.0.2.10', email = 'lee@example.org') =>
    t.postJson('/api/auth/sign-in', { email, password }, { ip });
  return { db, ...t, lastCode, signIn };
}

describe('password reset', () => {
  it('resets with the emailed code and ends every session', async () => {
    const { postJson, request, lastCode, signIn } = await setup();
    const token = sessionTokenFrom(await signIn(PASSWORD))!;
    expect((await postJson('/api/auth/password-reset', { email: 'LEE@example.org' })).status).toBe(202);
    const code = (await lastCode('lee@example.org'))!;
    const wrong = await postJson('/api/auth/password-reset/confirm', {
      email: 'lee@example.org',
      code: code === '123456' ? '654321' : '123456',
      password: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    const weak = await postJson('/api/auth/password-reset/confirm', {
      email: 'lee@example.org',
      code,
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(
      ((await weak.json()) as { error: { details: { fields: Record<string, string> } } }).error.details.fields,
    ).toHaveProperty('password');
    const ok = await postJson('/api/auth/password-reset/confirm', {
      email: 'lee@example.org',
      code,
      password: NEW_PASSWORD,
    });
    expect(ok.status).toBe(200);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
    expect((await signIn(PASSWORD, '192.0.2.11')).status).toBe(401);
    expect((await signIn(NEW_PASSWORD, '192.0.2.12')).status).toBe(200);
    // The code works once.
    expect(
      (await postJson('/api/auth/password-reset/confirm', { email: 'lee@example.org', code, password: NEW_PASSWORD }))
        .status,
    ).toBe(400);
  });

  it('answers the same for an address without an account, and sends a note instead of a code', async () => {
    const { db, postJson, lastCode } = await setup();
    const known = await postJson('/api/auth/password-reset', { email: 'lee@example.org' });
    const unknown = await postJson('/api/auth/password-reset', { email: 'ghost@example.org' });
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    expect(await lastCode('ghost@example.org')).toBeNull();
    expect(
      await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.toAddress, 'ghost@example.org'))),
    ).toHaveLength(1);
    const guess = await postJson('/api/auth/password-reset/confirm', {
      email: 'ghost@example.org',
      code: '123456',
      password: NEW_PASSWORD,
    });
    expect(guess.status).toBe(400);
  });

  it('sends at most 3 codes per address per hour, whatever the client address', async () => {
    const { postJson } = await setup();
    for (let i = 0; i < AUTH_RATES.resetPerEmail.limit; i++) {
      expect(
        (await postJson('/api/auth/password-reset', { email: 'lee@example.org' }, { ip: `198.51.100.${i}` })).status,
      ).toBe(202);
    }
    const limited = await postJson('/api/auth/password-reset', { email: 'lee@example.org' }, { ip: '198.51.100.99' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  it('stops a code after 5 wrong tries', async () => {
    const { postJson, lastCode } = await setup();
    await postJson('/api/auth/password-reset', { email: 'lee@example.org' });
    const code = (await lastCode('lee@example.org'))!;
    for (let i = 0; i < 5; i++) {
      const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      await postJson('/api/auth/password-reset/confirm', {
        email: 'lee@example.org',
        code: guess,
        password: NEW_PASSWORD,
      });
    }
    expect(
      (await postJson('/api/auth/password-reset/confirm', { email: 'lee@example.org', code, password: NEW_PASSWORD }))
        .status,
    ).toBe(400);
  });
});

describe('changing the password', () => {
  it('needs the current password, ends other sessions and renews this one', async () => {
    const { postJson, request, signIn } = await setup();
    const here = sessionTokenFrom(await signIn(PASSWORD))!;
    const elsewhere = sessionTokenFrom(await signIn(PASSWORD, '192.0.2.20'))!;
    const wrong = await postJson(
      '/api/me/password',
      { currentPassword: 'not it at all', newPassword: NEW_PASSWORD },
      { headers: withSession(here) },
    );
    expect(wrong.status).toBe(403);
    const ok = await postJson(
      '/api/me/password',
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      { headers: withSession(here) },
    );
    expect(ok.status).toBe(204);
    const renewed = sessionTokenFrom(ok)!;
    expect(renewed).not.toBe(here);
    expect((await request('/api/me', { headers: withSession(elsewhere) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(here) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(renewed) })).status).toBe(200);
  });

  it('asks coordinators and admins for 15 characters', async () => {
    const { db, postJson } = await setup();
    await createUser(db, { email: 'cora@example.org', password: PASSWORD, roles: ['coordinator'] });
    const token = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'cora@example.org', password: PASSWORD }, { ip: '192.0.2.30' }),
    )!;
    const res = await postJson(
      '/api/me/password',
      { currentPassword: PASSWORD, newPassword: 'fourteen chars' },
      { headers: withSession(token) },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('at least 15 characters');
  });
});

describe('failed sign-in pause', () => {
  it('pauses an account after 10 failures from any addresses, mails the member, and resumes after 15 minutes', async () => {
    const { db, signIn, clock } = await setup();
    clock.advance(
      FAILED_SIGN_INS.windowSeconds * 1000 - (clock.now().getTime() % (FAILED_SIGN_INS.windowSeconds * 1000)),
    ); // start of a window
    for (let i = 0; i < FAILED_SIGN_INS.limit; i++)
      expect((await signIn('wrong password here', `203.0.113.${i}`)).status).toBe(401);
    const paused = await signIn(PASSWORD, '203.0.113.200');
    expect(paused.status).toBe(429);
    expect(((await paused.json()) as { error: { code: string } }).error.code).toBe('account_locked');
    const mails = await db.select().from(outbox).where(eq(outbox.toAddress, 'lee@example.org'));
    expect(mails.map((m) => m.subject)).toContain('Sign-in to your Hearth account is paused');
    clock.advance(FAILED_SIGN_INS.windowSeconds * 1000);
    expect((await signIn(PASSWORD, '203.0.113.201')).status).toBe(200);
  });

  it('pauses an unknown address the same way, so the pause reveals nothing', async () => {
    const { signIn, clock } = await setup();
    clock.advance(
      FAILED_SIGN_INS.windowSeconds * 1000 - (clock.now().getTime() % (FAILED_SIGN_INS.windowSeconds * 1000)),
    );
    for (let i = 0; i < FAILED_SIGN_INS.limit; i++)
      await signIn('wrong password here', `203.0.113.${i}`, 'ghost@example.org');
    const paused = await signIn(PASSWORD, '203.0.113.200', 'ghost@example.org');
    expect(paused.status).toBe(429);
    expect(((await paused.json()) as { error: { code: string } }).error.code).toBe('account_locked');
  });
});
