import { localized } from './pages.ts';
import type { Locale } from './schema.ts';

/** getStaticPaths for one page per published guideline in a locale (English fills any gap). */
export async function guidelinePaths(locale: Locale) {
  return (await localized('guidelines', locale)).map((page) => ({ params: { slug: page.slug }, props: { page } }));
}

/** getStaticPaths for every published lesson in a locale. */
export async function lessonPaths(locale: Locale) {
  const lessons = await localized('lessons', locale);
  return lessons.map((page) => {
    const [track, lesson] = page.slug.split('/') as [string, string];
    return { params: { track, lesson }, props: { page } };
  });
}

/** getStaticPaths for every published resource in a locale. */
export async function resourcePaths(locale: Locale) {
  return (await localized('resources', locale)).map((page) => ({ params: { slug: page.slug }, props: { page } }));
}
