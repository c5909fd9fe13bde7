import { getCollection, type CollectionEntry } from 'astro:content';
import { localize, splitId, type Localized } from './localize.ts';
import type { Locale } from './schema.ts';

type PageCollection = 'guidelines' | 'tracks' | 'lessons' | 'resources';

/** An entry as published in one locale: its own translation, or the English page as a fallback. */
export type LocalizedEntry<C extends PageCollection> = Localized<CollectionEntry<C>>;

export { splitId };

/** Every published page of a collection in a locale (see `localize`). */
export async function localized<C extends PageCollection>(collection: C, locale: Locale): Promise<LocalizedEntry<C>[]> {
  return localize((await getCollection(collection)) as CollectionEntry<C>[], locale);
}

/** Where coordinators edit a page: HEARTH_EDIT_URL (a repository's edit URL) plus the file path. */
export function editUrl(entry: { filePath?: string | undefined }): string | undefined {
  const base = import.meta.env.HEARTH_EDIT_URL as string | undefined;
  if (!base || !entry.filePath) return undefined;
  return new URL(entry.filePath.replace(/^\.\//, ''), base.endsWith('/') ? base : `${base}/`).toString();
}
