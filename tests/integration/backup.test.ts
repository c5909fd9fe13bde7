import { createClient } from '@libsql/client';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { backup, restore } from '#scripts/lib/backup.ts';
import { DEMO_MEMBER_COUNT, seedDemoCommunity } from '#db/seed.ts';
import { createDatabase } from '#db/client.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function seededCopy() {
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-backup-'));
  dirs.push(dir);
  const file = path.join(dir, 'live.db');
  await copyFile(inject('templateDb'), file);
  const db = createDatabase({ url: `file:${file}` });
  await seedDemoCommunity(db);
  db.$client.close();
  return { dir, client: createClient({ url: `file:${file}`, intMode: 'bigint' }) };
}
const count = async (client: ReturnType<typeof createClient>, table: string) =>
  Number((await client.execute(`select count(*) from ${table}`)).rows[0]![0]);

describe('backup and restore', () => {
  it('round-trips the data exactly', async () => {
    const { dir, client } = await seededCopy();
    // Counts kept by triggers (survey_counts) come back as they were: restored, not counted twice.
    const surveyCounts = async () =>
      (
        await client.execute(
          'select survey, segment, key, question, answer, n from survey_counts order by 1, 2, 3, 4, 5',
        )
      ).rows;
    const counted = await surveyCounts();
    expect(counted.length).toBeGreaterThan(0);
    const file = await backup(client, path.join(dir, 'backups'));
    expect(path.basename(file)).toMatch(/^hearth-\d{8}T\d{6}Z\.db$/);

    await client.execute('delete from user_roles');
    await client.execute("update users set display_name = 'changed'");
    await client.execute('create table stray (id integer)');

    const result = await restore(client, file);
    expect(result.rows).toBeGreaterThan(DEMO_MEMBER_COUNT);
    expect(await count(client, 'users')).toBe(DEMO_MEMBER_COUNT);
    expect(await count(client, 'user_roles')).toBeGreaterThan(0);
    expect(await count(client, "users where display_name = 'changed'")).toBe(0);
    const tables = (await client.execute("select name from sqlite_schema where type='table'")).rows.map((r) => r[0]);
    expect(tables).not.toContain('stray');
    expect(await surveyCounts()).toEqual(counted);
    client.close();
  });

  it('refuses a corrupt file and leaves the database untouched', async () => {
    const { dir, client } = await seededCopy();
    const bad = path.join(dir, 'bad.db');
    await writeFile(bad, 'this is not a database');
    await expect(restore(client, bad)).rejects.toThrow(/not a readable SQLite database/);
    expect(await count(client, 'users')).toBe(DEMO_MEMBER_COUNT);
    client.close();
  });

  it('refuses a SQLite file that is not a Hearth backup', async () => {
    const { dir, client } = await seededCopy();
    const other = path.join(dir, 'other.db');
    const o = createClient({ url: `file:${other}` });
    await o.execute('create table notes (id integer)');
    o.close();
    await expect(restore(client, other)).rejects.toThrow(/not a Hearth backup/);
    client.close();
  });
});
