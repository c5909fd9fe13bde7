import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';
import { createDatabase, prepareFileDatabase, type Database } from '#db/client.ts';

/** A fresh, migrated libSQL file for this test file, removed afterwards. */
export async function createTestDb(): Promise<Database> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-test-'));
  const file = path.join(dir, 'test.db');
  await copyFile(inject('templateDb'), file);
  const db = createDatabase({ url: `file:${file}` });
  await prepareFileDatabase(db);
  afterAll(async () => {
    db.$client.close();
    await rm(dir, { recursive: true, force: true });
  });
  return db;
}
