import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recoveryCodes, users } from '#db/schema/index.ts';
import { codeAt, stepAt } from '#functions/auth/totp.ts';
import { TOTP_FAILURES } from '#functions/services/two-factor.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, testSecrets, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';
type Json = {
  recoveryCodes?: string[];
  twoFactorRequired?: boolean;
  qrSvg?: string;
  manualKey?: string;
  error?: { code: string };
};

async function enrolled(options: { roles?: ('coordinator' | 'admin')[]; staffNeedTwoFactor?: boolean } = {}) {
  const db = await createTestDb();
  const t = testApp(db, { staffNeedTwoFactor: options.staffNeedTwoFactor });
  const user = await createUser(db, { email: 'tfa@example.org', password: PASSWORD, roles: options.roles });
  let token = sessionTokenFrom(
    await t.postJson('/api/auth/sign-in', { email: 'tfa@example.org', password: PASSWORD }),
  )!;
  const setup = await t.postJson('/api/me/two-factor/setup', {}, { headers: withSession(token) });
  expect(setup.status).toBe(200);
  const shown = (await setup.json()) as Json;
  expect(shown.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
  expect(shown.manualKey).toMatch(/^[A-Z2-7 ]+$/);
  const [{ totpPendingKey: key } = { totpPendingKey: null }] = await db
    .select({ totpPendingKey: users.totpPendingKey })
    .from(users)
    .where(eq(users.id, user.id));
  const plainKey = await testSecrets.open(key!);
  const enable = await t.postJson(
    '/api/me/two-factor/enable',
    { code: codeAt(plainKey, stepAt(t.clock.now())) },
    { headers: withSession(token) },
  );
  expect(enable.status).toBe(200);
  const codes = ((await enable.json()) as Json).recoveryCodes!;
  token = sessionTokenFrom(enable)!;
  return { db, ...t, user, key: plainKey, codes, token };
}

describe('two-factor enrolment', () => {
  it('turns on with a first code and hands out ten recovery codes, stored hashed', async () => {
    const { db, codes, user, request, token } = await enrolled();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(codes).not.toContain(row.codeHash);
    const me = (await (await request('/api/me', { headers: withSession(token) })).json()) as {
      user: { twoFactorEnabled: boolean };
    };
    expect(me.user.twoFactorEnabled).toBe(true);
  });

  it('refuses a wrong first code', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    await createUser(db, { email: 'x@example.org', password: PASSWORD });
    const token = sessionTokenFrom(
      await t.postJson('/api/auth/sign-in', { email: 'x@example.org', password: PASSWORD }),
    )!;
    await t.postJson('/api/me/two-factor/setup', {}, { headers: withSession(token) });
    const res = await t.postJson('/api/me/two-factor/enable', { code: '000000' }, { headers: withSession(token) });
    expect([400]).toContain(res.status);
  });
});

