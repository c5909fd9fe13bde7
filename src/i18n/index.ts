import { DEFAULT_LOCALE, LOCALES, type Locale } from '../lib/content/schema.ts';
import { en, type UiKey } from './en.ts';
import { es } from './es.ts';

export { DEFAULT_LOCALE, LOCALES, type Locale, type UiKey };

const CATALOGS: Record<Locale, Record<UiKey, string>> = { en, es };

/** `t('training.lessons', { n: 5 })`: the string for the locale, with `{placeholders}` filled. */
export function translator(locale: Locale) {
  const catalog = CATALOGS[locale];
  return (key: UiKey, values: Record<string, string | number> = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

export const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

/** The site path of `path` (written for English, e.g. `/training/`) in another locale. */
export function localePath(locale: Locale, path: string): string {
  const bare = stripLocale(path);
  return locale === DEFAULT_LOCALE ? bare : `/${locale}${bare === '/' ? '/' : bare}`;
}

/** The locale a path is in, from its first segment. */
export function localeOfPath(path: string): Locale {
  const first = path.split('/')[1];
  return isLocale(first) && first !== DEFAULT_LOCALE ? first : DEFAULT_LOCALE;
}

/** The path without its locale prefix: `/es/training/` → `/training/`. */
export function stripLocale(path: string): string {
  const locale = localeOfPath(path);
  if (locale === DEFAULT_LOCALE) return path;
  const rest = path.slice(locale.length + 1);
  return rest === '' ? '/' : rest;
}

/** Dates in the reader's language, always UTC so static pages agree with the server. */
export function formatDate(locale: Locale, date: Date | string, style: 'long' | 'medium' = 'long') {
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(new Date(date));
}
