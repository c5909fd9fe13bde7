/**
 * Build time per 1,000 Markdown pages, as a ratio to a bare Astro project built in the same run.
 *
 * Both projects are built in a temporary directory, cold (no dist/, .astro/ or Astro/Vite caches),
 * once without and once with the same generated pages; the difference is the marginal cost of the
 * pages. Rounds interleave the four builds so drift on a shared machine hits them alike, and each
 * build's best time is kept (noise only ever adds time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadContent } from '#scripts/lib/content.ts';
import { Fatal } from '#scripts/lib/fail.ts';
import { ROOT } from '#scripts/lib/local-config.ts';
import { generateResourcePages, type GeneratedPage } from './fixtures.ts';

/**
 * The environment `npm run build` (scripts/lib/build.ts) gives astro build, taken before the stack
 * starts: serveBuild puts DATABASE_URL and TOTP_ENCRYPTION_KEY into process.env, and the adapter
 * copies declared secrets it finds there into dist/.
 */
const ENV_AT_START = { ...process.env };
function buildEnv(): NodeJS.ProcessEnv {
  const env = { ...ENV_AT_START };
  delete env.DATABASE_URL;
  delete env.DATABASE_AUTH_TOKEN;
  return { ...env, ASTRO_TELEMETRY_DISABLED: '1' };
}

/** Caches that would make a second build of the same project faster; left out of node_modules links. */
const CACHE_DIRS = ['.astro', '.vite', '.cache'];

export interface BuildTiming {
  project: 'Hearth' | 'bare Astro';
  /** Wall-clock seconds, every round. */
  empty: number[];
  withPages: number[];
  /** CPU seconds (user + system) of the build and every process it waited for, every round. */
  cpuEmpty: number[];
  cpuWithPages: number[];
  /** HTML files written. */
  htmlEmpty: number;
  htmlWithPages: number;
}

export interface BuildTimeResult {
  pages: number;
  rounds: number;
  averageWords: number;
  hearth: BuildTiming;
  bare: BuildTiming;
  /** Seconds per 1,000 pages, from the best time of each build. */
  hearthPer1000: number;
  barePer1000: number;
  ratio: number;
  /** The same from CPU time, which a busy neighbour disturbs less than wall-clock time. */
  hearthCpuPer1000: number;
  bareCpuPer1000: number;
  cpuRatio: number;
  notes: string[];
}

/** node_modules as a directory of links to Hearth's packages, so caches land in the copy, not in Hearth's own. */
async function linkNodeModules(projectDir: string) {
  const target = path.join(projectDir, 'node_modules');
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(path.join(ROOT, 'node_modules'))) {
    if (CACHE_DIRS.includes(entry)) continue;
    await symlink(path.join(ROOT, 'node_modules', entry), path.join(target, entry));
  }
}

/**
 * The files `npm run build` would see: tracked ones plus untracked ones that are not ignored (a
 * tracked file may import a new one), as they are in the working tree now.
 */
async function copyHearth(dest: string): Promise<number> {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Fatal(`git ls-files failed: ${listed.stderr.trim()}`);
  let copied = 0;
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = path.join(ROOT, file);
    // Deleted in the working tree, or a submodule/directory entry.
    const info = await lstat(from).catch(() => null);
    if (!info || info.isDirectory()) continue;
    await mkdir(path.dirname(path.join(dest, file)), { recursive: true });
    await copyFile(from, path.join(dest, file));
    copied++;
  }
  await linkNodeModules(dest);
  return copied;
}

const BARE_CONTENT_CONFIG = `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';

export const collections = {
  pages: defineCollection({ loader: glob({ pattern: '*.md', base: './content' }) }),
};
`;

const BARE_PAGE = `---
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
  const pages = await getCollection('pages');
  return pages.map((entry) => ({ params: { slug: entry.id }, props: { entry } }));
}

const { entry } = Astro.props;
const { Content } = await render(entry);
---

<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>{entry.data.title}</title>
  </head>
  <body>
    <main>
      <h1>{entry.data.title}</h1>
      <Content />
    </main>
  </body>
</html>
`;

