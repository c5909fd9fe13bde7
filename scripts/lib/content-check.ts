/**
 * `npm run content:check`: everything a coordinator can get wrong in `content/` that the schemas
 * alone do not catch — links and images that go nowhere, lessons without a track, translations
 * whose knowledge checks would grade differently — plus reminders (missing translations, reviews
 * due, drafts). Errors fail CI; warnings are for the coordinators' to-do list.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_LOCALE, LOCALES, reviewDueDate, type Locale } from '#src/lib/content/schema.ts';
import type { Definition, Nodes } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { loadContent, type Entry, type Problem } from './content.ts';

export type { Problem };

export interface CheckOptions {
  /** The site's static files, where `/…` images and downloads live. Defaults to `public/` beside the content folder. */
  publicDir?: string;
  /** What counts as today for review dates; tests pass a fixed day. */
  today?: Date;
}

export interface CheckResult {
  errors: Problem[];
  warnings: Problem[];
  /** How many pages were read (those whose frontmatter parsed). */
  pages: number;
}

type Kind = 'guideline' | 'track' | 'lesson' | 'resource';

interface Page {
  kind: Kind;
  entry: Entry<{ draft: boolean; lastReviewed: Date; reviewBy?: Date | undefined; order?: number }>;
}

interface Found {
  file: string;
  line?: number;
  message: string;
}

/** Pages every language has, whatever the content. */
const LISTING_PAGES = ['/', '/guidelines', '/training', '/resources', '/search', '/feed.xml'];
/** Pages of the app itself (English only, not content). `/account/…` also matches anything below it. */
const APP_PAGES = ['/sign-in', '/sign-up', '/account', '/forgot-password', '/developers/api'];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Paths the site uses for something else, so no lesson may take them. */
const RESERVED_LESSON_SLUGS = ['certificate', 'index'];
/** Addresses under /discussions/ that are pages, so no category may take them. */
const RESERVED_CATEGORY_SLUGS = ['new', 'search', 't', 'p', 'posts'];
/** Above this many, missing translations are listed on one line per collection. */
const MANY = 3;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const languageName = (locale: Locale) => languageNames.of(locale) ?? locale;
const localePrefix = (locale: Locale) => (locale === DEFAULT_LOCALE ? '' : `/${locale}`);
const day = (date: Date) => date.toISOString().slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A route as written in messages: with the trailing slash the site uses (not for files like feed.xml). */
function display(path: string): string {
  return path === '/' || /\.[a-z0-9]+$/i.test(path) ? path : `${path}/`;
}

function withLocale(path: string, locale: Locale): string {
  const prefix = localePrefix(locale);
  return prefix && path === '/' ? prefix : `${prefix}${path}`;
}

