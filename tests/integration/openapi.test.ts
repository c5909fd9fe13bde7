import { describe, expect, it } from 'vitest';
import { createTestDb } from '#tests/setup/db.ts';
import { testApp } from '#tests/setup/app.ts';

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document that lists every API route', async () => {
    const { app, request } = testApp(await createTestDb());
    const res = await request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/{(\w+)}/g, ':$1')}`),
      ),
    );
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && r.path !== '/api/openapi.json')
        .map((r) => `${r.method} ${r.path}`),
    );
    expect(served.size).toBeGreaterThan(0);
    for (const route of served) expect(documented, `${route} is missing from the OpenAPI document`).toContain(route);
  });
});
