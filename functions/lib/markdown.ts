import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import type { Extension as FromMarkdownExtension } from 'mdast-util-from-markdown';
import type { Nodes as MdastNodes, Parents as MdastParents, PhrasingContent, Root as MdastRoot } from 'mdast';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';

/**
 * Hearth's one Markdown pipeline for anything a member writes: mentorship messages now, discussion
 * posts later. Do not build a second one; change this one (and its tests) instead.
 *
 *   remark-parse + remark-gfm        CommonMark + GFM: lists, tables, links, autolinks, strikethrough
 *   remarkNoFootnotes                GFM footnotes are not parsed: `[^1]` stays text
 *   remarkHearth                     raw HTML becomes visible text; images and task-list checkboxes
 *                                    are rewritten (see below)
 *   remark-rehype                    WITHOUT allowDangerousHtml: no raw HTML node can reach the HTML tree
 *   rehypeTidy                       cosmetic: unwraps links the sanitizer would leave without an href
 *   rehype-sanitize (SCHEMA)         LAST transform. It alone decides what survives, and it adds `rel`
 *   rehype-stringify                 serialiser only; escapes `<` and `&` in text and `"` in attributes
 *
 * Security rests on the sanitizer being the last step that touches the tree: the steps before it
 * only make the output nicer, and nothing runs after it except serialisation. `rel` is set through the
 * schema's `required` map: the schema does not allow `rel` from the tree, so whatever came before is
 * removed and the sanitizer itself writes the constant `nofollow ugc noopener` on every `<a>`.
 *
 * Raw HTML is shown as text, not dropped: a member who types `<b>` or `<script>` sees exactly what
 * they typed, escaped, and nothing of it is interpreted. Dropping would silently eat the middle of
 * messages such as "use the <details> element".
 */

/** Longest source accepted, in UTF-16 code units (what `string.length` and zod's `.max()` count). */
export const MARKDOWN_MAX_LENGTH = 32_000;

/** The exact `rel` of every link in rendered output. */
export const LINK_REL = 'nofollow ugc noopener';

export class MarkdownTooLongError extends RangeError {
  constructor(length: number) {
    super(`Markdown source is ${length} characters long; the limit is ${MARKDOWN_MAX_LENGTH}. Validate input first.`);
    this.name = 'MarkdownTooLongError';
  }
}

/** An href must start with one of these, literally (no leading spaces, controls or entities). */
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/** A fenced code block's language class, from its info string. */
const CODE_CLASS = /^language-[\w#+.-]{1,40}$/;

/**
 * Derived from GitHub's `defaultSchema`, then narrowed to exactly what remark-rehype produces from
 * Markdown, so that anything unexpected is removed rather than trusted.
 */
const SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: [
    'a',
    'blockquote',
    'br',
    'code',
    'del',
    'em',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'li',
    'ol',
    'p',
    'pre',
    'strong',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
    // No `img`, `picture` or `source`: images are stripped entirely. New members cannot post images
    // (tracking pixels, shock content, unmoderated uploads); remarkHearth removes them first, and
    // leaving them out here makes sure no later change lets one through.
    // No `input`: task-list checkboxes become ☐/☑ text in remarkHearth.
    // No `section`/`sup`: footnotes are not parsed at all (see remarkNoFootnotes).
  ],
  attributes: {
    // `rel` is deliberately absent here: see `required` below. No `id`/`name` anywhere either, so
    // there is nothing to clobber the page's DOM with (the clobber settings stay as a second line).
    a: [['href', SAFE_HREF]],
    code: [['className', CODE_CLASS]],
    ol: ['start'],
    td: [['align', 'left', 'center', 'right']],
    th: [['align', 'left', 'center', 'right']],
  },
  protocols: { href: ['http', 'https', 'mailto'] },
  required: { a: { rel: LINK_REL.split(' ') } },
  strip: ['script', 'style', 'template', 'textarea', 'title', 'noscript', 'iframe', 'svg', 'math'],
  allowComments: false,
  allowDoctypes: false,
};

/**
 * GFM footnotes are switched off in the parser, so `[^1]` and `[^1]: note` stay the text they are.
 * Rendered footnotes need `id`s (two messages on one page would share them), and the footnote
 * syntax nests without limit at constant indentation: a few thousand lines took seconds to parse.
 */
function remarkNoFootnotes(this: Processor) {
  const data = this.data();
  data.micromarkExtensions = [
    ...(data.micromarkExtensions ?? []),
    { disable: { null: ['gfmFootnoteDefinition', 'gfmFootnoteCall', 'gfmPotentialFootnoteCall'] } },
  ];
}

/** Parents whose children are block (flow) content; anywhere else raw HTML was inline. */
const FLOW_PARENTS = new Set(['root', 'blockquote', 'listItem']);

