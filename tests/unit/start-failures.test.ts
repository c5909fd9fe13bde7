import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalConfig } from '#scripts/lib/local-config.ts';
import { findSqldBinary } from '#scripts/lib/sqld.ts';
import { Fatal } from '#scripts/lib/fail.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function runStart(env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'scripts/start.ts')],
      { env: { ...process.env, ...env }, timeout: 20_000 },
      (err, _out, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
      },
    );
  });
}

describe('start-up failures end with one sentence that names the fix', () => {
  it('port in use', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const { code, stderr } = await runStart({
        PORT: String(port),
        HEARTH_DATA_DIR: path.join(ROOT, '.data/test-never-used'),
      });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `✖ Port ${port} is in use: stop whatever is using it, or choose another port, e.g. PORT=${port + 1} npm start.`,
      );
    } finally {
      server.close();
    }
  });

  it('no sqld binary for this platform', () => {
    expect(() => findSqldBinary('plan9', 'mips')).toThrow(Fatal);
    expect(() => findSqldBinary('plan9', 'mips')).toThrow(/set DATABASE_URL to a libSQL server or Turso/);
  });

  it('a bad setting names the variable', () => {
    expect(() => readLocalConfig({ PORT: 'abc' })).toThrow(/PORT must be a port number/);
    expect(() => readLocalConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/DATABASE_URL must start with/);
    expect(readLocalConfig({}).port).toBe(4321);
  });
});
