import { createClient, type Client, type InStatement, type InValue } from '@libsql/client';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Fatal } from './fail.ts';

interface SchemaObject {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  sql: string;
}
interface Snapshot {
  objects: SchemaObject[];
  rows: Map<string, { columns: string[]; values: InValue[][] }>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const SCHEMA_QUERY =
  "select type, name, sql from sqlite_schema where sql is not null and name not like 'sqlite_%' and name not like 'libsql_%' and name not like '_litestream%' order by case type when 'table' then 0 when 'index' then 1 else 2 end, rowid";

const FTS5_SHADOWS = ['data', 'idx', 'content', 'docsize', 'config'];
const isVirtual = (o: SchemaObject) => o.type === 'table' && /^create\s+virtual\s+table/i.test(o.sql);

/**
 * Full-text indexes (FTS5 virtual tables) are not copied: their shadow tables are recreated with
 * the virtual table, and the index is rebuilt from its content view after the rows are in.
 */
const withoutSearchShadows = (objects: SchemaObject[]) => {
  const shadows = new Set(
    objects.filter(isVirtual).flatMap((v) => FTS5_SHADOWS.map((suffix) => `${v.name}_${suffix}`)),
  );
  return objects.filter((o) => !shadows.has(o.name));
};
const rebuildSearch = (objects: SchemaObject[]) =>
  objects.filter(isVirtual).map((v) => `insert into ${quote(v.name)}(${quote(v.name)}) values ('rebuild')`);

/** Reads schema and rows inside one read transaction, so the copy is consistent. */
async function readSnapshot(client: Client): Promise<Snapshot> {
  const tx = await client.transaction('read');
  try {
    const objects = withoutSearchShadows(
      (await tx.execute(SCHEMA_QUERY)).rows.map((r) => ({
        type: String(r.type) as SchemaObject['type'],
        name: String(r.name),
        sql: String(r.sql),
      })),
    );
    const rows: Snapshot['rows'] = new Map();
    for (const table of objects.filter((o) => o.type === 'table' && !isVirtual(o))) {
      const result = await tx.execute(`select * from ${quote(table.name)}`);
      rows.set(table.name, {
        columns: result.columns,
        values: result.rows.map((r) => result.columns.map((_, i) => r[i] as InValue)),
      });
    }
    return { objects, rows };
  } finally {
    tx.close();
  }
}

function insertStatements(snapshot: Snapshot): InStatement[] {
  const statements: InStatement[] = [];
  for (const [table, { columns, values }] of snapshot.rows) {
    if (!columns.length) continue;
    const sql = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    for (const args of values) statements.push({ sql, args });
  }
  return statements;
}

/** Throws unless the database passes SQLite's integrity and foreign-key checks. */
export async function verify(client: Client, label: string): Promise<void> {
  const integrity = await client.execute('pragma integrity_check');
  const verdict = integrity.rows.map((r) => String(r[0])).join('; ');
  if (verdict !== 'ok')
    throw new Fatal(`${label} failed its integrity check (${verdict.slice(0, 200)}): it cannot be used.`);
  const fk = await client.execute('pragma foreign_key_check');
  if (fk.rows.length)
    throw new Fatal(`${label} has ${fk.rows.length} broken foreign key reference(s): it cannot be used.`);
}

/** Writes a consistent snapshot of `source` to a new SQLite file and checks it. */
export async function backup(source: Client, dir: string, now = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `hearth-${stamp}.db`);
  const snapshot = await readSnapshot(source);
  const target = createClient({ url: `file:${file}`, intMode: 'bigint' });
  try {
    const tables = snapshot.objects.filter((o) => o.type === 'table').map((o) => o.sql);
    const rest = snapshot.objects.filter((o) => o.type !== 'table').map((o) => o.sql);
    await target.migrate([...tables, ...insertStatements(snapshot), ...rest, ...rebuildSearch(snapshot.objects)]);
    await verify(target, 'The new backup');
  } catch (err) {
    target.close();
    await rm(file, { force: true });
    throw err;
  }
  target.close();
  return file;
}

/** Opens a backup file, checks it and reads it whole. Throws `Fatal` with the reason if unusable. */
export async function readBackup(file: string): Promise<Snapshot> {
  if (!existsSync(file)) throw new Fatal(`There is no backup at ${file}: pass the path of a file in .data/backups.`);
  const source = createClient({ url: `file:${file}`, intMode: 'bigint' });
  let snapshot: Snapshot;
  try {
    await verify(source, `The backup ${path.basename(file)}`).catch((err) => {
      if (err instanceof Fatal) throw err;
      throw new Fatal(`${path.basename(file)} is not a readable SQLite database: choose another backup.`);
    });
    snapshot = await readSnapshot(source);
  } finally {
    source.close();
  }
  if (!snapshot.rows.has('__drizzle_migrations')) {
    throw new Fatal(
      `${path.basename(file)} is not a Hearth backup (it has no migration history): choose another file.`,
    );
  }
  return snapshot;
}

/**
 * Replaces everything in `target` with the contents of a backup file, in one transaction with
 * foreign keys checked at the end: either the whole backup is restored or nothing changes.
 */
export async function restore(target: Client, file: string): Promise<{ tables: number; rows: number }> {
  const snapshot = await readBackup(file);
  const current = withoutSearchShadows(
    (await target.execute(SCHEMA_QUERY)).rows.map((r) => ({
      type: String(r.type) as SchemaObject['type'],
      name: String(r.name),
      sql: String(r.sql),
    })),
  );
  const drops = current
    .filter((o) => o.type === 'table' || o.type === 'view')
    .map((o) => `drop ${o.type} if exists ${quote(o.name)}`);
  const tables = snapshot.objects.filter((o) => o.type === 'table').map((o) => o.sql);
  const rest = snapshot.objects.filter((o) => o.type !== 'table').map((o) => o.sql);
  const inserts = insertStatements(snapshot);
  await target.migrate([...drops, ...tables, ...inserts, ...rest, ...rebuildSearch(snapshot.objects)]);
  const fk = await target.execute('pragma foreign_key_check');
  if (fk.rows.length) throw new Fatal(`The restored data has ${fk.rows.length} broken foreign key reference(s).`);
  return { tables: snapshot.rows.size, rows: inserts.length };
}