describe('signing in with two-factor', () => {
  it('asks for a code after the password, and the half-signed-in session opens nothing else', async () => {
    const { postJson, request, key, clock } = await enrolled();
    const first = await postJson(
      '/api/auth/sign-in',
      { email: 'tfa@example.org', password: PASSWORD },
      { ip: '192.0.2.50' },
    );
    expect(await first.json()).toEqual({ twoFactorRequired: true });
    const pending = sessionTokenFrom(first)!;
    expect((await request('/api/me', { headers: withSession(pending) })).status).toBe(401);
    clock.advance(30_000);
    const second = await postJson(
      '/api/auth/two-factor',
      { code: codeAt(key, stepAt(clock.now())) },
      { headers: withSession(pending) },
    );
    expect(second.status).toBe(204);
    const full = sessionTokenFrom(second)!;
    expect(full).not.toBe(pending);
    expect((await request('/api/me', { headers: withSession(full) })).status).toBe(200);
    expect((await request('/api/me', { headers: withSession(pending) })).status).toBe(401);
  });

  it('accepts each code only once (a replayed code fails)', async () => {
    const { postJson, key, clock } = await enrolled();
    clock.advance(60_000);
    const code = codeAt(key, stepAt(clock.now()));
    const signInOnce = async () =>
      sessionTokenFrom(
        await postJson('/api/auth/sign-in', { email: 'tfa@example.org', password: PASSWORD }, { ip: '192.0.2.51' }),
      )!;
    expect(
      (await postJson('/api/auth/two-factor', { code }, { headers: withSession(await signInOnce()) })).status,
    ).toBe(204);
    const replay = await postJson('/api/auth/two-factor', { code }, { headers: withSession(await signInOnce()) });
    expect(replay.status).toBe(400);
  });

  it('takes each recovery code once', async () => {
    const { postJson, codes, request } = await enrolled();
    const pending = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'tfa@example.org', password: PASSWORD }, { ip: '192.0.2.52' }),
    )!;
    const used = await postJson(
      '/api/auth/two-factor',
      { code: codes[3]!.toUpperCase() },
      { headers: withSession(pending) },
    );
    expect(used.status).toBe(204);
    expect((await request('/api/me', { headers: withSession(sessionTokenFrom(used)!) })).status).toBe(200);
    const again = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'tfa@example.org', password: PASSWORD }, { ip: '192.0.2.53' }),
    )!;
    expect((await postJson('/api/auth/two-factor', { code: codes[3]! }, { headers: withSession(again) })).status).toBe(
      400,
    );
  });

  it('stops accepting codes after 5 wrong ones', async () => {
    const { postJson, key, clock } = await enrolled();
    const pending = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'tfa@example.org', password: PASSWORD }, { ip: '192.0.2.54' }),
    )!;
    for (let i = 0; i < TOTP_FAILURES.limit; i++) {
      expect(
        (await postJson('/api/auth/two-factor', { code: '000000' }, { headers: withSession(pending) })).status,
      ).toBe(400);
    }
    clock.advance(30_000);
    const right = await postJson(
      '/api/auth/two-factor',
      { code: codeAt(key, stepAt(clock.now())) },
      { headers: withSession(pending) },
    );
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBeTruthy();
  });

  it('answers 401 to the second step without a password step', async () => {
    const { postJson } = await enrolled();
    expect((await postJson('/api/auth/two-factor', { code: '123456' })).status).toBe(401);
  });

  it('turns off only with the password', async () => {
    const { postJson, token, request } = await enrolled();
    expect(
      (await postJson('/api/me/two-factor/disable', { password: 'wrong one here' }, { headers: withSession(token) }))
        .status,
    ).toBe(403);
    expect(
      (await postJson('/api/me/two-factor/disable', { password: PASSWORD }, { headers: withSession(token) })).status,
    ).toBe(204);
    const me = (await (await request('/api/me', { headers: withSession(token) })).json()) as {
      user: { twoFactorEnabled: boolean };
    };
    expect(me.user.twoFactorEnabled).toBe(false);
  });
});

describe('TOTP secrets at rest', () => {
  it('are sealed in the database, never stored as the plain key', async () => {
    const { db, user, key } = await enrolled();
    const [row] = await db.select({ totpKey: users.totpKey }).from(users).where(eq(users.id, user.id));
    expect(row!.totpKey).toMatch(/^v1\./);
    expect(row!.totpKey).not.toContain(key);
  });

  it('make two-factor answer 503, naming the setting, when no key is configured', async () => {
    const db = await createTestDb();
    const { createApp } = await import('#functions/app.ts');
    const { testPasswords } = await import('#tests/setup/app.ts');
    const app = createApp({ db, passwords: testPasswords, logger: { log: () => {} } });
    await createUser(db, { email: 'nokey@example.org', password: PASSWORD });
    const headers = {
      'content-type': 'application/json',
      'sec-fetch-site': 'same-origin',
      'cf-connecting-ip': '192.0.2.99',
    };
    const signIn = await app.request('http://hearth.test/api/auth/sign-in', {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'nokey@example.org', password: PASSWORD }),
    });
    const res = await app.request('http://hearth.test/api/me/two-factor/setup', {
      method: 'POST',
      headers: { ...headers, cookie: `hearth_session=${sessionTokenFrom(signIn)}` },
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('TOTP_ENCRYPTION_KEY');
  });
});

describe('staff must enrol', () => {
  it('withholds coordinator and admin powers until two-factor is on', async () => {
    const db = await createTestDb();
    const t = testApp(db, { staffNeedTwoFactor: true });
    await createUser(db, { email: 'boss@example.org', password: PASSWORD, roles: ['admin'] });
    const token = sessionTokenFrom(
      await t.postJson('/api/auth/sign-in', { email: 'boss@example.org', password: PASSWORD }),
    )!;
    expect((await t.request('/api/admin/members', { headers: withSession(token) })).status).toBe(403);
    const me = (await (await t.request('/api/me', { headers: withSession(token) })).json()) as {
      user: { roles: string[] };
    };
    expect(me.user.roles).toEqual(['admin']); // still held, shown to the member
  });

  it('grants them once two-factor is on', async () => {
    const { request, token } = await enrolled({ roles: ['admin'], staffNeedTwoFactor: true });
    expect((await request('/api/admin/members', { headers: withSession(token) })).status).toBe(200);
  });
});
