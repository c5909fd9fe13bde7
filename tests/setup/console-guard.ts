import { afterEach, beforeEach, expect, vi } from 'vitest';

/**
 * A console.error nobody expected fails the test. A test that expects one calls
 * `expectConsoleError()` first.
 */
let allowed = false;
let spy: ReturnType<typeof vi.spyOn> | undefined;

beforeEach(() => {
  allowed = false;
  spy = vi.spyOn(console, 'error');
});

afterEach(() => {
  const calls = spy?.mock.calls ?? [];
  spy?.mockRestore();
  if (!allowed) expect(calls, 'unexpected console.error').toEqual([]);
});

export function expectConsoleError() {
  allowed = true;
}
