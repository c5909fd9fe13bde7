/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded server. */
import { migrateOrExplain, openLocalDatabase, redact } from './lib/database.ts';
import { runMain } from './lib/fail.ts';
import { readLocalConfig } from './lib/local-config.ts';

runMain(async () => {
  const local = await openLocalDatabase(readLocalConfig(), { quiet: true });
  try {
    const applied = await migrateOrExplain(local);
    console.log(
      applied ? `Applied ${applied} migration(s) to ${redact(local.url)}.` : `${redact(local.url)} is up to date.`,
    );
  } finally {
    await local.close();
  }
});
