import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';
import { seedDemoCommunity } from '#db/seed.ts';
import { build, isBuildStale } from '#scripts/lib/build.ts';
import { freePort } from '#scripts/lib/ports.ts';
import { startSqld, type SqldServer } from '#scripts/lib/sqld.ts';
import { serveBuild } from '#scripts/lib/worker.ts';

/**
 * The deployable artifact as it runs for real: a sqld on a free loopback port with its own
 * data directory, migrated and seeded, and the production build in workerd in front of it.
 */
export async function startStack(options: { staffTwoFactor?: 'required' | 'optional' } = {}) {
  if (await isBuildStale()) await build();
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-stack-'));
  const dataDir = path.join(dir, 'sqld');
  let sqld: SqldServer = await startSqld({ dataDir, port: await freePort(), quiet: true });
  const db = createDatabase({ url: sqld.url });
  await applyMigrations(db);
  await seedDemoCommunity(db);
  db.$client.close();
  const worker = await serveBuild({
    port: await freePort(),
    databaseUrl: sqld.url,
    hearthEnv: 'test',
    totpEncryptionKey: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    staffTwoFactor: options.staffTwoFactor,
  });
  const url = (await worker.url).origin;
  return {
    url,
    get sqld() {
      return sqld;
    },
    fetch: (p: string, init?: RequestInit) => fetch(`${url}${p}`, { redirect: 'manual', ...init }),
    /** The stack's database, for tests that arrange rows directly. Close it when done. */
    database: () => createDatabase({ url: sqld.url }),
    /** Kills sqld outright, as a crash would. */
    async killSqld() {
      sqld.process.kill('SIGKILL');
      await sqld.exited;
    },
    async restartSqld() {
      sqld = await startSqld({ dataDir, port: sqld.port, quiet: true });
    },
    async stop() {
      await worker.dispose();
      await sqld.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
