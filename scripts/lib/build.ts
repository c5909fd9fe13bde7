import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Fatal } from './fail.ts';
import { ROOT } from './local-config.ts';

const INPUTS = [
  'src',
  'content',
  'functions',
  'db',
  'public',
  'astro.config.mjs',
  'wrangler.toml',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const STAMP = path.join(ROOT, 'dist', '.hearth-build');

/** The build is stale when any input changed after the last successful build finished. */
export async function isBuildStale(): Promise<boolean> {
  if (!existsSync(STAMP) || !existsSync(path.join(ROOT, 'dist/server/wrangler.json'))) return true;
  const built = (await stat(STAMP)).mtimeMs;
  for (const input of INPUTS) {
    if ((await newestMtime(path.join(ROOT, input))) > built) return true;
  }
  return false;
}

async function newestMtime(target: string): Promise<number> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * Runs `astro build`. Database settings are kept out of its environment: the adapter copies
 * declared secrets it finds there into dist/, and a build must not depend on them anyway.
 */
export async function build(): Promise<void> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_AUTH_TOKEN;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: ROOT,
      env: { ...env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: 'inherit',
    });
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Fatal('The build failed (see the errors above): fix them and run the command again.');
  await writeFile(STAMP, new Date().toISOString());
}
