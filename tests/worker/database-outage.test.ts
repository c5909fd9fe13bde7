import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '#scripts/lib/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('when sqld goes away', () => {
  it('health answers 503 within 5 s, static pages keep working, and 200 returns with sqld', async () => {
    expect((await stack.fetch('/api/health')).status).toBe(200);

    await stack.killSqld();
    const started = Date.now();
    const down = await stack.fetch('/api/health');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'degraded', db: 'unreachable' });
    expect((await stack.fetch('/guidelines/')).status).toBe(200);
    const home = await stack.fetch('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Community figures are unavailable');
    const write = await stack.fetch('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ pagePath: '/guidelines/confidentiality', helpful: true }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBeTruthy();

    await stack.restartSqld();
    const up = await stack.fetch('/api/health');
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ status: 'ok', db: 'ok' });
  });
});