async function createBare(dest: string) {
  await mkdir(path.join(dest, 'src/pages'), { recursive: true });
  await mkdir(path.join(dest, 'content'), { recursive: true });
  await writeFile(
    path.join(dest, 'package.json'),
    JSON.stringify({ name: 'bare-astro-bench', private: true, type: 'module' }, null, 2),
  );
  await writeFile(
    path.join(dest, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\n\nexport default defineConfig({});\n`,
  );
  await writeFile(path.join(dest, 'src/content.config.ts'), BARE_CONTENT_CONFIG);
  await writeFile(path.join(dest, 'src/pages/[slug].astro'), BARE_PAGE);
  await linkNodeModules(dest);
}

async function countHtml(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const files = await readdir(dir, { recursive: true });
  return files.filter((f) => f.endsWith('.html')).length;
}

async function setPages(dir: string, pages: GeneratedPage[] | null, all: GeneratedPage[]) {
  await mkdir(dir, { recursive: true });
  if (pages) {
    for (const p of pages) await writeFile(path.join(dir, `${p.slug}.md`), p.text);
  } else {
    for (const p of all) await rm(path.join(dir, `${p.slug}.md`), { force: true });
  }
}

/**
 * One cold `astro build`, timed; the output is kept and shown only when it fails. It runs under
 * /bin/sh so the shell's `times` can report the CPU time of the build and everything it waited for
 * (Node cannot see its grandchildren's usage).
 */
async function timedBuild(projectDir: string, label: string): Promise<{ wall: number; cpu: number }> {
  for (const dir of ['dist', '.astro', ...CACHE_DIRS.map((c) => `node_modules/${c}`)])
    await rm(path.join(projectDir, dir), { recursive: true, force: true });
  const astro = path.join(projectDir, 'node_modules/.bin/astro');
  let output = '';
  const start = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      '/bin/sh',
      ['-c', '"$0" "$@"; code=$?; echo "@@times"; times; exit $code', process.execPath, astro, 'build'],
      { cwd: projectDir, env: buildEnv() },
    );
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const wall = (performance.now() - start) / 1000;
  if (code !== 0) {
    console.error(output.split('\n').slice(-40).join('\n'));
    throw new Fatal(`astro build of ${label} failed (exit ${code}, output above); the copy is in ${projectDir}.`);
  }
  // `times` prints the shell's own user/system time, then its children's: "1m2.345s 0m5.678s".
  const times = output.slice(output.lastIndexOf('@@times'));
  const children = [...times.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)].at(-1);
  const cpu = children
    ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])
    : Number.NaN;
  return { wall, cpu };
}

export async function benchBuildTime(options: {
  pages: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<BuildTimeResult> {
  const { pages: count, rounds, log } = options;
  const tmp = await mkdtemp(path.join(tmpdir(), 'hearth-bench-web-'));
  const hearthDir = path.join(tmp, 'hearth');
  const bareDir = path.join(tmp, 'bare');
  let keep = false;
  try {
    const copied = await copyHearth(hearthDir);
    await createBare(bareDir);
    const pages = generateResourcePages(count);
    const averageWords = pages.reduce((sum, p) => sum + p.words, 0) / pages.length;
    const hearthResources = path.join(hearthDir, 'content/resources/en');
    const bareContent = path.join(bareDir, 'content');
    log(`copied ${copied} files of Hearth and a bare Astro project to ${tmp}`);

    // Check the generated pages the way content:check does, in the copy.
    await setPages(hearthResources, pages, pages);
    const loaded = loadContent(path.join(hearthDir, 'content'));
    const ours = loaded.problems.filter((p) => p.file.includes('bench-resource-'));
    if (ours.length) throw new Error(`generated pages fail the content schema: ${ours[0]!.file}: ${ours[0]!.message}`);
    const benchEntries = loaded.resources.filter((r) => r.slug.startsWith('bench-resource-')).length;
    if (benchEntries !== count)
      throw new Error(`expected ${count} generated resources, loadContent found ${benchEntries}`);

    const timing = (project: BuildTiming['project']): BuildTiming => ({
      project,
      empty: [],
      withPages: [],
      cpuEmpty: [],
      cpuWithPages: [],
      htmlEmpty: 0,
      htmlWithPages: 0,
    });
    const hearth = timing('Hearth');
    const bare = timing('bare Astro');
    const notes: string[] = [];
    // One untimed build of each first: the first build after a while pays for cold file and
    // compile caches (Node's compile cache is shared by all projects), which is not the pages' cost.
    for (const [dir, content, label] of [
      [hearthDir, hearthResources, 'Hearth'],
      [bareDir, bareContent, 'bare Astro'],
    ] as const) {
      await setPages(content, null, pages);
      keep = true;
      const { wall } = await timedBuild(dir, `${label} (warm-up)`);
      keep = false;
      log(`warm-up: ${label} without extra pages: ${wall.toFixed(1)} s (not counted)`);
    }
    for (let round = 1; round <= rounds; round++) {
      const steps = [
        { timing: hearth, dir: hearthDir, content: hearthResources, withPages: false },
        { timing: hearth, dir: hearthDir, content: hearthResources, withPages: true },
        { timing: bare, dir: bareDir, content: bareContent, withPages: false },
        { timing: bare, dir: bareDir, content: bareContent, withPages: true },
      ];
      for (const step of steps) {
        const label = `${step.timing.project} ${step.withPages ? `+ ${count} pages` : 'without extra pages'}`;
        await setPages(step.content, step.withPages ? pages : null, pages);
        keep = true;
        const { wall, cpu } = await timedBuild(step.dir, label);
        keep = false;
        const html = await countHtml(path.join(step.dir, 'dist'));
        (step.withPages ? step.timing.withPages : step.timing.empty).push(wall);
        (step.withPages ? step.timing.cpuWithPages : step.timing.cpuEmpty).push(cpu);
        if (step.withPages) step.timing.htmlWithPages = html;
        else step.timing.htmlEmpty = html;
        log(`round ${round}/${rounds}: ${label}: ${wall.toFixed(1)} s (CPU ${cpu.toFixed(1)} s), ${html} HTML files`);
      }
    }
    const per1000 = (withPages: number[], empty: number[]) =>
      ((Math.min(...withPages) - Math.min(...empty)) * 1000) / count;
    const hearthPer1000 = per1000(hearth.withPages, hearth.empty);
    const barePer1000 = per1000(bare.withPages, bare.empty);
    const hearthCpuPer1000 = per1000(hearth.cpuWithPages, hearth.cpuEmpty);
    const bareCpuPer1000 = per1000(bare.cpuWithPages, bare.cpuEmpty);
    const extraHearthHtml = hearth.htmlWithPages - hearth.htmlEmpty;
    const extraBareHtml = bare.htmlWithPages - bare.htmlEmpty;
    if (extraHearthHtml !== extraBareHtml)
      notes.push(
        `${count} Markdown pages become ${extraHearthHtml} HTML files in Hearth and ${extraBareHtml} in the bare project` +
          (extraHearthHtml === 2 * count
            ? ' (Hearth also writes each English resource at /es/resources/…, the Spanish fallback)'
            : '') +
          `; per HTML file added, Hearth/bare is ${((hearthPer1000 / extraHearthHtml) * (extraBareHtml / barePer1000)).toFixed(2)}×`,
      );
    return {
      pages: count,
      rounds,
      averageWords,
      hearth,
      bare,
      hearthPer1000,
      barePer1000,
      ratio: hearthPer1000 / barePer1000,
      hearthCpuPer1000,
      bareCpuPer1000,
      cpuRatio: hearthCpuPer1000 / bareCpuPer1000,
      notes,
    };
  } finally {
    // A failed build keeps its copy for a look; otherwise nothing is left behind.
    if (!keep) await rm(tmp, { recursive: true, force: true });
  }
}
