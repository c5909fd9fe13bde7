import { defineConfig } from 'vitest/config';

/**
 * Three layers, one command. `node` runs the Hono app in-process against a libSQL file copied
 * from a migrated template; `worker` runs the production build in workerd against a real sqld;
 * `browser` drives Chromium over the same build. Each test file starts what it needs.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/node-global.ts'],
          setupFiles: ['tests/setup/console-guard.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          setupFiles: ['tests/setup/console-guard.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