/**
 * mdast rewrites before anything becomes HTML:
 * - `html` (raw HTML) → text; block HTML becomes a paragraph that keeps its line breaks;
 * - `image`/`imageReference` → removed entirely (no alt text either);
 * - task-list items → a ☐/☑ at the start instead of an `<input>`.
 */
function remarkHearth() {
  return (tree: MdastRoot) => {
    rewriteChildren(tree);
  };
}

function rewriteChildren(parent: MdastParents): void {
  const children: MdastNodes[] = [];
  for (const child of parent.children) children.push(...rewrite(child, parent));
  (parent as { children: MdastNodes[] }).children = children;
}

function rewrite(node: MdastNodes, parent: MdastParents): MdastNodes[] {
  switch (node.type) {
    case 'html':
      return FLOW_PARENTS.has(parent.type)
        ? [{ type: 'paragraph', children: textWithBreaks(node.value) }]
        : [{ type: 'text', value: node.value }];
    case 'image':
    case 'imageReference':
      return [];
    case 'listItem':
      if (typeof node.checked === 'boolean') {
        const box: PhrasingContent = { type: 'text', value: node.checked ? '☑ ' : '☐ ' };
        node.checked = null;
        const first = node.children[0];
        if (first?.type === 'paragraph') first.children.unshift(box);
        else node.children.unshift({ type: 'paragraph', children: [box] });
      }
      rewriteChildren(node);
      return [node];
    default:
      if ('children' in node) rewriteChildren(node);
      return [node];
  }
}

function textWithBreaks(value: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  value.split(/\r\n?|\n/).forEach((line, index) => {
    if (index > 0) out.push({ type: 'break' });
    out.push({ type: 'text', value: line });
  });
  return out;
}

/**
 * Before sanitising, purely cosmetic (the sanitizer would remove the same things less tidily):
 * - a link scheme is lower-cased (`HTTPS://` → `https://`; the sanitizer compares case-sensitively);
 * - a link whose href is not an absolute http(s) or mailto URL (relative, `javascript:`, `data:`, …),
 *   or that has no visible text (its image was removed), is replaced by its content instead of
 *   becoming an `<a>` without an href;
 * - a code block's class is kept only when it is a plain `language-…` name, instead of `class=""`.
 */
function rehypeTidy() {
  return (tree: HastRoot) => {
    tidy(tree);
  };
}

function tidy(parent: HastRoot | Element): void {
  const children: HastContent[] = [];
  for (const child of parent.children) {
    if (child.type !== 'element') {
      children.push(child);
      continue;
    }
    tidy(child);
    if (child.tagName === 'a') {
      const href = typeof child.properties.href === 'string' ? child.properties.href : '';
      child.properties.href = href.replace(/^[a-z]+:/i, (scheme) => scheme.toLowerCase());
      if (!SAFE_HREF.test(child.properties.href) || !hasText(child)) {
        children.push(...child.children);
        continue;
      }
    }
    if (child.tagName === 'code' && Array.isArray(child.properties.className)) {
      const classes = child.properties.className.filter((name) => CODE_CLASS.test(String(name)));
      if (classes.length > 0) child.properties.className = classes;
      else delete child.properties.className;
    }
    children.push(child);
  }
  (parent as { children: HastContent[] }).children = children;
}

function hasText(node: ElementContent): boolean {
  if (node.type === 'text') return node.value.trim() !== '';
  return node.type === 'element' && node.children.some(hasText);
}

function buildProcessors() {
  return {
    /** The pipeline itself. */
    html: unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkNoFootnotes)
      .use(remarkHearth)
      .use(remarkRehype) // no allowDangerousHtml; there is no raw HTML left by now anyway
      .use(rehypeTidy)
      .use(rehypeSanitize, SCHEMA) // must stay the last transform
      .use(rehypeStringify)
      .freeze(),
    /** The same block structure, with no inline parsing: cheap and linear, for `withinBudget`. */
    blocks: unified().use(remarkParse).use(remarkGfm).use(remarkNoFootnotes).use(remarkBlocksOnly).freeze(),
    /** The fallback: a tree we build from plain text, still sanitised last. */
    plain: unified().use(rehypeSanitize, SCHEMA).use(rehypeStringify).freeze(),
  };
}

let cached: ReturnType<typeof buildProcessors> | undefined;

function processors() {
  cached ??= buildProcessors();
  return cached;
}

