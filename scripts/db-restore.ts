/**
 * `npm run db:restore FILE`: checks FILE, takes a safety backup of the current data, then replaces
 * the database with FILE's contents in one transaction.
 */
import { createClient } from '@libsql/client';
import path from 'node:path';
import { backup, readBackup, restore } from './lib/backup.ts';
import { openLocalDatabase } from './lib/database.ts';
import { Fatal, runMain } from './lib/fail.ts';
import { readLocalConfig } from './lib/local-config.ts';

runMain(async () => {
  const file = process.argv[2];
  if (!file) throw new Fatal('Name the backup to restore: npm run db:restore .data/backups/hearth-<date>.db');
  await readBackup(path.resolve(file)); // refuse a bad file before touching anything
  const config = readLocalConfig();
  const local = await openLocalDatabase(config, { quiet: true });
  const client = createClient({ url: local.url, authToken: local.authToken, intMode: 'bigint' });
  try {
    const safety = await backup(client, path.join(config.dataDir, 'backups'));
    console.log(`Safety backup of the current data: ${path.relative(process.cwd(), safety)}`);
    const { tables, rows } = await restore(client, path.resolve(file));
    console.log(`Restored ${rows} rows in ${tables} tables from ${file}.`);
  } finally {
    client.close();
    await local.close();
  }
});
