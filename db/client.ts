import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema/index.ts';

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

export interface DatabaseConfig {
  /** `file:path.db` (Node only), `http(s)://` for sqld, or `libsql://` for Turso. */
  url: string;
  authToken?: string | undefined;
  /**
   * Milliseconds before a request to a remote server is abandoned. A stopped (not crashed)
   * server makes requests hang rather than fail, so the client needs its own deadline.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 4_000;

/** Builds a libSQL client wrapped in drizzle. One per process in Node, one per isolate in workerd. */
export function createDatabase(config: DatabaseConfig): Database {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const remote = !config.url.startsWith('file:') && config.url !== ':memory:';
  const client = createClient({
    url: config.url,
    authToken: config.authToken || undefined,
    ...(remote ? { fetch: withDeadline(timeoutMs) } : {}),
  });
  return drizzle(client, { schema });
}

/** Applies the per-connection settings a local file database needs. Remote servers own theirs. */
export async function prepareFileDatabase(db: Database): Promise<void> {
  await db.$client.execute('PRAGMA journal_mode = WAL');
  await db.$client.execute('PRAGMA busy_timeout = 5000');
  await db.$client.execute('PRAGMA foreign_keys = ON');
}

function withDeadline(timeoutMs: number) {
  return (input: Request | string | URL, init?: RequestInit) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

export { schema };
