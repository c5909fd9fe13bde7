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
