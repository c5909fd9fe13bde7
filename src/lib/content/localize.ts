import { DEFAULT_LOCALE, type Locale } from './schema.ts';

export interface Localizable {
  id: string;
  data: { draft: boolean; title: string; order?: number };
}

export interface Localized<E> {
  /** The id without the locale: `code-of-conduct`, `peer-supporter-orientation/active-listening`. */
  slug: string;
  entry: E;
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
 * The published pages of one collection as a reader of `locale` sees them. Drafts are never
 * published; English is the canonical list, so a page missing in the locale appears in English,
 * marked as a fallback, and a page that exists only in a translation is not published.
 */
export function localize<E extends Localizable>(entries: readonly E[], locale: Locale): Localized<E>[] {
  const bySlug = new Map<string, Partial<Record<Locale, E>>>();
  for (const entry of entries.filter((e) => !e.data.draft)) {
    const { locale: l, slug } = splitId(entry.id);
    bySlug.set(slug, { ...bySlug.get(slug), [l]: entry });
  }
  const result: Localized<E>[] = [];
  for (const [slug, versions] of bySlug) {
    const original = versions[DEFAULT_LOCALE];
    if (!original) continue;
    const own = versions[locale];
    result.push({ slug, entry: own ?? original, fallback: !own, translations: Object.keys(versions) as Locale[] });
  }
  const order = (e: E) => e.data.order ?? 0;
  return result.sort((a, b) => order(a.entry) - order(b.entry) || a.entry.data.title.localeCompare(b.entry.data.title));
}
