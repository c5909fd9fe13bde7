import type { Locale, Survey } from '#src/lib/content/schema.ts';

/** Published surveys: English is canonical (ids, types, rules); translations lend their wording. */
export interface CatalogSurvey {
  slug: string;
  survey: Survey;
  wording: Partial<Record<Locale, Survey>>;
}

export interface SurveyCatalog {
  surveys: CatalogSurvey[];
  get(slug: string): CatalogSurvey | undefined;
}

export function buildSurveyCatalog(entries: { id: string; data: Survey }[]): SurveyCatalog {
  const published = entries.filter((e) => !e.data.draft);
  const surveys: CatalogSurvey[] = [];
  for (const entry of published) {
    const [locale, slug] = entry.id.split('/') as [Locale, string];
    if (locale !== 'en') continue;
    const wording = Object.fromEntries(
      published.filter((e) => e.id.endsWith(`/${slug}`)).map((e) => [e.id.split('/')[0], e.data]),
    ) as Partial<Record<Locale, Survey>>;
    surveys.push({ slug, survey: entry.data, wording });
  }
  const bySlug = new Map(surveys.map((s) => [s.slug, s]));
  return { surveys, get: (slug) => bySlug.get(slug) };
}
