import path from 'node:path';
import { z } from 'zod';
import { Fatal } from './fail.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number, such as 4321.` })
    .int(`${name} must be a whole number.`)
    .min(1, `${name} must be between 1 and 65535.`)
    .max(65535, `${name} must be between 1 and 65535.`);

const LocalConfigSchema = z.object({
  PORT: port('PORT').default(4321),
  HEARTH_DATA_DIR: z.string().min(1).default('.data'),
  HEARTH_SQLD_PORT: port('HEARTH_SQLD_PORT').optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(https?|libsql|wss?|file):/, 'DATABASE_URL must start with http://, https://, libsql://, wss:// or file:.')
    .optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
});

export interface LocalConfig {
  port: number;
  dataDir: string;
  sqldPort: number | undefined;
  /** Set when Hearth should use an existing libSQL server instead of starting its own. */
  databaseUrl: string | undefined;
  databaseAuthToken: string | undefined;
}

/** Reads the environment once, at start-up, and names the variable in any error. */
export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = LocalConfigSchema.safeParse(blanksRemoved);
  if (!result.success) throw new Fatal(result.error.issues.map((i) => i.message).join(' '));
  const c = result.data;
  return {
    port: c.PORT,
    dataDir: path.resolve(ROOT, c.HEARTH_DATA_DIR),
    sqldPort: c.HEARTH_SQLD_PORT,
    databaseUrl: c.DATABASE_URL,
    databaseAuthToken: c.DATABASE_AUTH_TOKEN,
  };
}

/**
 * The key that seals TOTP secrets locally: TOTP_ENCRYPTION_KEY if set, otherwise one generated on
 * the first start and kept beside the data (HEARTH_DATA_DIR/totp-encryption.key, readable by you
 * only), so enrolled authenticators keep working across restarts.
 */
export async function localTotpKey(config: LocalConfig, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.TOTP_ENCRYPTION_KEY) return env.TOTP_ENCRYPTION_KEY;
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const file = path.join(config.dataDir, 'totp-encryption.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}
