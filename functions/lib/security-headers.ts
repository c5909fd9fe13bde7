/**
 * The security headers every Hearth response carries: API answers (Hono middleware), on-demand
 * pages (Astro middleware) and prerendered pages (the `_headers` file written at build time).
 *
 * Pages also get a `<meta http-equiv="content-security-policy">` from Astro (`security.csp`) with
 * `script-src`/`style-src` hashes for the exact scripts and styles on that page. The header policy
 * below carries the directives a meta tag cannot (frame-ancestors) and leaves script and style
 * sources to the meta policy; browsers enforce both policies together. See
 * docs/decisions/004-security-headers-and-csp.md.
 */
const PAGE_CSP = [
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self'",
].join('; ');

/** JSON answers never render: nothing may load from them and nothing may frame them. */
const API_CSP = "default-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const COMMON: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

export type HeaderKind = 'page' | 'api';

export function securityHeaders(kind: HeaderKind): Record<string, string> {
  return { ...COMMON, 'Content-Security-Policy': kind === 'api' ? API_CSP : PAGE_CSP };
}

/**
 * Sets the headers on a response without replacing ones a handler chose on purpose. A CSP that
 * is already there (Astro sends one with script and style hashes for on-demand pages) keeps its
 * directives and gains any of ours it lacks, such as frame-ancestors.
 */
export function applySecurityHeaders(headers: Headers, kind: HeaderKind): void {
  for (const [name, value] of Object.entries(securityHeaders(kind))) {
    const current = headers.get(name);
    if (current === null) headers.set(name, value);
    else if (name === 'Content-Security-Policy') headers.set(name, mergeCsp(current, value));
  }
}

/** Joins two policies directive by directive; where both name a directive, `primary` wins. */
export function mergeCsp(primary: string, extra: string): string {
  const directives = new Map<string, string>();
  for (const policy of [extra, primary]) {
    for (const part of policy.split(';')) {
      const trimmed = part.trim();
      if (!trimmed) continue;
      const name = trimmed.split(/\s+/, 1)[0]!.toLowerCase();
      directives.set(name, trimmed);
    }
  }
  return [...directives.values()].join('; ');
}

/**
 * The Cloudflare static-assets `_headers` file for prerendered pages and assets: the security
 * headers for every path, followed by whatever rules the adapter already wrote (asset caching).
 */
export function staticHeadersFile(existing = ''): string {
  const lines = ['/*'];
  for (const [name, value] of Object.entries(securityHeaders('page'))) lines.push(`  ${name}: ${value}`);
  return `${lines.join('\n')}\n\n${existing.trim()}\n`;
}
