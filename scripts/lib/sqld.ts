import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Fatal } from './fail.ts';

const require = createRequire(import.meta.url);

/**
 * Finds the libSQL server binary shipped by the @sqld/<platform> packages (declared as
 * optionalDependencies, so only the one for this machine is installed). SQLD_BIN overrides.
 */
export function findSqldBinary(platform: string = process.platform, arch: string = process.arch): string {
  const override = process.env.SQLD_BIN;
  if (override) {
    if (!existsSync(override))
      throw new Fatal(`SQLD_BIN points at ${override}, which does not exist: fix the path or unset it.`);
    return override;
  }
  const pkg = `@sqld/${platform}-${arch}`;
  try {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`));
    for (const candidate of [path.join(dir, 'sqld'), path.join(dir, 'bin', 'sqld')]) {
      if (existsSync(candidate)) return candidate;
    }
  } catch {
    /* not installed for this platform */
  }
  throw new Fatal(
    `No libSQL server (sqld) binary is available for ${platform}-${arch}: set DATABASE_URL to a libSQL server or Turso database instead.`,
  );
}

export interface SqldServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Resolves once the server has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts sqld on loopback with its data in `dataDir`, and waits until it answers. */
export async function startSqld(options: { dataDir: string; port: number; quiet?: boolean }): Promise<SqldServer> {
  const binary = findSqldBinary();
  await mkdir(options.dataDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '--http-listen-addr',
      `127.0.0.1:${options.port}`,
      '--db-path',
      path.join(options.dataDir, 'hearth.sqld'),
      '--no-welcome',
    ],
    {
      stdio: ['ignore', options.quiet ? 'ignore' : 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'error' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Whoever ends this process (a signal handler in a dependency may call process.exit), the
  // server must not outlive it and keep holding the data directory.
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${options.port}`;
  const server: SqldServer = {
    url,
    port: options.port,
    process: child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const detail = stderr.trim().split('\n').slice(-3).join(' ');
      throw new Fatal(
        `The libSQL server stopped as it started (${detail || `exit code ${child.exitCode}`}): check that ${options.dataDir} is writable and not used by another sqld.`,
      );
    }
    if (await answers(url)) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Fatal(
    `The libSQL server did not answer on ${url} within 20 seconds: check ${options.dataDir} and try again.`,
  );
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
