import { AUDIENCES, LOCALES, RESOURCE_FORMATS, RESOURCE_TYPES, TOPICS, type Locale } from './schema.ts';
import { localized, type LocalizedEntry } from './pages.ts';

/** The library's filters, each read from the query string so they work without JavaScript. */
export const FACETS = {
  topic: TOPICS,
  type: RESOURCE_TYPES,
  format: RESOURCE_FORMATS,
  audience: AUDIENCES,
  language: LOCALES,
} as const;
export type Facet = keyof typeof FACETS;
export type Filters = Partial<Record<Facet, string>>;

/** Known values only: anything else in the query string is ignored rather than matched. */
export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const facet of Object.keys(FACETS) as Facet[]) {
    const value = params.get(facet);
    if (value && (FACETS[facet] as readonly string[]).includes(value)) filters[facet] = value;
  }
  return filters;
}

type Resource = LocalizedEntry<'resources'>;

const valuesOf = (r: Resource, facet: Facet): readonly string[] => {
  const d = r.entry.data;
  switch (facet) {
    case 'topic':
      return d.topics;
    case 'audience':
      return d.audience;
    case 'type':
      return [d.type];
    case 'format':
      return [d.format];
    case 'language':
      return [d.language];
  }
};

export const matches = (r: Resource, filters: Filters, except?: Facet) =>
  (Object.entries(filters) as [Facet, string][]).every(([f, v]) => f === except || valuesOf(r, f).includes(v));

/**
 * Resources matching the filters, most recently reviewed first, with how many would match each
 * option of each facet given the other filters (so a reader never picks a dead end blind).
 */
export async function searchLibrary(locale: Locale, filters: Filters) {
  const all = await localized('resources', locale);
  const results = all
    .filter((r) => matches(r, filters))
    .sort((a, b) => b.entry.data.lastReviewed.getTime() - a.entry.data.lastReviewed.getTime());
  const counts = Object.fromEntries(
    (Object.keys(FACETS) as Facet[]).map((facet) => {
      const pool = all.filter((r) => matches(r, filters, facet));
      return [facet, Object.fromEntries(FACETS[facet].map((v) => [v, pool.filter((r) => valuesOf(r, facet).includes(v)).length]))];
    }),
  ) as Record<Facet, Record<string, number>>;
  return { results, counts, total: all.length };
}
