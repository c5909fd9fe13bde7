/**
 * Lighthouse, programmatically: default config (mobile form factor, simulated throttling),
 * performance and accessibility only, a fresh Chromium for every run, median of the runs.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * `--host-resolver-rules`: Chromium (not Lighthouse) looks up accounts.google.com, clients2.google.com
 * and update.googleapis.com on start-up even with chrome-launcher's `--disable-background-networking`
 * and `--disable-component-update` (Debian's /usr/bin/chromium wrapper exports Google API keys and
 * adds `--enable-remote-extensions`). Offline those lookups only fail, but they are background work
 * and network attempts during a measurement; this rule answers every name except loopback with
 * "not found" without asking DNS. The pages under test are on 127.0.0.1, so nothing they load changes.
 */
export const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

export interface FailingAudit {
  id: string;
  title: string;
  /** Where: selectors and snippets of the first offending elements. */
  where: string[];
}

export interface LighthouseRun {
  performance: number | null;
  accessibility: number | null;
  metrics: Record<string, number | undefined>;
  failingA11y: FailingAudit[];
  /** Performance audits that cost the most, for a score under budget. */
  opportunities: string[];
  /** Requests that left loopback (should be none). */
  external: string[];
  /** Requests that failed or answered 4xx/5xx, e.g. a stylesheet gone after a rebuild. */
  failedRequests: string[];
  warnings: string[];
  /** Lighthouse and browser versions, e.g. `13.5.0`, `HeadlessChrome/156.0.8078.79`. */
  versions?: { lighthouse: string; browser: string };
  error?: string;
}

export interface LighthouseSummary {
  path: string;
  runs: LighthouseRun[];
  performance: number | null;
  accessibility: number | null;
  /** The run whose performance score is the median (its metrics are reported). */
  medianRun: LighthouseRun | undefined;
}

const METRICS = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
  CLS: 'cumulative-layout-shift',
  SI: 'speed-index',
} as const;

const score = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(s * 100));

function nodesOf(details: unknown): string[] {
  const items = (details as { items?: unknown[] } | undefined)?.items ?? [];
  const where: string[] = [];
  for (const item of items) {
    const node = (item as { node?: { selector?: string; snippet?: string; explanation?: string } }).node;
    if (!node) continue;
    const snippet = node.snippet ? ` ${node.snippet.replace(/\s+/g, ' ').slice(0, 140)}` : '';
    const why = node.explanation ? ` — ${node.explanation.split('\n').slice(0, 2).join(' ').slice(0, 200)}` : '';
    where.push(`${node.selector ?? '?'}${snippet}${why}`);
  }
  return where;
}

function summarise(lhr: Lhr, origin: string): LighthouseRun {
  const a11y = lhr.categories.accessibility;
  const perf = lhr.categories.performance;
  const failingA11y: FailingAudit[] = [];
  for (const ref of a11y?.auditRefs ?? []) {
    const audit = lhr.audits[ref.id];
    if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
    failingA11y.push({ id: audit.id, title: audit.title, where: nodesOf(audit.details) });
  }
  const opportunities: string[] = [];
  for (const ref of perf?.auditRefs ?? []) {
    const audit = lhr.audits[ref.id];
    if (!audit || audit.score === null || audit.score >= 0.9) continue;
    if (audit.scoreDisplayMode !== 'numeric' && audit.scoreDisplayMode !== 'metricSavings') continue;
    opportunities.push(`${audit.id}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
  }
  const metrics: Record<string, number | undefined> = {};
  for (const [name, id] of Object.entries(METRICS)) metrics[name] = lhr.audits[id]?.numericValue;
  const requests =
    (lhr.audits['network-requests']?.details as { items?: { url?: string; statusCode?: number }[] } | undefined)
      ?.items ?? [];
  const failedRequests = requests
    .filter((r) => r.statusCode !== undefined && (r.statusCode < 0 || r.statusCode >= 400))
    .map((r) => `${r.url ?? '?'} (${r.statusCode})`);
  const external = requests
    .map((r) => r.url ?? '')
    .filter((url) => /^https?:/.test(url) && !url.startsWith(origin))
    .filter((url, i, all) => all.indexOf(url) === i);
  return {
    performance: score(perf?.score),
    accessibility: score(a11y?.score),
    metrics,
    failingA11y,
    opportunities,
    external,
    failedRequests,
    warnings: lhr.runWarnings,
    versions: {
      lighthouse: lhr.lighthouseVersion,
      browser: /HeadlessChrome\/[\d.]+|Chrome\/[\d.]+/.exec(lhr.environment.hostUserAgent)?.[0] ?? '?',
    },
    ...(lhr.runtimeError ? { error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
  };
}

export async function lighthouseOnce(url: string): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: CHROME_FLAGS,
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: 'error',
      output: 'json',
      onlyCategories: ['performance', 'accessibility'],
      // Not scored; saves a second or so per run.
      disableFullPageScreenshot: true,
    });
    if (!result) throw new Error('Lighthouse returned no result');
    return summarise(result.lhr, new URL(url).origin);
  } finally {
    chrome.kill();
  }
}

/** Median of an odd or even list (mean of the middle two). */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function lighthousePage(
  origin: string,
  path: string,
  runs: number,
  onRun?: (run: LighthouseRun) => void,
): Promise<LighthouseSummary> {
  const results: LighthouseRun[] = [];
  // A run that errors (NO_NAVSTART, an interstitial) is retried, twice at most per page, so the
  // median is over `runs` good runs when Lighthouse is only flaky.
  let retries = 2;
  while (results.filter((r) => !r.error).length < runs) {
    let run: LighthouseRun;
    try {
      run = await lighthouseOnce(`${origin}${path}`);
    } catch (err) {
      run = {
        performance: null,
        accessibility: null,
        metrics: {},
        failingA11y: [],
        opportunities: [],
        external: [],
        failedRequests: [],
        warnings: [],
        error: (err as Error).message,
      };
    }
    results.push(run);
    onRun?.(run);
    if (run.error && retries-- <= 0) break;
  }
  const scored = results.filter((r) => r.performance !== null && !r.error);
  const perf = median(scored.map((r) => r.performance!));
  const a11y = median(scored.filter((r) => r.accessibility !== null).map((r) => r.accessibility!));
  const byPerf = [...scored].sort((a, b) => a.performance! - b.performance!);
  return {
    path,
    runs: results,
    performance: perf,
    accessibility: a11y,
    medianRun: byPerf[(byPerf.length - 1) >> 1],
  };
}
