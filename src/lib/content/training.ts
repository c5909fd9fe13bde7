import { localized, type LocalizedEntry } from './pages.ts';
import type { Locale } from './schema.ts';

export interface TrackWithLessons {
  track: LocalizedEntry<'tracks'>;
  lessons: LocalizedEntry<'lessons'>[];
  minutes: number;
}

/** Published tracks in a locale, each with its lessons in order. */
export async function tracksWithLessons(locale: Locale): Promise<TrackWithLessons[]> {
  const [tracks, lessons] = await Promise.all([localized('tracks', locale), localized('lessons', locale)]);
  const published = new Set(tracks.map((t) => t.slug));
  return tracks
    .filter((t) => published.has(t.slug))
    .map((track) => {
      const own = lessons
        .filter((l) => l.slug.startsWith(`${track.slug}/`))
        .sort((a, b) => a.entry.data.order - b.entry.data.order);
      return { track, lessons: own, minutes: own.reduce((sum, l) => sum + l.entry.data.minutes, 0) };
    });
}

export async function findTrack(locale: Locale, slug: string) {
  return (await tracksWithLessons(locale)).find((t) => t.track.slug === slug);
}

/** The lesson's own slug within its track. */
export const lessonSlug = (entry: LocalizedEntry<'lessons'>) => entry.slug.split('/')[1]!;
