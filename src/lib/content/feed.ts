import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { localePath, translator, type Locale } from '../../i18n/index.ts';
import { localized } from './pages.ts';

/** RSS of resources and guidelines, newest review first, in one locale (English fills gaps). */
export async function feed(context: APIContext, locale: Locale) {
  const t = translator(locale);
  const [resources, guidelines] = await Promise.all([localized('resources', locale), localized('guidelines', locale)]);
  const items = [
    ...resources.map((r) => ({ page: r, section: 'resources', category: t('nav.resources') })),
    ...guidelines.map((g) => ({ page: g, section: 'guidelines', category: t('nav.guidelines') })),
  ]
    .sort((a, b) => b.page.entry.data.lastReviewed.getTime() - a.page.entry.data.lastReviewed.getTime())
    .slice(0, 50);
  return rss({
    title: `Hearth: ${t('nav.resources')} · ${t('nav.guidelines')}`,
    description: t('home.description'),
    site: context.site ?? context.url.origin,
    customData: `<language>${locale}</language>`,
    items: items.map(({ page, section, category }) => ({
      title: page.entry.data.title,
      description: page.entry.data.description,
      link: localePath(locale, `/${section}/${page.slug}/`),
      pubDate: page.entry.data.lastReviewed,
      categories: [category],
    })),
  });
}
