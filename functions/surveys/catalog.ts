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

/**
 * What is wrong with the surveys' pre/post pairs, across files: each `pairKey` has one `pre` and
 * one `post` of the same instrument, asking the same likert5 ratings (the before-and-after change
 * compares each person's mean rating). English definitions only: translations lend wording.
 */
export function surveyPairProblems(
  surveys: readonly { slug: string; survey: Survey }[],
): { slug: string; message: string }[] {
  const problems: { slug: string; message: string }[] = [];
  const byPair = new Map<string, { slug: string; survey: Survey }[]>();
  for (const s of surveys)
    if (s.survey.pairKey) byPair.set(s.survey.pairKey, [...(byPair.get(s.survey.pairKey) ?? []), s]);
  const ratings = (s: Survey) =>
    s.questions
      .filter((q) => q.type === 'likert5')
      .map((q) => q.id)
      .sort()
      .join(', ');
  for (const [key, members] of byPair) {
    for (const phase of ['pre', 'post'] as const) {
      const count = members.filter((m) => m.survey.phase === phase).length;
      if (count !== 1)
        problems.push({
          slug: members[0]!.slug,
          message: `pairKey ${key} has ${count} "${phase}" surveys: it needs exactly one`,
        });
    }
    const pre = members.find((m) => m.survey.phase === 'pre');
    for (const m of members) {
      if (!pre || m === pre) continue;
      if (m.survey.instrument !== pre.survey.instrument)
        problems.push({ slug: m.slug, message: `pairKey ${key}: instrument differs from ${pre.slug}` });
      if (ratings(m.survey) !== ratings(pre.survey))
        problems.push({
          slug: m.slug,
          message: `pairKey ${key}: asks the likert5 ratings [${ratings(m.survey)}], but ${pre.slug} asks [${ratings(pre.survey)}]: a pair asks the same ones`,
        });
    }
  }
  return problems;
}