// ---------------------------------------------------------------------------------------------
// Cost guard. micromark is quadratic on some inputs: 32,000 characters of `*a_*a_…`,
// `www.a_www.a_…`, `a\n=\n…` or `1. 1. 1. …` took 3–23 s of CPU, and a few thousand nested `>`
// overflowed the stack. One such message would make a conversation fail to load every time it is
// shown. So, before the real parse:
//   1. one linear scan of the shape: lines, container markers opened on one line, indentation,
//      table cells on one line;
//   2. for sources long enough to matter, a block-only parse (no inline constructs, no GFM autolink
//      pass: linear) that measures every run of inline text (paragraph, heading, table cell) as
//      length × markup characters, which bounds every quadratic inline family we found, and the
//      container depth.
// Over any limit, the message is shown as plain text instead: nothing lost, just unformatted.
// A stack overflow anywhere (RangeError) falls back the same way, as a last resort. Ordinary
// messages, long ones included, stay far below every limit (see the tests).
// After the guard, the worst inputs we know cost about what an ordinary 32,000-character message
// costs (a few hundred ms: micromark is not fast), against up to 23 s before.
// ---------------------------------------------------------------------------------------------

/** Lines. Block parsing is quadratic in them for some shapes (setext headings, definitions). */
const MAX_LINES = 2_000;

/** Nested blockquotes, lists and list items; also container markers opened on one line. */
const MAX_NESTING = 32;

/** Leading whitespace of a line, in columns: nesting by indentation costs as much as by markers. */
const MAX_INDENT = 128;

/** `|` on one line: GFM table rows parse in time quadratic in their cells. */
const MAX_PIPES = 128;

/** Σ over inline runs of (length × markup characters): ≈ 50 ms of worst-case inline parsing. */
const INLINE_BUDGET = 4_000_000;

/** Every text-level construct, CommonMark and GFM, by the name micromark knows it by. */
const INLINE_CONSTRUCTS = [
  'attention',
  'autolink',
  'characterEscape',
  'characterReference',
  'codeText',
  'emailAutolink',
  'hardBreakEscape',
  'htmlText',
  'labelEnd',
  'labelStartImage',
  'labelStartLink',
  'protocolAutolink',
  'strikethrough',
  'tasklistCheck',
  'wwwAutolink',
];

/** Turns off inline parsing and the GFM autolink pass over text, keeping the block structure. */
function remarkBlocksOnly(this: Processor) {
  const data = this.data();
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), { disable: { null: INLINE_CONSTRUCTS } }];
  data.fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map((extension) =>
    Array.isArray(extension) ? extension.map(withoutTransforms) : withoutTransforms(extension),
  );
}

function withoutTransforms(extension: FromMarkdownExtension): FromMarkdownExtension {
  const { transforms: _, ...rest } = extension;
  return rest;
}

const INLINE_RUNS = new Set(['paragraph', 'heading', 'tableCell']);
const CONTAINERS = new Set(['blockquote', 'list', 'listItem']);

/** ASCII punctuation that can take part in inline markup (not `.,;?'"-/`, which prose is full of). */
const MARKUP = new Set('!#$%&()*+:<=>@[\\]^_`{|}~');

function withinBudget(source: string): boolean {
  if (!shapeWithinLimits(source)) return false;
  // Σ length × markup over the runs is at most (whole length) × (all markup): if that is within
  // budget, as it is for every short message, the block parse is not needed.
  if (inlineCost(source) <= INLINE_BUDGET) return true;
  const { blocks } = processors();
  const tree = blocks.parse(source); // no transformers to run: parsing is all of it
  let cost = 0;
  // Iterative on purpose: the tree may be deeper than the stack.
  const stack: Array<[MdastNodes, number]> = [[tree, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > MAX_NESTING) return false;
    if (INLINE_RUNS.has(node.type)) {
      cost += inlineCost(source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? source.length));
      if (cost > INLINE_BUDGET) return false;
    } else if ('children' in node) {
      const next = CONTAINERS.has(node.type) ? depth + 1 : depth;
      for (const child of node.children) stack.push([child, next]);
    }
  }
  return true;
}

function inlineCost(run: string): number {
  let markup = 0;
  for (const char of run) if (MARKUP.has(char)) markup += 1;
  // GFM looks for a domain at every `www.`, scanning on to the end of the word.
  markup += 4 * (run.match(/www\./gi)?.length ?? 0);
  return run.length * markup;
}

/**
 * One pass over the text: number of lines, and for each line its leading whitespace, the
 * container markers it opens (`> > - 1. …`) and its `|`s, counted before any parsing because
 * parsing them is what is slow.
 */
