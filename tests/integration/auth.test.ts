import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, users } from '#db/schema/index.ts';
import { AUTH_RATES } from '#functions/routes/auth.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, testPasswords, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

type Json = Record<string, unknown> & {
  user?: Record<string, unknown>;
  error?: { code: string; message: string; details?: { fields?: Record<string, string> } };
};
const PASSWORD = 'lanterns over the river';

async function setup() {
  const db = await createTestDb();
  const t = testApp(db);
  const codeFor = async (email: string) => {
    const [mail] = await db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(outbox.createdAt);
    return /\b(\d{6})\b/.exec(mail?.textBody ?? '')?.[1] ?? null;
  };
  const signUp = (email: string, extra: Record<string, unknown> = {}, ip?: string) =>
    t.postJson(
      '/api/auth/sign-up',
      { email, password: PASSWORD, displayName: 'Sam Rivera', acceptTerms: true, ...extra },
      { ip },
    );
  return { db, ...t, codeFor, signUp };
}

describe('sign-up and email verification', () => {
  it('creates a pending account, signs it in, and verifies it with the emailed code', async () => {
    const { db, request, postJson, signUp, codeFor } = await setup();
    const res = await signUp('Sam@Example.org');
    expect(res.status).toBe(201);
    const body = (await res.json()) as Json;
    expect(body.user).toMatchObject({
      email: 'sam@example.org',
      displayName: 'Sam Rivera',
      emailVerified: false,
      roles: [],
      twoFactorEnabled: false,
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hearth_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const token = sessionTokenFrom(res)!;
    expect(token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);

    const [stored] = await db.select().from(users).where(eq(users.email, 'sam@example.org'));
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.termsVersion).toBeTruthy();
    expect(stored!.privacyAcceptedAt).toBeInstanceOf(Date);

    const me = await request('/api/me', { headers: withSession(token) });
    expect(((await me.json()) as Json).user).toMatchObject({ emailVerified: false });

    const wrong = await postJson(
      '/api/auth/verify-email',
      { code: '000000' === (await codeFor('sam@example.org')) ? '111111' : '000000' },
      { headers: withSession(token) },
    );
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Json).error?.details?.fields).toHaveProperty('code');

    const ok = await postJson(
      '/api/auth/verify-email',
      { code: (await codeFor('sam@example.org'))! },
      { headers: withSession(token) },
    );
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Json).user).toMatchObject({ emailVerified: true });
    // Verification is a privilege change: the old token is dead and a new one was issued.
    const rotated = sessionTokenFrom(ok)!;
    expect(rotated).not.toBe(token);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(rotated) })).status).toBe(200);
  });

  it('answers the same for an address that already has an account, and that account stays safe', async () => {
    const { db, postJson, signUp, codeFor } = await setup();
    await createUser(db, { email: 'taken@example.org', verified: true });
    const fresh = await signUp('new@example.org');
    const taken = await signUp('taken@example.org');
    expect(taken.status).toBe(fresh.status);
    const a = (await fresh.json()) as Json;
    const b = (await taken.json()) as Json;
    expect(Object.keys(b.user!).sort()).toEqual(Object.keys(a.user!).sort());
    expect(b.user).toMatchObject({ email: 'taken@example.org', emailVerified: false });
    // The owner is told someone tried; no code is sent, so the impostor cannot verify.
    expect(await codeFor('taken@example.org')).toBeNull();
    const [notice] = await db.select().from(outbox).where(eq(outbox.toAddress, 'taken@example.org'));
    expect(notice!.subject).toMatch(/tried to sign up/);
    for (let guess = 0; guess < 6; guess++) {
      const res = await postJson(
        '/api/auth/verify-email',
        { code: String(100000 + guess) },
        { headers: withSession(sessionTokenFrom(taken)!) },
      );
      expect(res.status).toBe(400);
    }
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['a common password', { password: 'password123' }, 'password'],
    ['no acceptance', { acceptTerms: false }, 'acceptTerms'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['a role (mass assignment)', { roles: ['admin'] }, 'roles'],
    ['an emailVerified flag', { emailVerified: true }, 'emailVerified'],
  ])('refuses %s, naming the field', async (_, extra, field) => {
    const { db, signUp } = await setup();
    const res = await signUp('x@example.org', extra);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error?.details?.fields).toHaveProperty(field);
    expect(await db.select().from(users)).toHaveLength(0);
  });

  it('refuses a 4 KB body before hashing anything', async () => {
    const { db, signUp } = await setup();
    const res = await signUp('x@example.org', { password: 'p'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(await db.select().from(users)).toHaveLength(0);
  });

  it('limits sign-ups to 3 per address per hour', async () => {
    const { signUp } = await setup();
    for (let i = 0; i < AUTH_RATES.signUp.limit; i++) expect((await signUp(`p${i}@example.org`)).status).toBe(201);
    const limited = await signUp('p9@example.org');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });
});

