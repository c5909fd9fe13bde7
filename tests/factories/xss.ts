import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LINK_REL } from '#functions/lib/markdown.ts';

// ---------------------------------------------------------------------------------------------
// A small, strict reader for the renderer's output. rehype-stringify escapes every `<` in text, so
// every `<` in the output must open a well-formed tag; anything else is a failure in itself.
// ---------------------------------------------------------------------------------------------

/** The tags and attributes the Markdown pipeline may produce. */
export const MARKDOWN_MARKUP: Record<string, readonly string[]> = {
  a: ['href', 'rel'],
  blockquote: [],
  br: [],
  code: ['class'],
  del: [],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  li: [],
  ol: ['start'],
  p: [],
  pre: [],
  strong: [],
  table: [],
  tbody: [],
  td: ['align'],
  th: ['align'],
  thead: [],
  tr: [],
  ul: [],
};
const FORBIDDEN_TAG = /<\/?(?:script|iframe|object|embed|svg|math|style|img|form|input|base|meta|link)\b/i;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:="[^"]*")?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([^\s"'<>/=]+)(?:="([^"]*)")?/g;
const NAMED: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', colon: ':', tab: '\t', newline: '\n' };

export function decodeEntities(value: string): string {
  return value.replace(/&(?:#[xX]([0-9a-fA-F]+)|#(\d+)|([a-zA-Z]+));?/g, (whole, hex, dec, name) => {
    if (hex) return String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
    if (dec) return String.fromCodePoint(Math.min(parseInt(dec, 10), 0x10ffff));
    return NAMED[String(name).toLowerCase()] ?? whole;
  });
}

/**
 * Everything in `html` that could execute or does not belong; an empty list means inert. By
 * default it judges the Markdown pipeline's output; pass `allowed` (tag → attributes) and
 * `forbidden` to judge other markup, such as a component's.
 */
export function markupProblems(
  html: string,
  options: {
    allowed?: Record<string, readonly string[]>;
    forbidden?: RegExp;
    /** The site's own markup: links to its own paths (`/…`, `#…`) are fine and need no rel. */
    own?: boolean;
  } = {},
): string[] {
  const ALLOWED = options.allowed ?? MARKDOWN_MARKUP;
  const FORBIDDEN = options.forbidden ?? FORBIDDEN_TAG;
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('<script');
  if (FORBIDDEN.test(html)) found.push(`forbidden tag ${FORBIDDEN.exec(html)?.[0]}`);
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    TAG.lastIndex = at;
    const tag = TAG.exec(html);
    if (!tag) {
      found.push(`unparsable markup at ${at}: ${html.slice(at, at + 40)}`);
      continue;
    }
    const [whole, closing, rawName, rawAttributes] = tag;
    const name = rawName.toLowerCase();
    const allowed = ALLOWED[name];
    if (!allowed) found.push(`tag <${name}>`);
    if (/\son\w+=/i.test(whole)) found.push(`event handler in ${whole}`);
    if (closing && rawAttributes) found.push(`attributes on a closing tag ${whole}`);
    for (const [, rawAttribute, rawValue = ''] of rawAttributes.matchAll(ATTRIBUTE)) {
      const attribute = rawAttribute.toLowerCase();
      const value = decodeEntities(rawValue);
      if (!allowed?.includes(attribute)) found.push(`attribute ${attribute} on <${name}>`);
      if (/^on/.test(attribute)) found.push(`event handler ${attribute}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(attribute)) {
        // What a browser would see: controls and whitespace removed, case folded.
        // eslint-disable-next-line no-control-regex
        const url = value.replace(/[\u0000-\u0020\u007f-\u009f\u200b\ufeff]/g, '').toLowerCase();
        if (/^(?:javascript|vbscript|data|livescript):/.test(url)) found.push(`${attribute}=${value}`);
        const ownPath = options.own && /^(?:\/(?!\/)|#)/.test(url);
        if (attribute === 'href' && !ownPath && !/^(?:https?:\/\/|mailto:)/.test(url))
          found.push(`href not absolute: ${value}`);
      }
      if (attribute === 'rel' && value !== LINK_REL) found.push(`rel=${value}`);
    }
    const ownLink = options.own && /\shref="(?:\/(?!\/)|#)/.test(rawAttributes);
    if (name === 'a' && !closing && !ownLink && !/\srel="nofollow ugc noopener"/.test(rawAttributes))
      found.push(`a without rel`);
  }
  return found;
}

/** Control characters in the fixture are spelled {{NUL}}, {{TAB}}, {{LF}}, {{CR}}, {{FF}}, {{U+XXXX}}. */
function decodePayload(line: string): string {
  const named: Record<string, string> = { NUL: '\u0000', TAB: '\t', LF: '\n', CR: '\r', FF: '\f' };
  return line.replace(/\{\{(?:U\+([0-9A-F]{4,6})|(NUL|TAB|LF|CR|FF))\}\}/g, (_, hex, name) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : named[name],
  );
}

let cached: string[] | undefined;

/** The XSS corpus (tests/fixtures/xss-payloads.txt), one payload per line, control characters decoded. */
export function xssPayloads(): string[] {
  cached ??= readFileSync(path.resolve(import.meta.dirname, '../fixtures/xss-payloads.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(decodePayload);
  return cached;
}
