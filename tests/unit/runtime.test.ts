import { describe, expect, it } from 'vitest';
import { fetchApi, getRuntime } from '#functions/runtime.ts';
import { expectConsoleError } from '#tests/setup/console-guard.ts';

describe('the Worker entry for /api', () => {
  it('answers in the error shape, naming the missing setting, when DATABASE_URL is absent', async () => {
    expectConsoleError(); // the configuration error is logged, as it should be
    const res = await fetchApi(new Request('https://hearth.example/api/health'), {
      DATABASE_AUTH_TOKEN: 'sekrit-token',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain('DATABASE_URL');
    expect(JSON.stringify(body)).not.toContain('sekrit');
  });

  it('refuses a DATABASE_URL of the wrong kind', () => {
    expect(() => getRuntime({ DATABASE_URL: 'postgres://db' })).toThrow(/DATABASE_URL must start with/);
  });

  it('builds the runtime once per configuration', () => {
    const a = getRuntime({ DATABASE_URL: 'http://127.0.0.1:1' });
    expect(getRuntime({ DATABASE_URL: 'http://127.0.0.1:1' })).toBe(a);
    expect(getRuntime({ DATABASE_URL: 'http://127.0.0.1:2' })).not.toBe(a);
  });
});

describe('the mail transport the Worker uses', () => {
  it('is the outbox by default and HTTP delivery when configured', async () => {
    const outbox = getRuntime({ DATABASE_URL: 'http://127.0.0.1:3' });
    expect(outbox.devTools).toBe(false); // HEARTH_ENV defaults to production
    const http = getRuntime({
      DATABASE_URL: 'http://127.0.0.1:3',
      HEARTH_ENV: 'development',
      EMAIL_TRANSPORT: 'http',
      MAIL_PROVIDER: 'resend',
      MAIL_API_KEY: 'k',
      MAIL_FROM: 'h@example.org',
    });
    expect(http.devTools).toBe(false);
    const res = await http.app.request('http://hearth.test/api/dev/outbox');
    expect(res.status).toBe(404);
  });
});
