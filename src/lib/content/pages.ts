import { getCollection, type CollectionEntry } from 'astro:content';
import { DEFAULT_LOCALE, type Locale } from './schema.ts';

type PageCollection = 'guidelines' | 'tracks' | 'lessons' | 'resources';

/** An entry as published in one locale: its own translation, or the English page as a fallback. */
export interface LocalizedEntry<C extends PageCollection> {
  /** The id without the locale: `code-of-conduct`, `peer-supporter-orientation/active-listening`. */
  slug: string;
  entry: CollectionEntry<C>;
  /** True when `entry` is the English page standing in for a missing translation. */
  fallback: boolean;
  /** Locales this page exists in (for hreflang and the language switcher). */
  translations: Locale[];
}

export const splitId = (id: string) => {
  const [locale, ...rest] = id.split('/');
  return { locale: locale as Locale, slug: rest.join('/') };
};

/**
 * Every published page of a collection in a locale. Drafts are never published; English is the
 * canonical list, so a page missing in Spanish appears there in English, marked as a fallback.
 */
export async function localized<C extends PageCollection>(collection: C, locale: Locale): Promise<LocalizedEntry<C>[]> {
  const all = (await getCollection(collection)) as CollectionEntry<C>[];
  const published = all.filter((e) => !e.data.draft);
  const bySlug = new Map<string, Partial<Record<Locale, CollectionEntry<C>>>>();
  for (const entry of published) {
    const { locale: l, slug } = splitId(entry.id);
    bySlug.set(slug, { ...bySlug.get(slug), [l]: entry });
  }
  const result: LocalizedEntry<C>[] = [];
  for (const [slug, versions] of bySlug) {
    const original = versions[DEFAULT_LOCALE];
    if (!original) continue;
    const own = versions[locale];
    result.push({
      slug,
      entry: own ?? original,
      fallback: !own,
      translations: Object.keys(versions) as Locale[],
    });
  }
  return result.sort((a, b) => order(a.entry) - order(b.entry) || a.entry.data.title.localeCompare(b.entry.data.title));
}

const order = (entry: CollectionEntry<PageCollection>) => ('order' in entry.data ? entry.data.order : 0);

/** Where coordinators edit a page: HEARTH_EDIT_URL (a repository's edit URL) plus the file path. */
export function editUrl(entry: { filePath?: string | undefined }): string | undefined {
  const base = import.meta.env.HEARTH_EDIT_URL as string | undefined;
  if (!base || !entry.filePath) return undefined;
  return new URL(entry.filePath.replace(/^\.\//, ''), base.endsWith('/') ? base : `${base}/`).toString();
}
