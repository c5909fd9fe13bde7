import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client.ts';
import { applyMigrations, MIGRATIONS_FOLDER, MigrationError } from '#db/migrate.ts';
import { isSeedAllowed } from '#db/seed.ts';
import { allTableNames } from '#db/tables.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-migrate-'));
  dirs.push(dir);
  return dir;
}
const tables = async (db: ReturnType<typeof createDatabase>) =>
  (
    await db.$client.execute(
      "select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name",
    )
  ).rows.map((r) => String(r.name));

describe('migrations', () => {
  it('create every table the schema declares, once', async () => {
    const db = createDatabase({ url: `file:${path.join(await tempDir(), 'a.db')}` });
    expect(await applyMigrations(db)).toBeGreaterThan(0);
    expect(await applyMigrations(db)).toBe(0);
    expect(allTableNames.length).toBeGreaterThan(3);
    expect(await tables(db)).toEqual(expect.arrayContaining(allTableNames));
    db.$client.close();
  });

  it('apply nothing at all when one of them fails', async () => {
    const dir = await tempDir();
    const folder = path.join(dir, 'migrations');
    await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, 'meta/_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as {
      entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
    };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
    await writeFile(journalFile, JSON.stringify(journal));
    await writeFile(
      path.join(folder, '9999_broken.sql'),
      'CREATE TABLE half_done (id integer);\n--> statement-breakpoint\nTHIS IS NOT SQL;',
    );

    const db = createDatabase({ url: `file:${path.join(dir, 'b.db')}` });
    const error = await applyMigrations(db, folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/nothing was applied/);
    expect(await tables(db)).not.toContain('half_done');
    expect(await tables(db)).not.toContain('users');
    db.$client.close();
  });
});

describe('isSeedAllowed', () => {
  it('allows only local databases outside production', () => {
    expect(isSeedAllowed('http://127.0.0.1:8080', 'development')).toBe(true);
    expect(isSeedAllowed('file:.data/x.db', undefined)).toBe(true);
    expect(isSeedAllowed('libsql://hearth-prod.turso.io', 'development')).toBe(false);
    expect(isSeedAllowed('http://127.0.0.1:8080', 'production')).toBe(false);
  });
});
