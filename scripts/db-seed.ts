/** `npm run db:seed`: seeds the demo community into a local database, once. Refuses remote ones. */
import { isSeedAllowed, seedDemoCommunity } from '#db/seed.ts';
import { migrateOrExplain, openLocalDatabase, redact } from './lib/database.ts';
import { Fatal, runMain } from './lib/fail.ts';
import { readLocalConfig } from './lib/local-config.ts';

runMain(async () => {
  const local = await openLocalDatabase(readLocalConfig(), { quiet: true });
  try {
    if (!isSeedAllowed(local.url)) {
      throw new Fatal(
        `Refusing to seed demo accounts into ${redact(local.url)}: the demo community is for local databases only.`,
      );
    }
    await migrateOrExplain(local);
    console.log(
      (await seedDemoCommunity(local.db))
        ? 'Seeded the demo community.'
        : 'The demo community was already seeded; nothing changed.',
    );
  } finally {
    await local.close();
  }
});