describe('sign-in and sessions', () => {
  async function member() {
    const s = await setup();
    const user = await createUser(s.db, { email: 'lee@example.org', password: PASSWORD, verified: true });
    return { ...s, user };
  }

  it('signs in with a new session, and ends any session the client brought (no fixation)', async () => {
    const { postJson, request } = await member();
    const first = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'lee@example.org', password: PASSWORD }),
    )!;
    const res = await postJson(
      '/api/auth/sign-in',
      { email: 'LEE@example.org', password: PASSWORD },
      { headers: withSession(first) },
    );
    expect(res.status).toBe(200);
    const second = sessionTokenFrom(res)!;
    expect(second).not.toBe(first);
    expect((await request('/api/me', { headers: withSession(first) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(second) })).status).toBe(200);
  });

  it('sends a wrong password from the form back to the sign-in page with the error beside the field', async () => {
    const { postForm } = await member();
    const res = await postForm(
      '/api/auth/sign-in',
      { email: 'lee@example.org', password: 'not the password at all' },
      { headers: { referer: 'http://hearth.test/sign-in?next=%2Faccount' } },
    );
    expect(res.status).toBe(303);
    // Back to the form it came from, not on to another sign-in: the member is already there.
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Faccount');
    expect(res.headers.get('set-cookie')).toMatch(/hearth_flash=/);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const { postJson } = await member();
    const unknown = await postJson('/api/auth/sign-in', { email: 'nobody@example.org', password: PASSWORD });
    const wrong = await postJson(
      '/api/auth/sign-in',
      { email: 'lee@example.org', password: 'not the password at all' },
      { ip: '198.51.100.2' },
    );
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('limits sign-in attempts to 6 a minute per address', async () => {
    const { postJson } = await member();
    for (let i = 0; i < AUTH_RATES.signInMinute.limit; i++) {
      expect(
        (await postJson('/api/auth/sign-in', { email: 'lee@example.org', password: 'wrong password here' })).status,
      ).toBe(401);
    }
    expect((await postJson('/api/auth/sign-in', { email: 'lee@example.org', password: PASSWORD })).status).toBe(429);
  });

  it('refuses a cross-site sign-in', async () => {
    const { request } = await member();
    const res = await request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ email: 'lee@example.org', password: PASSWORD }),
    });
    expect(res.status).toBe(403);
  });

  it('rehashes a password stored with weaker parameters', async () => {
    const { db, postJson, user } = await member();
    const weak = await (
      await import('#functions/auth/password.ts')
    )
      .createPasswordHasher({ algorithm: 'scrypt', ln: 8, r: 8, p: 1 })
      .hash(PASSWORD);
    await db.update(users).set({ passwordHash: weak }).where(eq(users.id, user.id));
    expect((await postJson('/api/auth/sign-in', { email: 'lee@example.org', password: PASSWORD })).status).toBe(200);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(testPasswords.needsRehash(row!.passwordHash!)).toBe(false);
  });

  it('signs out here, or everywhere', async () => {
    const { postJson, request } = await member();
    const signIn = async () =>
      sessionTokenFrom(await postJson('/api/auth/sign-in', { email: 'lee@example.org', password: PASSWORD }))!;
    const [a, b, c] = [await signIn(), await signIn(), await signIn()];
    expect((await postJson('/api/auth/sign-out', {}, { headers: withSession(a) })).status).toBe(204);
    expect((await request('/api/me', { headers: withSession(a) })).status).toBe(401);
    expect((await request('/api/me', { headers: withSession(b) })).status).toBe(200);
    expect((await postJson('/api/auth/sign-out', { all: true }, { headers: withSession(b) })).status).toBe(204);
    expect((await request('/api/me', { headers: withSession(c) })).status).toBe(401);
  });

  it('lists the member’s sessions and ends one, but never another member’s', async () => {
    const { db, postJson, request } = await member();
    await createUser(db, { email: 'kim@example.org', password: PASSWORD, verified: true });
    const mine = sessionTokenFrom(
      await postJson(
        '/api/auth/sign-in',
        { email: 'lee@example.org', password: PASSWORD },
        { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' } },
      ),
    )!;
    const other = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'kim@example.org', password: PASSWORD }),
    )!;
    const list = (await (await request('/api/me/sessions', { headers: withSession(mine) })).json()) as {
      sessions: { id: string; device: string; current: boolean }[];
    };
    expect(list.sessions).toHaveLength(1);
    expect(list.sessions[0]).toMatchObject({ device: 'Firefox on Linux', current: true });

    const otherId = other.split('.')[0]!;
    const denied = await request(`/api/me/sessions/${otherId}`, { method: 'DELETE', headers: withSession(mine) });
    expect(denied.status).toBe(404);
    expect((await request('/api/me', { headers: withSession(other) })).status).toBe(200);

    const ended = await request(`/api/me/sessions/${list.sessions[0]!.id}`, {
      method: 'DELETE',
      headers: withSession(mine),
    });
    expect(ended.status).toBe(204);
    expect((await request('/api/me', { headers: withSession(mine) })).status).toBe(401);
  });

  it('answers 401 without a session, and for a forged token', async () => {
    const { request } = await member();
    expect((await request('/api/me')).status).toBe(401);
    const forged = `${'a'.repeat(32)}.${'b'.repeat(32)}`;
    const res = await request('/api/me', { headers: withSession(forged) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error?.code).toBe('unauthenticated');
  });
});

