import { describe, expect, it } from 'vitest';
import { localize } from '#src/lib/content/localize.ts';

const page = (id: string, title: string, order = 0, draft = false) => ({ id, data: { title, order, draft } });

describe('localize: which page a reader of each language gets', () => {
  const entries = [
    page('en/b', 'Bravo', 2),
    page('en/a', 'Alpha', 1),
    page('es/a', 'Alfa', 1),
    page('en/c', 'Charlie', 3),
    page('es/c', 'Carlos (borrador)', 3, true),
    page('es/only-spanish', 'Solo en español', 4),
    page('en/hidden', 'Hidden', 5, true),
  ];

  it('serves the translation where there is one, English marked as a fallback elsewhere', () => {
    expect(localize(entries, 'es').map((p) => [p.slug, p.entry.data.title, p.fallback, p.translations])).toEqual([
      ['a', 'Alfa', false, ['en', 'es']],
      ['b', 'Bravo', true, ['en']],
      // A draft translation is not published: the English page stands in.
      ['c', 'Charlie', true, ['en']],
    ]);
  });

  it('never publishes drafts or pages that exist only in a translation, and keeps editorial order', () => {
    expect(localize(entries, 'en').map((p) => [p.slug, p.fallback])).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
    ]);
  });
});
