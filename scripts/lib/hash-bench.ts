import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import path from 'node:path';
import { createPasswordHasher } from '#functions/auth/password.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Times one production password hash (the work of one sign-in) in workerd and in Node, `runs`
 * times each, and reports the medians. Inside workerd the clock only moves across I/O, so each
 * hash is one request timed from outside; a request that does no hashing is timed too and its
 * median subtracted.
 */
export async function benchPasswordHash(runs = 20) {
  const bundle = await build({
    stdin: {
      contents: `import { createPasswordHasher } from './functions/auth/password.ts';
        const hasher = createPasswordHasher();
        export default { async fetch(request) {
          if (new URL(request.url).pathname === '/noop') return new Response('ok');
          await hasher.hash('a password of ordinary length');
          return new Response('ok');
        } };`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*'],
    write: false,
    logLevel: 'silent',
  });
  // Miniflare 5 (the major wrangler 4.164 uses) takes wrangler-shaped worker configs.
  const mf = new Miniflare({
    workers: [
      {
        config: {
          name: 'hash-bench',
          compatibilityDate: '2026-10-01',
          compatibilityFlags: ['nodejs_compat'],
          manifest: {
            mainModule: 'worker.js',
            modules: { 'worker.js': { type: 'esm', contents: bundle.outputFiles[0]!.text } },
          },
        },
      },
    ],
  } as unknown as ConstructorParameters<typeof Miniflare>[0]);
  try {
    const time = async (url: string) => {
      const started = performance.now();
      await (await mf.dispatchFetch(url)).text();
      return performance.now() - started;
    };
    await time('http://bench/hash'); // warm up
    const overhead = median(await sequence(runs, () => time('http://bench/noop')));
    const workerd = median(await sequence(runs, () => time('http://bench/hash'))) - overhead;
    const hasher = createPasswordHasher();
    const node = median(
      await sequence(runs, async () => {
        const started = performance.now();
        await hasher.hash('a password of ordinary length');
        return performance.now() - started;
      }),
    );
    return { workerdMs: workerd, nodeMs: node, overheadMs: overhead, runs };
  } finally {
    await mf.dispose();
  }
}

async function sequence(n: number, f: () => Promise<number>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}
