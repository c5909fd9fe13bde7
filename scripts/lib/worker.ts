import path from 'node:path';
import { unstable_startWorker } from 'wrangler';

export const BUILT_WORKER_CONFIG = path.resolve(import.meta.dirname, '../../dist/server/wrangler.json');

export interface ServeOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  databaseAuthToken?: string | undefined;
  /** Seals TOTP secrets (base64, 32 bytes). */
  totpEncryptionKey: string;
  hearthEnv?: 'production' | 'development' | 'test';
  /** Overrides STAFF_TWO_FACTOR from the environment (tests that act as staff without a phone). */
  staffTwoFactor?: 'required' | 'optional' | undefined;
}

/**
 * Runs the production build (dist/server/wrangler.json, written by `astro build`) in workerd
 * through wrangler, exactly as `wrangler deploy` would ship it, with the database bindings given.
 * Used by `npm start` and by the worker test layer.
 */
export async function serveBuild(options: ServeOptions) {
  const bindings: Record<string, { type: 'plain_text' | 'secret_text'; value: string }> = {
    DATABASE_URL: { type: 'plain_text', value: options.databaseUrl },
    HEARTH_ENV: { type: 'plain_text', value: options.hearthEnv ?? 'development' },
    TOTP_ENCRYPTION_KEY: { type: 'secret_text', value: options.totpEncryptionKey },
  };
  // Local override of the staff two-factor requirement (README, Demo community).
  const staffTwoFactor = options.staffTwoFactor ?? process.env.STAFF_TWO_FACTOR;
  if (staffTwoFactor) bindings.STAFF_TWO_FACTOR = { type: 'plain_text', value: staffTwoFactor };
  if (options.databaseAuthToken)
    bindings.DATABASE_AUTH_TOKEN = { type: 'secret_text', value: options.databaseAuthToken };
  // wrangler checks the secrets wrangler.toml declares against this process's environment and
  // warns when one is missing, even though the binding above provides it.
  process.env.DATABASE_URL ??= options.databaseUrl;
  process.env.TOTP_ENCRYPTION_KEY ??= options.totpEncryptionKey;
  const worker = await unstable_startWorker({
    config: BUILT_WORKER_CONFIG,
    bindings,
    dev: {
      server: { hostname: options.host ?? '127.0.0.1', port: options.port },
      inspector: false,
      watch: false,
      liveReload: false,
      persist: false,
      logLevel: 'warn',
    },
  } as Parameters<typeof unstable_startWorker>[0]);
  await worker.ready;
  return worker;
}
