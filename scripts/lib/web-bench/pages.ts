/**
 * What a page costs before anything runs: the JavaScript it makes the browser load and the size
 * of its HTML, as the production build in workerd serves them.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Budget for the first HTML response: what fits in the first TCP round trip (10 segments). */
export const HTML_BUDGET_BYTES = 14 * 1024;

export const gzipSize = (bytes: Uint8Array) => gzipSync(bytes, { level: 6 }).byteLength;
export const brotliSize = (bytes: Uint8Array) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).byteLength;

export interface ScriptFile {
  /** Page-relative URL, or `inline #n`. */
  source: string;
  /** Why the page loads it: `inline`, `script src`, `modulepreload`, `island component`, `island renderer`, `import`. */
  via: string;
  bytes: number;
  gzip: number;
}

export interface PageCost {
  path: string;
  status: number;
  html: { bytes: number; gzip: number; brotli: number };
  /** JavaScript the page loads on its own: inline scripts, script and modulepreload targets, island modules and their static imports. */
  js: ScriptFile[];
  /** Same-origin `.js` URLs named in that JavaScript but not loaded until code asks for them (e.g. a search library on first search). */
  deferredJs: ScriptFile[];
  problems: string[];
}

type Fetch = (path: string) => Promise<Response>;

/** `type` values that make a `<script>` run as JavaScript; anything else (JSON-LD, import maps, speculation rules) is data. */
const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript']);

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  // Skip the tag name itself.
  const body = tag.replace(/^<\s*[\w-]+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(re)) {
    attrs.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

/** The JavaScript an HTML document asks for, as found in its markup (no parser dependency: Astro's output is regular). */
export function scriptReferences(html: string): {
  inline: string[];
  urls: { url: string; via: string }[];
  stylesheets: string[];
} {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const inline: string[] = [];
  const urls: { url: string; via: string }[] = [];
  const stylesheets: string[] = [];
  for (const m of withoutComments.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = attributes(`<script${m[1]}>`);
    const type = (attrs.get('type') ?? '').trim().toLowerCase();
    if (!JS_TYPES.has(type)) continue;
    const src = attrs.get('src');
    if (src) urls.push({ url: src, via: 'script src' });
    else if (m[2]!.trim()) inline.push(m[2]!);
  }
  for (const m of withoutComments.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(m[0]);
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const href = attrs.get('href');
    if (href && rel.includes('modulepreload')) urls.push({ url: href, via: 'modulepreload' });
    if (href && rel.includes('stylesheet')) stylesheets.push(href);
  }
  for (const m of withoutComments.matchAll(/<astro-island\b[^>]*>/gi)) {
    const attrs = attributes(m[0]);
    for (const [name, via] of [
      ['component-url', 'island component'],
      ['renderer-url', 'island renderer'],
      ['before-hydration-url', 'island before-hydration'],
    ] as const) {
      const url = attrs.get(name);
      if (url) urls.push({ url, via });
    }
  }
  return { inline, urls, stylesheets };
}

/** Specifiers of static `import`/`export … from` in a (minified) ES module; dynamic `import()` is left out. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  const re = /(?:^|[;\s}{)])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"'\n]+)["']/g;
  for (const m of code.matchAll(re)) found.add(m[1]!);
  return [...found];
}

/** Root-relative `.js` URLs written as string literals, e.g. a library the code imports on demand. */
export function deferredScriptUrls(code: string): string[] {
  return [...new Set([...code.matchAll(/["'`](\/[\w./-]+\.m?js)["'`]/g)].map((m) => m[1]!))];
}

export async function measurePage(fetchPath: Fetch, origin: string, path: string): Promise<PageCost> {
  const problems: string[] = [];
  const res = await fetchPath(path);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) problems.push(`${path} answered ${res.status}`);
  const html = new TextDecoder().decode(bytes);
  const cost: PageCost = {
    path,
    status: res.status,
    html: { bytes: bytes.byteLength, gzip: gzipSize(bytes), brotli: brotliSize(bytes) },
    js: [],
    deferredJs: [],
    problems,
  };

  const refs = scriptReferences(html);
  refs.inline.forEach((code, i) => {
    const b = new TextEncoder().encode(code);
    cost.js.push({ source: `inline #${i + 1}`, via: 'inline', bytes: b.byteLength, gzip: gzipSize(b) });
  });

  const pageUrl = new URL(path, origin);
  const seen = new Set<string>();
  const codeOf = new Map<string, string>();
  const load = async (url: URL, via: string, into: ScriptFile[]) => {
    const key = url.href;
    if (seen.has(key)) return;
    seen.add(key);
    const display = url.origin === pageUrl.origin ? url.pathname + url.search : url.href;
    if (url.origin !== pageUrl.origin) {
      problems.push(`${path} loads a script from another origin: ${url.href}`);
      into.push({ source: display, via, bytes: 0, gzip: 0 });
      return;
    }
    const r = await fetchPath(url.pathname + url.search);
    const body = new Uint8Array(await r.arrayBuffer());
    if (r.status !== 200) problems.push(`${path}: ${display} answered ${r.status}`);
    into.push({ source: display, via, bytes: body.byteLength, gzip: gzipSize(body) });
    const code = new TextDecoder().decode(body);
    codeOf.set(key, code);
    for (const spec of staticImports(code)) {
      // Bare specifiers cannot load in a browser without an import map; relative and absolute ones can.
      if (!/^(\.{0,2}\/|https?:)/.test(spec)) continue;
      await load(new URL(spec, url), 'import', into);
    }
  };
  for (const ref of refs.urls) await load(new URL(ref.url, pageUrl), ref.via, cost.js);

  // Not a budget, but a page whose stylesheet is missing measures as an unstyled page in Lighthouse
  // (e.g. when dist/ is rebuilt under a running stack).
  for (const href of refs.stylesheets) {
    const url = new URL(href, pageUrl);
    if (url.origin !== pageUrl.origin) continue;
    const r = await fetchPath(url.pathname + url.search);
    await r.arrayBuffer();
    if (r.status !== 200) problems.push(`${path}: stylesheet ${url.pathname} answered ${r.status}`);
  }

  const scriptsOnPage = [...refs.inline, ...codeOf.values()];
  for (const code of scriptsOnPage) {
    for (const url of deferredScriptUrls(code)) await load(new URL(url, pageUrl), 'on demand', cost.deferredJs);
  }
  return cost;
}

export const totalBytes = (files: ScriptFile[]) => files.reduce((sum, f) => sum + f.bytes, 0);
export const totalGzip = (files: ScriptFile[]) => files.reduce((sum, f) => sum + f.gzip, 0);
