import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '#scripts/lib/stack.ts';
import { DEMO_MEMBER_COUNT } from '#db/seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(res.headers.get('strict-transport-security')).toContain('max-age=63072000');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBeTruthy();
}

describe('the production build in workerd', () => {
  it('serves a prerendered page with security headers', async () => {
    const res = await stack.fetch('/guidelines/code-of-conduct/');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const html = await res.text();
    expect(html).toContain('<h1>Code of conduct</h1>');
    expect(html).toMatch(/<meta http-equiv="content-security-policy" content="[^"]*script-src 'self'/);
  });

  it('renders the home page on demand with the seeded community', async () => {
    const res = await stack.fetch('/');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).toContain('Amara Okafor');
    expect(html).toMatch(new RegExp(`<strong>${DEMO_MEMBER_COUNT}</strong>\\s*members`));
  });

  it('answers health', async () => {
    const res = await stack.fetch('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', version: expect.any(String) });
    expectSecurityHeaders(res);
  });

  it('writes then reads through the API', async () => {
    const post = await stack.fetch('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ pagePath: '/guidelines/confidentiality', helpful: true, comment: 'Useful.' }),
    });
    expect(post.status).toBe(201);
    const read = await stack.fetch('/api/page-feedback?path=/guidelines/confidentiality');
    expect(await read.json()).toEqual({ pagePath: '/guidelines/confidentiality', helpful: 1, notHelpful: 0, total: 1 });
  });

  it('takes the feedback form without JavaScript and sends the reader back', async () => {
    const res = await stack.fetch('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.url },
      body: 'pagePath=%2Fguidelines%2Fconfidentiality&next=%2Fguidelines%2Fconfidentiality%2F&helpful=no&comment=',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/guidelines/confidentiality/#feedback-thanks');
  });

  it('refuses a cross-site post (Astro checkOrigin and the API guard agree)', async () => {
    const res = await stack.fetch('/api/page-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ pagePath: '/guidelines/confidentiality', helpful: true }),
    });
    expect(res.status).toBe(403);
  });

  it('answers 404 pages and API 404s with headers', async () => {
    const page = await stack.fetch('/no/such/page/');
    expect(page.status).toBe(404);
    expectSecurityHeaders(page);
    expect(await page.text()).toContain('find that page');
    const api = await stack.fetch('/api/no-such-route');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('publishes the OpenAPI document and its reference page', async () => {
    const doc = (await (await stack.fetch('/api/openapi.json')).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/health');
    const page = await (await stack.fetch('/developers/api/')).text();
    expect(page).toContain('/api/openapi.json');
    expect(page).toContain('/api/page-feedback');
  });
});
