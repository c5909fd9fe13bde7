import { getCollection } from 'astro:content';
import { localePath } from '../../i18n/index.ts';
import { reviewDueDate } from './schema.ts';
import { splitId } from './pages.ts';

export interface ReviewItem {
  title: string;
  collection: string;
  /** Site path of the page (drafts have none). */
  path: string | null;
  file: string | undefined;
  due: Date;
  draft: boolean;
}

const pathOf = (collection: string, id: string) => {
  const { locale, slug } = splitId(id);
  const section = collection === 'tracks' || collection === 'lessons' ? 'training' : collection;
  return localePath(locale, `/${section}/${slug}/`);
};

/** Every page past its review date, soonest first, and every draft, for the coordinators' list. */
export async function pagesNeedingReview(now: Date) {
  const collections = ['guidelines', 'tracks', 'lessons', 'resources'] as const;
  const overdue: ReviewItem[] = [];
  const drafts: ReviewItem[] = [];
  for (const collection of collections) {
    for (const entry of await getCollection(collection)) {
      const item: ReviewItem = {
        title: entry.data.title,
        collection,
        path: entry.data.draft ? null : pathOf(collection, entry.id),
        file: entry.filePath,
        due: reviewDueDate(entry.data),
        draft: entry.data.draft,
      };
      if (entry.data.draft) drafts.push(item);
      else if (item.due <= now) overdue.push(item);
    }
  }
  overdue.sort((a, b) => a.due.getTime() - b.due.getTime());
  return { overdue, drafts };
}
