/**
 * `npm start` (production build in workerd) and `npm run dev` (Astro dev server): start the
 * embedded libSQL server unless DATABASE_URL is set, migrate, seed a demo community on the first
 * start, build when stale, serve, and stop everything cleanly on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isSeedAllowed, seedDemoCommunity } from '#db/seed.ts';
import { build, isBuildStale } from './lib/build.ts';
import { migrateOrExplain, openLocalDatabase, redact, type LocalDatabase } from './lib/database.ts';
import { Fatal, runMain } from './lib/fail.ts';
import { localTotpKey, readLocalConfig, ROOT } from './lib/local-config.ts';
import { isPortFree } from './lib/ports.ts';
import { startSqld } from './lib/sqld.ts';
import { serveBuild } from './lib/worker.ts';

const mode = process.argv[2] === 'dev' ? 'dev' : 'start';
const say = (line: string) => console.log(`hearth · ${line}`);

runMain(async () => {
  const config = readLocalConfig();
  if (!(await isPortFree(config.port)) || !(await isPortFree(config.port, '::1').catch(() => true))) {
    throw new Fatal(
      `Port ${config.port} is in use: stop whatever is using it, or choose another port, e.g. PORT=${config.port + 1} npm ${mode === 'dev' ? 'run dev' : 'start'}.`,
    );
  }

  const local = await openLocalDatabase(config);
  let stopping = false;
  const cleanups: (() => Promise<void>)[] = [];
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await local.close().catch(() => {});
    say('stopped');
    process.exit(code);
  };
  // Persistent listeners, not `once`: wrangler's signal-exit re-raises a signal that no other
  // listener is left to handle, which would kill this process before its children are stopped.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));

  try {
    say(
      local.sqld
        ? `libSQL server on ${local.url}, data in ${path.relative(ROOT, config.dataDir) || '.'}`
        : `database ${redact(local.url)}`,
    );
    const applied = await migrateOrExplain(local);
    say(applied ? `applied ${applied} migration${applied === 1 ? '' : 's'}` : 'database schema is up to date');
    if (local.embedded && isSeedAllowed(local.url) && (await seedDemoCommunity(local.db))) {
      say('seeded the demo community (accounts are listed in the README)');
    }
    if (local.sqld) superviseSqld(local, config.dataDir, () => stopping);
    const totpEncryptionKey = await localTotpKey(config);

    if (mode === 'dev') {
      const child = startAstroDev(config.port, local, totpEncryptionKey);
      cleanups.push(() => stopChild(child));
      child.once('exit', (code) => void shutdown(code ?? 0));
      return;
    }

    if (await isBuildStale()) {
      say('building (sources changed since the last build)…');
      await build();
    } else {
      say('build is up to date');
    }
    const worker = await serveBuild({
      port: config.port,
      host: 'localhost',
      databaseUrl: local.url,
      databaseAuthToken: local.authToken,
      totpEncryptionKey,
      hearthEnv: 'development',
    });
    cleanups.push(() => worker.dispose());
    say(`Hearth is running at http://localhost:${config.port}  (Ctrl-C to stop)`);
  } catch (err) {
    await local.close().catch(() => {});
    throw err;
  }
});

/**
 * If the embedded server dies while Hearth runs, say so and bring it back on the same port and
 * data directory. Meanwhile /api/health answers 503 and static pages keep working.
 */
function superviseSqld(local: LocalDatabase, dataDir: string, isStopping: () => boolean) {
  const watch = (server: NonNullable<LocalDatabase['sqld']>) => {
    void server.exited.then(async (code) => {
      if (isStopping()) return;
      say(`the libSQL server stopped unexpectedly (exit ${code ?? 'by signal'}); restarting it…`);
      for (let attempt = 1; !isStopping(); attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
        try {
          const next = await startSqld({ dataDir: path.join(dataDir, 'sqld'), port: server.port });
          local.sqld = next;
          say('the libSQL server is back');
          watch(next);
          return;
        } catch (err) {
          say(`could not restart the libSQL server yet (${(err as Error).message}); trying again`);
        }
      }
    });
  };
  watch(local.sqld!);
}

function startAstroDev(port: number, local: LocalDatabase, totpEncryptionKey: string): ChildProcess {
  // wrangler passes DATABASE_URL and TOTP_ENCRYPTION_KEY (declared in wrangler.toml [secrets]) from this environment
  // into the dev Worker, unless a .dev.vars file exists, which then wins.
  return spawn(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: local.url,
      TOTP_ENCRYPTION_KEY: totpEncryptionKey,
      ...(local.authToken ? { DATABASE_AUTH_TOKEN: local.authToken } : {}),
      HEARTH_ENV: 'development',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
