import type { Category, Locale, Prompt } from '#src/lib/content/schema.ts';

/** A themed prompt ready to open: `id` (`<locale>/<slug>`) is what `threads.prompt` stores, once. */
export interface CatalogPrompt {
  id: string;
  locale: Locale;
  data: Prompt;
  /** The prompt text (Markdown), posted as the thread's opening post. */
  body: string;
}

/** Discussion categories and prompts from `content/`, built once like the other catalogs. */
export interface DiscussionCatalog {
  /** In display order. */
  categories: Category[];
  category(slug: string): Category | undefined;
  /** Published prompts (drafts left out), by publish date. */
  prompts: CatalogPrompt[];
}

export function buildDiscussionCatalog(
  categories: { data: Category }[] | Category[],
  prompts: { id: string; data: Prompt; body?: string | undefined }[],
): DiscussionCatalog {
  const list = categories
    .map((c) => ('data' in c ? c.data : c))
    .slice()
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  const bySlug = new Map(list.map((c) => [c.slug, c]));
  const published = prompts
    .filter((p) => !p.data.draft && bySlug.has(p.data.category))
    .map((p) => ({ id: p.id, locale: p.id.split('/')[0] as Locale, data: p.data, body: p.body ?? '' }))
    .sort((a, b) => a.data.publishOn.getTime() - b.data.publishOn.getTime() || a.id.localeCompare(b.id));
  return { categories: list, category: (slug) => bySlug.get(slug), prompts: published };
}

/** A category's name or description in a language, falling back to English. */
export function localized(text: { en: string; es?: string | undefined }, locale: Locale | undefined): string {
  return (locale === 'es' && text.es) || text.en;
}
