import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatabase, prepareFileDatabase, type Database } from '#db/client.ts';
import { applyMigrations, MigrationError } from '#db/migrate.ts';
import { Fatal } from './fail.ts';
import type { LocalConfig } from './local-config.ts';
import { freePort, isPortFree } from './ports.ts';
import { startSqld, type SqldServer } from './sqld.ts';

export interface LocalDatabase {
  url: string;
  authToken: string | undefined;
  db: Database;
  /** Present when this process started the embedded server. */
  sqld: SqldServer | undefined;
  embedded: boolean;
  close(): Promise<void>;
}

const stateFile = (config: LocalConfig) => path.join(config.dataDir, 'sqld.json');

/**
 * Connects to the database Hearth should use: DATABASE_URL when set, otherwise the embedded sqld
 * of a running `npm start`, otherwise a new embedded sqld with its data in HEARTH_DATA_DIR.
 */
export async function openLocalDatabase(
  config: LocalConfig,
  options: { quiet?: boolean } = {},
): Promise<LocalDatabase> {
  if (config.databaseUrl) {
    const db = createDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken, timeoutMs: 15_000 });
    if (config.databaseUrl.startsWith('file:')) await prepareFileDatabase(db);
    return {
      url: config.databaseUrl,
      authToken: config.databaseAuthToken,
      db,
      sqld: undefined,
      embedded: false,
      close: async () => db.$client.close(),
    };
  }
  await stopOrphanedServer(config);
  const running = runningEmbeddedServer(config);
  if (running) {
    const db = createDatabase({ url: running, timeoutMs: 15_000 });
    return {
      url: running,
      authToken: undefined,
      db,
      sqld: undefined,
      embedded: true,
      close: async () => db.$client.close(),
    };
  }
  const port = config.sqldPort ?? (await freePort());
  if (config.sqldPort && !(await isPortFree(port))) {
    throw new Fatal(
      `Port ${port} (HEARTH_SQLD_PORT) is in use: free it, or unset HEARTH_SQLD_PORT to let Hearth pick a free one.`,
    );
  }
  const sqld = await startSqld({ dataDir: path.join(config.dataDir, 'sqld'), port, quiet: options.quiet });
  await writeFile(stateFile(config), JSON.stringify({ url: sqld.url, pid: process.pid, sqldPid: sqld.process.pid }));
  const db = createDatabase({ url: sqld.url, timeoutMs: 15_000 });
  return {
    url: sqld.url,
    authToken: undefined,
    db,
    sqld,
    embedded: true,
    async close() {
      db.$client.close();
      await sqld.stop();
      await rm(stateFile(config), { force: true });
    },
  };
}

/**
 * A sqld left running by a Hearth process that was killed outright (SIGKILL) still holds the
 * data directory. Stop it, so this start can take over the same data.
 */
async function stopOrphanedServer(config: LocalConfig): Promise<void> {
  const file = stateFile(config);
  if (!existsSync(file)) return;
  let state: { pid: number; sqldPid: number };
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; sqldPid: number };
  } catch {
    return;
  }
  if (isAlive(state.pid) || !isAlive(state.sqldPid) || !isSqld(state.sqldPid)) return;
  process.kill(state.sqldPid, 'SIGTERM');
  for (let i = 0; i < 50 && isAlive(state.sqldPid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(state.sqldPid)) process.kill(state.sqldPid, 'SIGKILL');
  await rm(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isSqld(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sqld');
  } catch {
    return process.platform === 'darwin'; // no /proc: trust the state file
  }
}

/** The URL of an embedded sqld that another Hearth process started and still runs. */
function runningEmbeddedServer(config: LocalConfig): string | undefined {
  const file = stateFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number; sqldPid: number };
    process.kill(state.pid, 0);
    process.kill(state.sqldPid, 0);
    return state.url;
  } catch {
    return undefined;
  }
}

/** Applies pending migrations, turning a failure into one sentence. */
export async function migrateOrExplain(local: LocalDatabase): Promise<number> {
  try {
    return await applyMigrations(local.db);
  } catch (err) {
    if (err instanceof MigrationError) throw new Fatal(err.message);
    throw new Fatal(
      `Could not reach the database at ${redact(local.url)} (${(err as Error).message}): check DATABASE_URL and that the server is running.`,
    );
  }
}

/** A URL fit for a log line: no credentials, no query string. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'the configured database';
  }
}
