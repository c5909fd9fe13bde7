import { createDatabase, type Database } from '#db/client.ts';
import { createApp, type AppType } from './app.ts';
import { parseConfig, type Config } from './config.ts';

/**
 * The Worker's long-lived pieces, built once per isolate from its bindings: the config, one
 * libSQL HTTP client, and the Hono app. Astro pages and the /api endpoint share them.
 */
export interface Runtime {
  config: Config;
  db: Database;
  app: AppType;
}

let cached: { key: string; runtime: Runtime } | undefined;

export function getRuntime(env: Record<string, unknown>): Runtime {
  const config = parseConfig(env);
  const key = `${config.DATABASE_URL}\u0000${config.DATABASE_AUTH_TOKEN ?? ''}`;
  if (cached?.key !== key) {
    const db = createDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
    cached = { key, runtime: { config, db, app: createApp({ db }) } };
  }
  return cached.runtime;
}
