import type { Eligibility, Lesson, Locale, Question, Track } from '#src/lib/content/schema.ts';

/**
 * What the server needs to know about training: tracks, their lessons in order, and each
 * knowledge check with its answers. Built from the content collections (in the Worker) or from
 * `content/` read by `scripts/lib/content.ts` (in tests), so there is one source for both.
 * English is canonical; translations lend their wording and explanations.
 */
export interface CatalogLesson {
  slug: string;
  order: number;
  title: Partial<Record<Locale, string>>;
  questions: Partial<Record<Locale, Question[]>> & { en: Question[] };
}

export interface CatalogTrack {
  slug: string;
  order: number;
  passMark: number;
  refreshMonths: number;
  unlocks: Eligibility | undefined;
  title: Partial<Record<Locale, string>> & { en: string };
  lessons: CatalogLesson[];
}

export interface TrainingCatalog {
  tracks: CatalogTrack[];
  track(slug: string): CatalogTrack | undefined;
}

interface Entry<T> {
  id: string;
  data: T;
}

export function buildCatalog(trackEntries: Entry<Track>[], lessonEntries: Entry<Lesson>[]): TrainingCatalog {
  const split = (id: string) => {
    const [locale, track, lesson] = id.split('/') as [Locale, string, string | undefined];
    return { locale, track, lesson };
  };
  const published = <T extends { draft: boolean }>(e: Entry<T>) => !e.data.draft;

  const tracks: CatalogTrack[] = [];
  for (const entry of trackEntries.filter(published)) {
    const { locale, track } = split(entry.id);
    if (locale !== 'en') continue;
    const translations = trackEntries.filter((t) => published(t) && split(t.id).track === track);
    const lessons: CatalogLesson[] = lessonEntries
      .filter((l) => published(l) && split(l.id).locale === 'en' && split(l.id).track === track)
      .map((l) => {
        const slug = split(l.id).lesson!;
        const versions = lessonEntries.filter(
          (v) => published(v) && split(v.id).track === track && split(v.id).lesson === slug,
        );
        return {
          slug,
          order: l.data.order,
          title: Object.fromEntries(versions.map((v) => [split(v.id).locale, v.data.title])),
          questions: {
            ...Object.fromEntries(versions.map((v) => [split(v.id).locale, v.data.check])),
            en: l.data.check,
          },
        };
      })
      .sort((a, b) => a.order - b.order);
    tracks.push({
      slug: track,
      order: entry.data.order,
      passMark: entry.data.passMark,
      refreshMonths: entry.data.refreshMonths,
      unlocks: entry.data.unlocks,
      title: {
        ...Object.fromEntries(translations.map((t) => [split(t.id).locale, t.data.title])),
        en: entry.data.title,
      },
      lessons,
    });
  }
  tracks.sort((a, b) => a.order - b.order);
  const bySlug = new Map(tracks.map((t) => [t.slug, t]));
  return { tracks, track: (slug) => bySlug.get(slug) };
}
