import { createClient } from '@libsql/client';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backup, restore } from '#scripts/lib/backup.ts';

// The FTS5 index over threads and posts is kept in step by triggers (migration 0009) and is not a
// drizzle table, so these tests talk SQL to it directly.
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function freshDatabase() {
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-search-'));
  dirs.push(dir);
  const file = path.join(dir, 'search.db');
  await copyFile(inject('templateDb'), file);
  const client = createClient({ url: `file:${file}` });
  await client.execute('pragma foreign_keys = on');
  return { dir, client };
}

type Client = ReturnType<typeof createClient>;

async function thread(client: Client, id: string, title: string, bodies: string[]) {
  await client.execute({
    sql: "insert into threads (id, category, title, last_post_at) values (?, 'general', ?, 0)",
    args: [id, title],
  });
  for (const [i, body] of bodies.entries())
    await client.execute({
      sql: "insert into posts (id, thread_id, seq, body, body_html) values (?, ?, ?, ?, '')",
      args: [`${id}-p${i + 1}`, id, i + 1, body],
    });
}

/** Post ids matching a full-text query, with the title highlighted where it matched. */
async function search(client: Client, query: string) {
  const result = await client.execute({
    sql: `select p.id, highlight(discussion_search, 0, '[', ']') as title from discussion_search
      join posts p on p.rowid = discussion_search.rowid where discussion_search match ? order by p.id`,
    args: [query],
  });
  return result.rows.map((r) => ({ id: String(r.id), title: String(r.title) }));
}

describe('discussion search index', () => {
  it('indexes a thread title with its opening post, and every reply', async () => {
    const { client } = await freshDatabase();
    await thread(client, 't1', 'Coping with exam nerves', ['What helps before an exam?', 'Breathing slowly helps me.']);
    expect(await search(client, 'exam')).toEqual([{ id: 't1-p1', title: 'Coping with [exam] nerves' }]);
    expect((await search(client, 'breathing')).map((r) => r.id)).toEqual(['t1-p2']);
    // Accents fold: "estrés" is found by "estres".
    await thread(client, 't2', 'Hablemos del estrés', ['Me cuesta dormir.']);
    expect((await search(client, 'estres')).map((r) => r.id)).toEqual(['t2-p1']);
    client.close();
  });

  it('follows edits, new titles and deletions, leaving no stale entries', async () => {
    const { client } = await freshDatabase();
    await thread(client, 't1', 'Group project worries', ['Our group never replies.', 'Try a shared calendar.']);
    await client.execute("update posts set body = 'Try a weekly check-in.' where id = 't1-p2'");
    expect(await search(client, 'calendar')).toEqual([]);
    expect((await search(client, 'weekly')).map((r) => r.id)).toEqual(['t1-p2']);

    await client.execute("update threads set title = 'Teamwork on a group assignment' where id = 't1'");
    expect(await search(client, 'worries')).toEqual([]);
    expect((await search(client, 'teamwork')).map((r) => r.id)).toEqual(['t1-p1']);

    await client.execute("delete from posts where id = 't1-p2'");
    expect(await search(client, 'weekly')).toEqual([]);
    await client.execute("delete from threads where id = 't1'");
    expect(await search(client, 'teamwork OR group OR replies')).toEqual([]);
    // The index agrees with its content exactly (FTS5's own consistency check).
    await expect(
      client.execute("insert into discussion_search(discussion_search, rank) values ('integrity-check', 1)"),
    ).resolves.toBeDefined();
    client.close();
  });

  it('is rebuilt after a backup is restored', async () => {
    const { dir, client } = await freshDatabase();
    await thread(client, 't1', 'Finding a study buddy', ['Anyone in the evening cohort?']);
    const file = await backup(client, path.join(dir, 'backups'));
    await client.execute("delete from threads where id = 't1'");
    expect(await search(client, 'buddy')).toEqual([]);

    await restore(client, file);
    expect((await search(client, 'buddy')).map((r) => r.id)).toEqual(['t1-p1']);
    expect((await search(client, 'evening')).map((r) => r.id)).toEqual(['t1-p1']);
    // New posts after a restore are indexed too: the triggers came back with the schema.
    await client.execute(
      "insert into posts (id, thread_id, seq, body, body_html) values ('t1-p2', 't1', 2, 'Count me in!', '')",
    );
    expect((await search(client, 'count')).map((r) => r.id)).toEqual(['t1-p2']);
    client.close();
  });
});