describe('session lifetimes', () => {
  it('ends a member session after 10 idle days, and refreshes at most hourly', async () => {
    const { db, postJson, request, clock } = await setup();
    await createUser(db, { email: 'ida@example.org', password: PASSWORD, verified: true });
    const token = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'ida@example.org', password: PASSWORD }),
    )!;
    clock.advance(9 * 86_400_000);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(200); // refreshed now
    clock.advance(9 * 86_400_000);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(200);
    clock.advance(10 * 86_400_000 + 1);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
  });

  it('ends any session 30 days after sign-in, however active', async () => {
    const { db, postJson, request, clock } = await setup();
    await createUser(db, { email: 'abe@example.org', password: PASSWORD, verified: true });
    const token = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'abe@example.org', password: PASSWORD }),
    )!;
    for (let day = 0; day < 29; day++) {
      clock.advance(86_400_000);
      expect((await request('/api/me', { headers: withSession(token) })).status).toBe(200);
    }
    clock.advance(86_400_000);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
  });

  it('gives coordinators and admins 30 idle minutes and 12 hours', async () => {
    const { db, postJson, request, clock } = await setup();
    await createUser(db, { email: 'cora@example.org', password: PASSWORD, verified: true, roles: ['coordinator'] });
    const token = sessionTokenFrom(
      await postJson('/api/auth/sign-in', { email: 'cora@example.org', password: PASSWORD }),
    )!;
    clock.advance(29 * 60_000);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await request('/api/me', { headers: withSession(token) })).status).toBe(401);
  });
});

describe('cookies on https', () => {
  it('uses the __Host- prefix with Secure', async () => {
    const db = await createTestDb();
    const t = testApp(db, { origin: 'https://hearth.example' });
    await createUser(db, { email: 'hal@example.org', password: PASSWORD, verified: true });
    const res = await t.postJson('/api/auth/sign-in', { email: 'hal@example.org', password: PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-hearth_session='))!;
    expect(cookie).toMatch(/Secure/);
    expect(cookie).not.toMatch(/Domain=/);
    expect(
      (await t.request('/api/me', { headers: withSession(sessionTokenFrom(res)!, '__Host-hearth_session') })).status,
    ).toBe(200);
  });
});

describe('the development outbox', () => {
  it('lists mail newest first under the outbox transport, and does not exist otherwise', async () => {
    const db = await createTestDb();
    const dev = testApp(db, { devTools: true });
    await dev.postJson('/api/auth/sign-up', {
      email: 'o@example.org',
      password: PASSWORD,
      displayName: 'O',
      acceptTerms: true,
    });
    const list = (await (await dev.request('/api/dev/outbox')).json()) as { to: string; subject: string }[];
    expect(list[0]).toMatchObject({ to: 'o@example.org', subject: expect.stringMatching(/code/) });
    expect((await testApp(db, { devTools: false }).request('/api/dev/outbox')).status).toBe(404);
  });
});

describe('no enumeration through timing', () => {
  it('does one password derivation for a known and for an unknown email', async () => {
    const db = await createTestDb();
    await createUser(db, { email: 'lee@example.org', password: PASSWORD });
    const calls: string[] = [];
    const counting = {
      hash: async (p: string) => (calls.push('hash'), testPasswords.hash(p)),
      verify: async (s: string, p: string) => (calls.push('verify'), testPasswords.verify(s, p)),
      burn: async (p: string) => (calls.push('burn'), testPasswords.burn(p)),
      needsRehash: (s: string) => testPasswords.needsRehash(s),
    };
    const { createApp } = await import('#functions/app.ts');
    const app = createApp({ db, passwords: counting, logger: { log: () => {} } });
    const signIn = (email: string, ip: string) =>
      app.request('http://hearth.test/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': ip },
        body: JSON.stringify({ email, password: 'not the right password' }),
      });
    await signIn('lee@example.org', '192.0.2.1');
    expect(calls).toEqual(['verify']);
    calls.length = 0;
    await signIn('nobody@example.org', '192.0.2.2');
    expect(calls).toEqual(['burn']);
  });
});
