import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#db/seed.ts';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const post = (path: string, body: unknown, cookie?: string) =>
  stack.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('hearth_session='))!
    .split(';')[0]!;

describe('accounts in workerd', () => {
  it('signs up with scrypt in workerd, verifies by the emailed code, and shows the account page', async () => {
    const signUp = await post('/api/auth/sign-up', {
      email: 'wren@example.org',
      password: 'lanterns over the river',
      displayName: 'Wren',
      acceptTerms: true,
    });
    expect(signUp.status).toBe(201);
    let cookie = cookieOf(signUp);
    const outbox = (await (await stack.fetch('/api/dev/outbox')).json()) as { to: string; text: string }[];
    const code = /\b(\d{6})\b/.exec(outbox.find((m) => m.to === 'wren@example.org')!.text)![1]!;
    const verified = await post('/api/auth/verify-email', { code }, cookie);
    expect(verified.status).toBe(200);
    cookie = cookieOf(verified);
    const page = await stack.fetch('/account', { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Hello, Wren');
    expect(html).toContain('Confirmed');
  });

  it('signs a demo account in and out', async () => {
    const signIn = await post('/api/auth/sign-in', { email: 'priya@example.org', password: DEMO_PASSWORD });
    expect(signIn.status).toBe(200);
    const cookie = cookieOf(signIn);
    expect((await stack.fetch('/api/me', { headers: { cookie } })).status).toBe(200);
    expect((await post('/api/auth/sign-out', {}, cookie)).status).toBe(204);
    expect((await stack.fetch('/api/me', { headers: { cookie } })).status).toBe(401);
    const page = await stack.fetch('/account', { headers: { cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/sign-in?next=/account');
  });
});