function urlOf(kind: Kind, slug: string): string {
  switch (kind) {
    case 'guideline':
      return `/guidelines/${slug}`;
    case 'track':
    case 'lesson':
      return `/training/${slug}`;
    case 'resource':
      return `/resources/${slug}`;
  }
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function nearest(target: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(target.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(target, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Markdown: parsed as CommonMark with GitHub's extensions, as the site renders it, so a link
// written inside code, an escape or an HTML comment is not a link here either.

interface Reference {
  /** The line in the body, from 1. */
  line: number;
  kind: 'link' | 'image';
  /** The link's text, or the image's alt text. */
  text: string;
  target: string;
}

interface Scan {
  references: Reference[];
  /** Problems found while scanning, with their lines in the body. */
  problems: { line: number; error: boolean; message: string }[];
}

const markdown = unified().use(remarkParse).use(remarkGfm);

/** Replaces a match with spaces, keeping line breaks so line numbers still hold. */
const blank = (text: string) => text.replace(/[^\n]/g, ' ');
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HTML_LINK = /<a\b[^>]*>/gi;
const HTML_IMAGE = /<img\b[^>]*>/gi;
/**
 * A reference whose label has no definition stays text (`[text][label]`, `[label][]`), so it is
 * found in the text as written. The `^]` branch is `[*text*][label]`, whose text node starts at `][`.
 */
const UNDEFINED_REFERENCE = /(?:!?\[([^[\]]*)|^)\]\[([^[\]]*)\]/g;

/** What a link says: its text, with the alt text of any image in it. */
function plain(node: Nodes): string {
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if ('value' in node) return node.value;
  return 'children' in node ? (node.children as Nodes[]).map(plain).join('') : '';
}

export function scanMarkdown(body: string): Scan {
  const tree = markdown.parse(body);
  const references: Reference[] = [];
  const problems: Scan['problems'] = [];
  const lineOf = (node: Nodes) => node.position?.start.line ?? 1;
  const written = (node: Nodes) => body.slice(node.position?.start.offset, node.position?.end.offset);
  const lineIn = (node: Nodes, text: string, index: number) =>
    lineOf(node) + (text.slice(0, index).split('\n').length - 1);

  // The first definition of a label is the one that counts. Images are checked where they are shown;
  // a definition used by links (or by nothing) is checked once, on its own line, where its address is.
  const definitions = new Map<string, Definition>();
  const linked = new Set<string>();
  const shown = new Set<string>();
  visit(tree, (node) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    if (node.type === 'linkReference') linked.add(node.identifier);
    if (node.type === 'imageReference') shown.add(node.identifier);
  });

  visit(tree, (node) => {
    switch (node.type) {
      case 'link':
        // GitHub's bare `www.example.org` becomes a link to http://www.example.org.
        if (/^www\./i.test(written(node)))
          problems.push({
            line: lineOf(node),
            error: false,
            message: `"${written(node)}" becomes a link to ${node.url}, which is not secure: write ${node.url.replace(/^http:/i, 'https:')} if the site supports it`,
          });
        else references.push({ line: lineOf(node), kind: 'link', text: plain(node), target: node.url });
        break;
      case 'image':
        references.push({ line: lineOf(node), kind: 'image', text: node.alt ?? '', target: node.url });
        break;
      case 'imageReference': {
        const definition = definitions.get(node.identifier);
        if (definition)
          references.push({ line: lineOf(node), kind: 'image', text: plain(node), target: definition.url });
        break;
      }
      case 'definition':
        if (definitions.get(node.identifier) === node && (linked.has(node.identifier) || !shown.has(node.identifier)))
          references.push({ line: lineOf(node), kind: 'link', text: '', target: node.url });
        break;
      case 'html': {
        const html = node.value.replace(HTML_COMMENT, blank);
        for (const match of html.matchAll(HTML_LINK))
          problems.push({
            line: lineIn(node, html, match.index),
            error: true,
            message: 'uses an HTML <a> tag: write a Markdown link instead, [text](/path/)',
          });
        for (const match of html.matchAll(HTML_IMAGE))
          problems.push({
            line: lineIn(node, html, match.index),
            error: true,
            message:
              'uses an HTML <img> tag: write a Markdown image instead, ![what the image shows](/images/name.png)',
          });
        break;
      }
      case 'text': {
        const text = written(node).replace(/\\[\s\S]/g, '  ');
        for (const match of text.matchAll(UNDEFINED_REFERENCE)) {
          const name = match[2] || match[1];
          if (name?.trim())
            problems.push({
              line: lineIn(node, text, match.index),
              error: true,
              message: `link reference [${name}] has no definition line ("[${name}]: /path/")`,
            });
        }
        break;
      }
    }
  });

  return { references, problems };
}
// ---------------------------------------------------------------------------------------------

function markdownFilesAnyDepth(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(sep).join('/'))
    .filter((f) => /\.(md|mdx|markdown)$/i.test(f))
    .sort();
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

export function checkContent(root = 'content', options: CheckOptions = {}): CheckResult {
  const publicDir = resolve(options.publicDir ?? join(dirname(resolve(root)), 'public'));
  const today = day(options.today ?? new Date());
  const repoFile = (path: string) => relative(process.cwd(), path).split(sep).join('/');
  const content = loadContent(root);

  const errors: Found[] = content.problems.map((p) => ({ ...p }));
  const warnings: Found[] = [];
  const error = (file: string, message: string, line?: number) => errors.push({ file, line, message });
  const warn = (file: string, message: string, line?: number) => warnings.push({ file, line, message });

  const pages: Page[] = [
    ...content.guidelines.map((entry) => ({ kind: 'guideline' as const, entry })),
    ...content.tracks.map((entry) => ({ kind: 'track' as const, entry })),
    ...content.lessons.map((entry) => ({ kind: 'lesson' as const, entry })),
    ...content.resources.map((entry) => ({ kind: 'resource' as const, entry })),
  ];

  checkFilePlacement(root, repoFile, error);

  // --- Which addresses the site publishes ------------------------------------------------------
  /** Published path (no trailing slash) → languages that have their own version of it. */
  const routes = new Map<string, Set<Locale>>();
  /** Paths that exist only as drafts → why they are not published. */
  const unpublished = new Map<string, string>();
  for (const path of LISTING_PAGES)
    for (const locale of LOCALES) routes.set(withLocale(path, locale), new Set(LOCALES));

  const byKind = (kind: Kind) => pages.filter((p) => p.kind === kind).map((p) => p.entry);
  const live = (kind: Kind, locale: Locale, slug: string) =>
    byKind(kind).some((e) => e.locale === locale && e.slug === slug && !e.data.draft);
  const liveIn = (kind: Kind, locale: Locale, slug: string) =>
    live(kind, locale, slug) || (locale !== DEFAULT_LOCALE && live(kind, DEFAULT_LOCALE, slug));

  for (const kind of ['guideline', 'track', 'lesson', 'resource'] as const) {
    for (const slug of new Set(byKind(kind).map((e) => e.slug))) {
      const paths = kind === 'track' ? [urlOf(kind, slug), `${urlOf(kind, slug)}/certificate`] : [urlOf(kind, slug)];
      const track = kind === 'lesson' ? slug.split('/')[0]! : undefined;
      for (const locale of LOCALES) {
        const pageLive = liveIn(kind, locale, slug);
        const trackLive = track === undefined || liveIn('track', locale, track);
        for (const path of paths.map((p) => withLocale(p, locale))) {
          if (pageLive && trackLive) {
            routes.set(path, new Set(LOCALES.filter((l) => live(kind, l, slug))));
          } else if (
            byKind(kind).some((e) => e.slug === slug && (e.locale === locale || e.locale === DEFAULT_LOCALE))
          ) {
            unpublished.set(path, pageLive ? 'its track is a draft' : 'it is a draft');
          }
        }
      }
    }
  }

  const isAppPage = (path: string) => APP_PAGES.includes(path) || path.startsWith('/account/');

  function suggestFor(path: string): string | undefined {
    const tries = [
      path.replace(/\.(md|html)$/i, '').replace(/\/index$/, ''),
      path.replace(/^\/en(?=\/|$)/, '') || '/',
      path.replace(/^\/[a-z]{2}(?=\/)/, ''),
    ];
    for (const candidate of tries)
      if (candidate !== path && (routes.has(candidate) || isAppPage(candidate))) return candidate;
    return nearest(path, [...routes.keys(), ...APP_PAGES]);
  }

  function suggestForRelative(target: string, page: Page): string {
    const name = target
      .replace(/[?#].*$/, '')
      .replace(/\/$/, '')
      .replace(/\.md$/i, '')
      .split('/')
      .pop();
    const { locale } = page.entry;
    const inLanguage = (path: string) =>
      locale === DEFAULT_LOCALE
        ? !LOCALES.some((l) => l !== DEFAULT_LOCALE && path.startsWith(`/${l}/`))
        : path.startsWith(`/${locale}/`);
    const matches = [...routes.keys()].filter((path) => inLanguage(path) && path.split('/').pop() === name);
    const own = matches.find((path) => path.startsWith(withLocale(urlOf(page.kind, ''), locale)));
    const best = own ?? matches[0];
    return display(best ?? withLocale(urlOf(page.kind === 'lesson' ? 'track' : page.kind, 'page-name'), locale));
  }

  // --- Links and images ------------------------------------------------------------------------
  for (const page of pages) {
    const { entry } = page;
    const raw = readFileSync(entry.file, 'utf8');
    const firstBodyLine = raw.slice(0, raw.length - entry.body.length).split('\n').length;
    const fileLine = (bodyLine: number) => firstBodyLine + bodyLine - 1;

    const scan = scanMarkdown(entry.body);
    for (const problem of scan.problems)
      (problem.error ? error : warn)(entry.file, problem.message, fileLine(problem.line));

    for (const reference of scan.references) {
      const line = fileLine(reference.line);
      const { target } = reference;
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();

      if (reference.kind === 'image') {
        if (!reference.text.trim())
          error(
            entry.file,
            `image "${target}" has no alt text: describe what it shows between the brackets, e.g. ![A mentor and a student talking](${target})`,
            line,
          );
        if (!target) {
          error(entry.file, 'image has no source between the brackets ()', line);
        } else if (scheme === 'data') {
          // Inline images are allowed by the site's security policy.
        } else if (scheme || target.startsWith('//')) {
          error(
            entry.file,
            `image "${target}" is on another site, and the site only shows its own images: save it in public/images/ and use /images/<file name>`,
            line,
          );
        } else {
          const path = decode(target.replace(/[?#].*$/, ''));
          const file = path.startsWith('/') ? join(publicDir, normalise(path)) : resolve(dirname(entry.file), path);
          if (!isFile(file))
            error(
              entry.file,
              path.startsWith('/')
                ? `image "${target}" is missing: there is no ${repoFile(file)}`
                : `image "${target}" is missing: there is no ${repoFile(file)} (relative to this page)`,
              line,
            );
        }
        continue;
      }

      if (!target) {
        error(entry.file, `link "${reference.text}" has no address between the brackets ()`, line);
      } else if (target.startsWith('#') || target.startsWith('?')) {
        // Same page.
      } else if (scheme) {
        if (scheme === 'http')
          warn(entry.file, `link "${target}" is not secure: use https:// if the site supports it`, line);
        else if (!['https', 'mailto', 'tel'].includes(scheme))
          error(
            entry.file,
            `link "${target}" uses ${scheme}:, which is not allowed: link to https:// pages only`,
            line,
          );
      } else if (target.startsWith('//')) {
        error(entry.file, `link "${target}" has no scheme: start it with https://`, line);
      } else if (!target.startsWith('/')) {
        error(
          entry.file,
          `link "${target}" is relative, which breaks when the page moves or is shown in another language: use a site path that starts with /, such as ${suggestForRelative(target, page)}`,
          line,
        );
      } else {
        const path = normalise(decode(target.replace(/[?#].*$/, '')));
        const languages = routes.get(path);
        if (languages) {
          const { locale } = entry;
          const prefix = localePrefix(locale);
          if (prefix && !path.startsWith(`${prefix}/`) && path !== prefix && languages.has(locale))
            warn(
              entry.file,
              `link "${target}" goes to the English page, but there is a ${languageName(locale)} one: use "${prefix}${target}"`,
              line,
            );
        } else if (isAppPage(path) || isFile(join(publicDir, path))) {
          // An app page, or a file in public/.
        } else if (unpublished.has(path)) {
          error(entry.file, `link "${target}" goes to a page that is not published (${unpublished.get(path)})`, line);
        } else {
          const suggestion = suggestFor(path);
          error(
            entry.file,
            `link "${target}" goes to no page on the site${suggestion ? `: did you mean ${display(suggestion)}?` : ''}`,
            line,
          );
        }
      }
    }
  }

  // --- Tracks and lessons ------------------------------------------------------------------------
  const lessonFolders = new Set(content.lessons.map((l) => `${l.locale}/${l.slug.split('/')[0]}`));
  for (const folder of [...lessonFolders].sort())
    if (!isFile(join(root, 'training', folder, 'index.md'))) {
      const [locale, track] = folder.split('/') as [Locale, string];
      const original = join(root, 'training', DEFAULT_LOCALE, track, 'index.md');
      error(
        repoFile(join(root, 'training', folder)),
        `has lessons but no index.md, so the track does not exist: add ${repoFile(join(root, 'training', folder, 'index.md'))}` +
          (locale !== DEFAULT_LOCALE && isFile(original) ? ` (translate ${repoFile(original)})` : ''),
      );
    }
  for (const lesson of content.lessons) {
    const name = lesson.slug.split('/')[1]!;
    if (RESERVED_LESSON_SLUGS.includes(name))
      error(
        lesson.file,
        `a lesson cannot be called "${name}": the site uses that address for something else; rename the file`,
      );
  }

  const groups = (list: Entry<{ order: number; draft: boolean }>[], key: (e: Entry<unknown>) => string) => {
    const map = new Map<string, Entry<{ order: number; draft: boolean }>[]>();
    for (const e of list.filter((e) => !e.data.draft)) map.set(key(e), [...(map.get(key(e)) ?? []), e]);
    return map.values();
  };
  const duplicateOrders = (
    list: Entry<{ order: number; draft: boolean }>[],
    key: (e: Entry<unknown>) => string,
    what: string,
    report: typeof error,
  ) => {
    for (const group of groups(list, key)) {
      const seen = new Map<number, string>();
      for (const e of [...group].sort((a, b) => a.file.localeCompare(b.file))) {
        const first = seen.get(e.data.order);
        if (first)
          report(e.file, `order ${e.data.order} is also used by ${first}: give each ${what} its own order number`);
        else seen.set(e.data.order, e.slug.split('/').pop()!);
      }
    }
  };
  duplicateOrders(content.lessons, (e) => `${e.locale}/${e.slug.split('/')[0]}`, 'lesson in a track', error);
  duplicateOrders(content.guidelines, (e) => e.locale, 'guideline', warn);
  duplicateOrders(content.tracks, (e) => e.locale, 'track', warn);

  // --- Translations ------------------------------------------------------------------------------
  const collectionDir: Record<Kind, string> = {
    guideline: 'guidelines',
    track: 'training',
    lesson: 'training',
    resource: 'resources',
  };
  const fileFor = (kind: Kind, locale: Locale, slug: string) =>
    join(root, collectionDir[kind], locale, kind === 'track' ? `${slug}/index.md` : `${slug}.md`);
  const find = <T>(list: Entry<T>[], locale: Locale, slug: string) =>
    list.find((e) => e.locale === locale && e.slug === slug);

  for (const { kind, entry } of pages) {
    if (entry.locale === DEFAULT_LOCALE) continue;
    const original = fileFor(kind, DEFAULT_LOCALE, entry.slug);
    if (isFile(original)) continue;
    const others = byKind(kind)
      .filter((e) => e.locale === DEFAULT_LOCALE)
      .map((e) => e.slug);
    const guess = nearest(entry.slug, others);
    error(
      entry.file,
      `is a ${languageName(entry.locale)} page with no English original (${repoFile(original)}): a translation must use the same file name as its English page` +
        (guess ? `; did you mean ${guess}?` : ''),
    );
  }

  for (const track of content.tracks) {
    if (track.locale === DEFAULT_LOCALE) continue;
    const english = find(content.tracks, DEFAULT_LOCALE, track.slug);
    if (!english) continue;
    for (const field of ['order', 'passMark', 'refreshMonths', 'unlocks'] as const)
      if (track.data[field] !== english.data[field])
        error(
          track.file,
          `${field} is ${track.data[field] ?? '(not set)'} but the English track has ${english.data[field] ?? '(not set)'}: they must match`,
        );
  }

  for (const lesson of content.lessons) {
    if (lesson.locale === DEFAULT_LOCALE) continue;
    const english = find(content.lessons, DEFAULT_LOCALE, lesson.slug);
    if (!english) continue;
    const must = 'translations must keep the English ids and answers, because both are graded the same way';
    if (lesson.data.order !== english.data.order)
      error(
        lesson.file,
        `order is ${lesson.data.order} but the English lesson has ${english.data.order}: they must match`,
      );
    const list = (ids: string[]) => [...ids].sort().join(', ');
    for (const question of english.data.check)
      if (!lesson.data.check.some((q) => q.id === question.id))
        error(lesson.file, `question "${question.id}" of the English lesson is missing (${must})`);
    for (const question of lesson.data.check) {
      const original = english.data.check.find((q) => q.id === question.id);
      if (!original) {
        error(lesson.file, `question "${question.id}" is not in the English lesson (${must})`);
        continue;
      }
      const options = list(question.options.map((o) => o.id));
      const englishOptions = list(original.options.map((o) => o.id));
      if (options !== englishOptions)
        error(
          lesson.file,
          `question "${question.id}" has options ${options} but the English lesson has ${englishOptions} (${must})`,
        );
      if (list(question.correct) !== list(original.correct))
        error(
          lesson.file,
          `question "${question.id}" marks ${list(question.correct)} as correct but the English lesson marks ${list(original.correct)} (${must})`,
        );
    }
  }

  for (const guideline of content.guidelines) {
    if (guideline.locale === DEFAULT_LOCALE) continue;
    const english = find(content.guidelines, DEFAULT_LOCALE, guideline.slug);
    if (!english) continue;
    for (const field of ['order', 'urgent'] as const)
      if (guideline.data[field] !== english.data[field])
        warn(
          guideline.file,
          `${field} is ${guideline.data[field]} but the English guideline has ${english.data[field]}`,
        );
  }

  const collections = [
    { kind: 'guideline', name: 'guideline', list: content.guidelines },
    { kind: 'track', name: 'track', list: content.tracks },
    { kind: 'lesson', name: 'lesson', list: content.lessons },
  ] as const;
  for (const locale of LOCALES.filter((l) => l !== DEFAULT_LOCALE)) {
    const language = languageName(locale);
    for (const { kind, name, list } of collections) {
      const missing = list.filter(
        (e) => e.locale === DEFAULT_LOCALE && !e.data.draft && !isFile(fileFor(kind, locale, e.slug)),
      );
      if (missing.length > MANY)
        warn(
          repoFile(join(root, collectionDir[kind], DEFAULT_LOCALE)),
          `${plural(missing.length, name)} have no ${language} version yet (${language} readers see the English page): ${missing.map((e) => e.slug).join(', ')}`,
        );
      else
        for (const e of missing)
          warn(
            e.file,
            `has no ${language} version yet (${language} readers see this English page); add ${repoFile(fileFor(kind, locale, e.slug))}`,
          );
    }
  }

  // --- Reviews and drafts ------------------------------------------------------------------------
  for (const { entry } of pages) {
    if (entry.data.draft) {
      warn(entry.file, 'is a draft, so it is not published: remove "draft: true" when it is ready');
      continue;
    }
    const reviewed = day(entry.data.lastReviewed);
    const due = day(reviewDueDate(entry.data));
    if (reviewed > today)
      warn(entry.file, `lastReviewed is ${reviewed}, which is in the future: use the day you checked the page`);
    if (entry.data.reviewBy && due <= reviewed)
      warn(entry.file, `reviewBy (${due}) is not after lastReviewed (${reviewed})`);
    else if (due < today)
      warn(entry.file, `review was due on ${due}: check the page is still right, then set lastReviewed to today`);
  }

  // --- Crisis contacts -------------------------------------------------------------------------
  const crisisFile = join(root, 'crisis-contacts.yaml');
  if (!existsSync(crisisFile)) {
    error(repoFile(crisisFile), 'is missing: the crisis page needs at least one region of contacts');
  } else {
    const seen = new Set<string>();
    for (const region of content.crisisRegions) {
      if (seen.has(region.id)) error(repoFile(crisisFile), `region id "${region.id}" is used twice`);
      seen.add(region.id);
      for (const contact of region.contacts)
        if (!contact.phone && !contact.text && !contact.url)
          warn(
            repoFile(crisisFile),
            `${region.id}: "${contact.name}" has no phone, text or url, so nobody can reach it`,
          );
    }
  }

  // --- Discussion categories and prompts ----------------------------------------------------------
  const categoriesFile = repoFile(join(root, 'categories.yaml'));
  const categorySlugs = new Set<string>();
  for (const category of content.categories) {
    if (categorySlugs.has(category.slug)) error(categoriesFile, `category slug "${category.slug}" is used twice`);
    if (RESERVED_CATEGORY_SLUGS.includes(category.slug))
      error(categoriesFile, `category slug "${category.slug}" is an address the discussion pages use: choose another`);
    categorySlugs.add(category.slug);
    if (!category.name.es || !category.description.es)
      warn(categoriesFile, `${category.slug}: no Spanish name or description yet (Spanish readers see the English)`);
  }
  for (const prompt of content.prompts) {
    if (!categorySlugs.has(prompt.data.category)) {
      const near = nearest(prompt.data.category, categorySlugs);
      error(
        prompt.file,
        `category "${prompt.data.category}" is not in content/categories.yaml${near ? ` (did you mean "${near}"?)` : ''}`,
      );
    }
    if (prompt.body.trim().length < 10) error(prompt.file, 'has no prompt text below the frontmatter');
    if (prompt.body.length > 32_000) error(prompt.file, 'is longer than a post may be (32,000 characters)');
    if (prompt.data.draft) warn(prompt.file, 'is a draft, so it will not open: remove "draft: true" when it is ready');
  }

  const sorted = (list: Found[]): Problem[] =>
    list
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.i - b.i)
      .map(({ file, line, message }) => ({ file, message: line ? `line ${line}: ${message}` : message }));
  return { errors: sorted(errors), warnings: sorted(warnings), pages: pages.length };
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** `/guidelines/x/` → `/guidelines/x`; `/` stays. Also drops `.` and `..` segments' tricks. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Markdown files that Astro would silently skip because they sit in the wrong folder or have a bad name. */
function checkFilePlacement(
  root: string,
  repoFile: (path: string) => string,
  error: (file: string, message: string) => void,
) {
  const layouts = [
    { dir: 'guidelines', depth: 2, where: 'content/guidelines/<language>/<name>.md' },
    { dir: 'resources', depth: 2, where: 'content/resources/<language>/<name>.md' },
    { dir: 'prompts', depth: 2, where: 'content/prompts/<language>/<name>.md' },
    {
      dir: 'training',
      depth: 3,
      where:
        'content/training/<language>/<track>/index.md (the track) or content/training/<language>/<track>/<lesson>.md',
    },
  ];
  for (const { dir, depth, where } of layouts) {
    for (const path of markdownFilesAnyDepth(join(root, dir))) {
      const file = repoFile(join(root, dir, path));
      const segments = path.replace(/\.[a-z]+$/i, '').split('/');
      if (!path.endsWith('.md')) {
        error(file, 'only .md files are published: rename it to end in .md');
      } else if (segments.length !== depth) {
        error(file, `is in the wrong folder, so it is not published: move it to ${where}`);
      } else {
        const bad = segments.slice(1).find((s) => !SLUG.test(s));
        if (bad && LOCALES.includes(segments[0] as Locale))
          error(
            file,
            `"${bad}" becomes part of the page address, so it must be lowercase words joined by hyphens, e.g. ${slugify(bad)}`,
          );
      }
    }
  }
}

function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'page-name'
  );
}
