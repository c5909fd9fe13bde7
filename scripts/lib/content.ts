/**
 * Reads `content/` outside Astro (content:check, tests, the bench) with the same schemas the
 * collections use, so what passes here is exactly what the site publishes.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { surveyPairProblems } from '#functions/surveys/catalog.ts';
import type { z } from 'astro/zod';
import {
  LOCALES,
  categorySchema,
  crisisRegionSchema,
  guidelineSchema,
  lessonSchema,
  promptSchema,
  resourceSchema,
  surveySchema,
  trackSchema,
  type Locale,
} from '#src/lib/content/schema.ts';

export interface Entry<T> {
  /** Same id Astro gives the entry: the path under the collection folder, without `.md`. */
  id: string;
  locale: Locale;
  /** The id without its locale: `code-of-conduct`, `peer-supporter-orientation/active-listening`. */
  slug: string;
  /** Path relative to the repository root. */
  file: string;
  data: T;
  body: string;
}

export interface Problem {
  file: string;
  message: string;
}

export interface Content {
  guidelines: Entry<z.infer<typeof guidelineSchema>>[];
  tracks: Entry<z.infer<typeof trackSchema>>[];
  lessons: Entry<z.infer<typeof lessonSchema>>[];
  resources: Entry<z.infer<typeof resourceSchema>>[];
  crisisRegions: z.infer<typeof crisisRegionSchema>[];
  /** Surveys (YAML, no body): `content/surveys/<locale>/<slug>.yaml`. */
  surveys: Entry<z.infer<typeof surveySchema>>[];
  /** Discussion categories, from `content/categories.yaml`. */
  categories: z.infer<typeof categorySchema>[];
  /** Themed discussion prompts: `content/prompts/<locale>/<slug>.md`. */
  prompts: Entry<z.infer<typeof promptSchema>>[];
  problems: Problem[];
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

export function loadContent(root = 'content'): Content {
  const problems: Problem[] = [];
  const repoFile = (path: string) => relative(process.cwd(), path).split('\\').join('/');

  function read<S extends z.ZodType>(collection: string, schema: S, pick: (path: string) => boolean) {
    const base = join(root, collection);
    const entries: Entry<z.infer<S>>[] = [];
    for (const path of markdownFiles(base).filter(pick)) {
      const file = repoFile(join(base, path));
      const id = path.replace(/\.md$/, '').replace(/\/index$/, '');
      const [locale, ...rest] = id.split('/');
      if (!LOCALES.includes(locale as Locale)) {
        problems.push({ file, message: `must sit in a language folder (${LOCALES.join(', ')})` });
        continue;
      }
      const match = FRONTMATTER.exec(readFileSync(join(base, path), 'utf8'));
      if (!match) {
        problems.push({ file, message: 'has no frontmatter (a block between --- lines at the top)' });
        continue;
      }
      let raw: unknown;
      try {
        raw = parse(match[1]!);
      } catch (error) {
        problems.push({ file, message: `frontmatter is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
        continue;
      }
      const result = schema.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues)
          problems.push({ file, message: `${issue.path.join('.') || 'frontmatter'}: ${issue.message}` });
        continue;
      }
      entries.push({ id, locale: locale as Locale, slug: rest.join('/'), file, data: result.data, body: match[2]! });
    }
    return entries;
  }

  const depth = (n: number) => (path: string) => path.split('/').length === n;
  const guidelines = read('guidelines', guidelineSchema, depth(2));
  const tracks = read('training', trackSchema, (p) => depth(3)(p) && p.endsWith('/index.md'));
  const lessons = read('training', lessonSchema, (p) => depth(3)(p) && !p.endsWith('/index.md'));
  const resources = read('resources', resourceSchema, depth(2));

  /** A YAML file holding a list of entries, each checked by `schema`: the valid ones load, the others are reported. */
  function readList<S extends z.ZodType>(name: string, schema: S): z.infer<S>[] {
    const path = join(root, name);
    if (!existsSync(path)) return [];
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      problems.push({ file: repoFile(path), message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      return [];
    }
    if (!Array.isArray(raw)) {
      problems.push({ file: repoFile(path), message: 'must be a list of entries (each starting with "- ")' });
      return [];
    }
    const entries: z.infer<S>[] = [];
    raw.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) entries.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          problems.push({ file: repoFile(path), message: `${[index, ...issue.path].join('.')}: ${issue.message}` });
    });
    return entries;
  }

  const crisisRegions = readList('crisis-contacts.yaml', crisisRegionSchema);
  const categories = readList('categories.yaml', categorySchema);
  const prompts = read('prompts', promptSchema, depth(2));

  const surveys: Content['surveys'] = [];
  const surveyDir = join(root, 'surveys');
  if (existsSync(surveyDir)) {
    for (const path of readdirSync(surveyDir, { recursive: true, encoding: 'utf8' })
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const file = repoFile(join(surveyDir, path));
      const id = path.replace(/\.yaml$/, '');
      const [locale, ...rest] = id.split('/');
      if (!LOCALES.includes(locale as Locale) || rest.length !== 1) {
        problems.push({ file, message: `must be content/surveys/<${LOCALES.join('|')}>/<slug>.yaml` });
        continue;
      }
      try {
        const parsed = surveySchema.safeParse(parse(readFileSync(join(surveyDir, path), 'utf8')));
        if (parsed.success)
          surveys.push({ id, locale: locale as Locale, slug: rest[0]!, file, data: parsed.data, body: '' });
        else
          for (const issue of parsed.error.issues)
            problems.push({ file, message: `${issue.path.join('.') || 'survey'}: ${issue.message}` });
      } catch (error) {
        problems.push({ file, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      }
    }
  }

  for (const { slug, message } of surveyPairProblems(
    surveys.filter((s) => s.locale === 'en').map((s) => ({ slug: s.slug, survey: s.data })),
  ))
    problems.push({ file: repoFile(join(surveyDir, 'en', `${slug}.yaml`)), message });

  return { guidelines, tracks, lessons, resources, crisisRegions, surveys, categories, prompts, problems };
}