function shapeWithinLimits(source: string): boolean {
  let lines = 1;
  let i = 0;
  while (i < source.length) {
    let columns = 0;
    let markers = 0;
    // The marker zone at the start of a line: whitespace, `>`, bullets, ordinals.
    for (;;) {
      const char = source[i];
      if (char === ' ') columns += 1;
      else if (char === '\t') columns += 4 - (columns % 4);
      else if (char === '>') markers += 1;
      else if ((char === '-' || char === '+' || char === '*') && isGap(source[i + 1])) markers += 1;
      else {
        let digit = i;
        while (digit < i + 9 && source[digit] >= '0' && source[digit] <= '9') digit += 1;
        const delimiter = source[digit];
        if (digit === i || (delimiter !== '.' && delimiter !== ')') || !isGap(source[digit + 1])) break;
        markers += 1;
        i = digit;
      }
      i += 1;
      if (columns > MAX_INDENT || markers > MAX_NESTING) return false;
    }
    // The rest of the line.
    let pipes = 0;
    while (i < source.length && source[i] !== '\n' && source[i] !== '\r') {
      if (source[i] === '|' && ++pipes > MAX_PIPES) return false;
      i += 1;
    }
    if (source[i] === '\r' && source[i + 1] === '\n') i += 1;
    if (i < source.length) {
      i += 1;
      lines += 1;
      if (lines > MAX_LINES) return false;
    }
  }
  return true;
}

function isGap(char: string | undefined): boolean {
  return char === undefined || char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/** The fallback: paragraphs at blank lines, line breaks kept, everything else literal text. */
function plainTree(source: string): HastRoot {
  const paragraphs = source
    .split(/(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)\s*/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  const children: HastContent[] = [];
  for (const paragraph of paragraphs) {
    const lines: ElementContent[] = [];
    paragraph.split(/\r\n?|\n/).forEach((line, index) => {
      if (index > 0)
        lines.push({ type: 'element', tagName: 'br', properties: {}, children: [] }, { type: 'text', value: '\n' });
      lines.push({ type: 'text', value: line });
    });
    if (children.length > 0) children.push({ type: 'text', value: '\n' });
    children.push({ type: 'element', tagName: 'p', properties: {}, children: lines });
  }
  return { type: 'root', children };
}

function checkLength(source: string): void {
  if (typeof source !== 'string') throw new TypeError('Markdown source must be a string');
  if (source.length > MARKDOWN_MAX_LENGTH) throw new MarkdownTooLongError(source.length);
}

/** Runs `formatted`, or `plain` when the source is over budget or something overflowed the stack. */
function withFallback<T>(source: string, formatted: () => T, plain: () => T): T {
  checkLength(source);
  try {
    if (withinBudget(source)) return formatted();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return plain();
}

/**
 * Member-written Markdown → an HTML fragment that is safe to insert into a page as is. Throws
 * `MarkdownTooLongError` beyond `MARKDOWN_MAX_LENGTH`. Pathological input (see the cost guard) is
 * rendered as plain paragraphs instead.
 */
export function renderMarkdown(source: string): string {
  const { html, plain } = processors();
  return withFallback(
    source,
    () => html.stringify(html.runSync(html.parse(source))),
    () => plain.stringify(plain.runSync(plainTree(source))),
  );
}

const BLOCKS = new Set([
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'table',
  'tr',
  'ul',
]);

let segmenter: Intl.Segmenter | undefined;

/**
 * Member-written Markdown → plain text for notifications, e-mail text parts and snippets: what the
 * rendered HTML shows (so no images, link text without its URL), one block per line, runs of
 * whitespace collapsed, code blocks keeping their line breaks.
 *
 * With `max`, the result is at most `max` UTF-16 code units (`.length`) including a final `…`, and
 * is never cut inside a character or an emoji. The result is TEXT, not HTML: escape it wherever it
 * goes into markup. Throws `MarkdownTooLongError` beyond `MARKDOWN_MAX_LENGTH`.
 */
export function markdownToText(source: string, max?: number): string {
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) {
    throw new RangeError('max must be a positive integer');
  }
  const { html, plain } = processors();
  const text = withFallback(
    source,
    () => treeToText(html.runSync(html.parse(source))),
    () => treeToText(plain.runSync(plainTree(source))),
  );
  return max === undefined ? text : truncate(text, max);
}

function treeToText(tree: HastRoot): string {
  const parts: string[] = [];
  for (const node of tree.children) collectText(node, parts, false);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function collectText(node: HastContent, out: string[], inPre: boolean): void {
  if (node.type === 'text') {
    out.push(inPre ? node.value : node.value.replace(/\s+/g, ' '));
    return;
  }
  if (node.type !== 'element') return;
  if (node.tagName === 'br' || node.tagName === 'hr') {
    out.push('\n');
    return;
  }
  const block = BLOCKS.has(node.tagName);
  if (block) out.push('\n');
  if (node.tagName === 'td' || node.tagName === 'th') out.push(' ');
  for (const child of node.children) collectText(child, out, inPre || node.tagName === 'pre');
  if (block) out.push('\n');
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let kept = '';
  for (const { segment } of segmenter.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}
