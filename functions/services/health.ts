import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';

export type DatabaseStatus = 'ok' | 'unreachable';

/**
 * Asks the database a trivial question within `deadlineMs`. Any failure, including a server that
 * accepted the connection and went silent, counts as unreachable.
 */
export async function checkDatabase(db: Database, deadlineMs = 3_000): Promise<DatabaseStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<DatabaseStatus>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), deadlineMs);
  });
  const probe = db
    .run(sql`select 1`)
    .then((): DatabaseStatus => 'ok')
    .catch((): DatabaseStatus => 'unreachable');
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
