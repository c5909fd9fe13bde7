import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Database } from './client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies every pending migration in one batch: libSQL runs it as a single transaction, so a
 * failing statement leaves the database exactly as it was. Forward-only; there are no downs.
 */
export async function applyMigrations(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<number> {
  const before = await appliedCount(db);
  try {
    await migrate(db, { migrationsFolder });
  } catch (err) {
    const reason = rootMessage(err);
    throw new MigrationError(
      `A database migration failed and nothing was applied (${reason}): fix the migration in db/migrations, or the database it runs against, and start again.`,
      { cause: err },
    );
  }
  return (await appliedCount(db)) - before;
}

async function appliedCount(db: Database): Promise<number> {
  try {
    const result = await db.$client.execute('select count(*) as n from __drizzle_migrations');
    return Number(result.rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

function rootMessage(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : String(e);
}
