import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '#functions/errors.ts';
import { mergeCsp } from '#functions/lib/security-headers.ts';

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'a refused connection',
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
    ],
    ['a timeout', new DOMException('The operation timed out.', 'TimeoutError')],
    ['a locked file', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
    ['a wrapped cause', new Error('Failed query', { cause: Object.assign(new Error('x'), { code: 'SERVER_ERROR' }) })],
  ])('is true for %s', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a constraint', Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT' })],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'nope'],
  ])('is false for %s', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('mergeCsp', () => {
  it('keeps the primary policy and adds directives it lacks', () => {
    const merged = mergeCsp(
      "default-src 'self'; script-src 'self' 'sha256-abc'",
      "script-src 'none'; frame-ancestors 'none'",
    );
    expect(merged).toContain("script-src 'self' 'sha256-abc'");
    expect(merged).toContain("frame-ancestors 'none'");
    expect(merged).not.toContain("script-src 'none'");
  });
});
