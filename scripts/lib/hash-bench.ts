import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unstable_startWorker } from 'wrangler';
import { createPasswordHasher, PRODUCTION_PARAMS, SCRYPT_PARAMS, type HashParams } from '#functions/auth/password.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BENCH_DIR = path.join(ROOT, '.wrangler', 'hash-bench');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Times one password hash (the work of one sign-in) in workerd and in Node, for Argon2id (what
 * Hearth uses) and scrypt (the other ASVS-compliant option), `runs` times each, and reports the
 * medians. Inside workerd the clock only moves across I/O, so each hash is one request timed from
 * outside, minus the median of a request that does no hashing. The Worker is bundled by wrangler,
 * which compiles the Argon2 wasm modules the way production does.
 */
export async function benchPasswordHash(runs = 20) {
  await mkdir(BENCH_DIR, { recursive: true });
  await writeFile(
    path.join(BENCH_DIR, 'worker.ts'),
    `import '../../src/lib/server/argon2-wasm.ts';
import { createPasswordHasher, PRODUCTION_PARAMS, SCRYPT_PARAMS } from '../../functions/auth/password.ts';
const argon2id = createPasswordHasher(PRODUCTION_PARAMS);
const scrypt = createPasswordHasher(SCRYPT_PARAMS);
export default {
  async fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === '/argon2id') await argon2id.hash('a password of ordinary length');
    if (path === '/scrypt') await scrypt.hash('a password of ordinary length');
    return new Response('ok');
  },
};
`,
  );
  await writeFile(
    path.join(BENCH_DIR, 'wrangler.json'),
    JSON.stringify({
      name: 'hash-bench',
      main: 'worker.ts',
      compatibility_date: '2026-10-01',
      compatibility_flags: ['nodejs_compat'],
    }),
  );
  const worker = await unstable_startWorker({
    config: path.join(BENCH_DIR, 'wrangler.json'),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'error' },
  } as Parameters<typeof unstable_startWorker>[0]);
  try {
    await worker.ready;
    const origin = (await worker.url).origin;
    const time = async (p: string) => {
      const started = performance.now();
      await (await fetch(`${origin}${p}`)).text();
      return performance.now() - started;
    };
    await time('/argon2id'); // warm up: the first call instantiates the wasm
    await time('/scrypt');
    const overhead = median(await sequence(runs, () => time('/noop')));
    const workerd = {
      argon2id: median(await sequence(runs, () => time('/argon2id'))) - overhead,
      scrypt: median(await sequence(runs, () => time('/scrypt'))) - overhead,
    };
    const node = { argon2id: await nodeMedian(PRODUCTION_PARAMS, runs), scrypt: await nodeMedian(SCRYPT_PARAMS, runs) };
    return { workerd, node, overheadMs: overhead, runs };
  } finally {
    await worker.dispose();
  }
}

async function nodeMedian(params: HashParams, runs: number) {
  const hasher = createPasswordHasher(params);
  await hasher.hash('warm up');
  return median(
    await sequence(runs, async () => {
      const started = performance.now();
      await hasher.hash('a password of ordinary length');
      return performance.now() - started;
    }),
  );
}

async function sequence(n: number, f: () => Promise<number>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}
