/** `npm run db:backup`: a consistent, checked snapshot in .data/backups (HEARTH_DATA_DIR/backups). */
import { createClient } from '@libsql/client';
import path from 'node:path';
import { backup } from './lib/backup.ts';
import { openLocalDatabase } from './lib/database.ts';
import { runMain } from './lib/fail.ts';
import { readLocalConfig } from './lib/local-config.ts';

runMain(async () => {
  const config = readLocalConfig();
  const local = await openLocalDatabase(config, { quiet: true });
  const client = createClient({ url: local.url, authToken: local.authToken, intMode: 'bigint' });
  try {
    const file = await backup(client, path.join(config.dataDir, 'backups'));
    console.log(`Backup written and checked: ${path.relative(process.cwd(), file)}`);
  } finally {
    client.close();
    await local.close();
  }
});
