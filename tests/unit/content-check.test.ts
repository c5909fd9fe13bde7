import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, scanMarkdown, type Problem } from '#scripts/lib/content-check.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TODAY = new Date('2026-11-20T12:00:00Z');

const guideline = (fields: Record<string, unknown> = {}, body = 'Be kind to each other.') => ({
  fields: {
    title: 'Code of conduct',
    description: 'How we treat each other here.',
    order: 1,
    lastReviewed: '2026-11-01',
    ...fields,
  },
  body,
});

const track = (fields: Record<string, unknown> = {}) => ({
  fields: {
    title: 'Peer supporter orientation',
    description: 'The core skills of peer support.',
    order: 1,
    audience: ['members'],
    unlocks: 'peer-support',
    passMark: 80,
    refreshMonths: 12,
    lastReviewed: '2026-11-01',
    ...fields,
  },
  body: 'Five short lessons.',
});

const question = (id: string, correct: string[] = ['b']) => ({
  id,
  prompt: `Question ${id}?`,
  options: [
    { id: 'a', text: 'First' },
    { id: 'b', text: 'Second' },
    { id: 'c', text: 'Third' },
  ],
  correct,
  explanation: 'Because the second one is right.',
});

const lesson = (fields: Record<string, unknown> = {}, body = 'Listen first.') => ({
  fields: {
    title: 'Active listening',
    description: 'Listening so people feel heard.',
    order: 1,
    objectives: ['Reflect back what you heard.'],
    minutes: 10,
    lastReviewed: '2026-11-01',
    check: [question('one'), question('two', ['a', 'c']), question('three')],
    ...fields,
  },
  body,
});

const CRISIS = `- id: international
  name: International
  contacts:
    - name: Find A Helpline
      description: A directory of free, confidential helplines.
      url: https://findahelpline.com
      hours: Any time
`;

type Page = { fields: Record<string, unknown>; body: string };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A site folder with `content/` (the given pages plus crisis contacts) and `public/` (the given files). */
function tree(pages: Record<string, Page>, publicFiles: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-content-'));
  dirs.push(dir);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write(path.join(dir, 'content/crisis-contacts.yaml'), CRISIS);
  for (const [file, { fields, body }] of Object.entries(pages))
    write(path.join(dir, 'content', file), `---\n${JSON.stringify(fields, null, 2)}\n---\n\n${body}\n`);
  for (const file of publicFiles) write(path.join(dir, 'public', file), 'x');
  return {
    content: path.join(dir, 'content'),
    check: () => checkContent(path.join(dir, 'content'), { publicDir: path.join(dir, 'public'), today: TODAY }),
  };
}

/** A small, valid, fully translated site. */
const valid = (): Record<string, Page> => ({
  'guidelines/en/code-of-conduct.md': guideline({}, 'See the [orientation](/training/orientation/) first.'),
  'guidelines/es/code-of-conduct.md': guideline(
    { title: 'Código de conducta' },
    'Lee la [orientación](/es/training/orientation/).',
  ),
  'training/en/orientation/index.md': track(),
  'training/es/orientation/index.md': track({ title: 'Orientación' }),
  'training/en/orientation/listening.md': lesson(),
  'training/es/orientation/listening.md': lesson({ title: 'Escucha activa' }),
});

const matching = (list: Problem[], file: string, ...words: string[]) =>
  list.filter((p) => p.file.endsWith(file) && words.every((w) => p.message.includes(w)));

describe('checkContent', () => {
  it('finds no problems in a valid tree', () => {
    const { errors, warnings, pages } = tree(valid()).check();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(pages).toBe(6);
  });

  it('reports a broken internal link as an error naming the file, the line and the link', () => {
    const { errors } = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline(
        {},
        'Intro.\n\nRead [confidentiality](/guidelines/confidentiality/).',
      ),
    }).check();
    expect(errors).toEqual([
      {
        file: expect.stringMatching(/content\/guidelines\/en\/code-of-conduct\.md$/),
        message: expect.stringMatching(/^line 12: link "\/guidelines\/confidentiality\/" goes to no page on the site/),
      },
    ]);
  });

  it('checks reference-style links and suggests a near miss', () => {
    const { errors } = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline({}, 'See [the training][t].\n\n[t]: /training/orientaton/'),
    }).check();
    expect(
      matching(errors, 'code-of-conduct.md', '/training/orientaton/', 'did you mean /training/orientation/'),
    ).toHaveLength(1);
  });

  it('accepts every kind of published address, with or without the trailing slash', () => {
    const links = [
      '/',
      '/es/',
      '/guidelines',
      '/es/guidelines/code-of-conduct',
      '/training/orientation/listening/#practise',
      '/training/orientation/certificate/',
      '/resources/?topic=listening',
      '/search/',
      '/feed.xml',
      '/es/feed.xml',
      '/sign-in',
      '/sign-up/',
      '/account/',
      '/account/two-factor',
      '/forgot-password',
      '/developers/api/',
      '/downloads/worksheet.pdf',
      'https://findahelpline.com',
      'mailto:coordinators@example.org',
      '#top',
    ];
    const body = links.map((href) => `- [x](${href})`).join('\n');
    const { errors } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }, [
      'downloads/worksheet.pdf',
    ]).check();
    expect(errors).toEqual([]);
  });

  it('accepts a Spanish address for a page that exists only in English (it falls back)', () => {
    const pages = valid();
    delete pages['training/es/orientation/listening.md'];
    const { errors } = tree({
      ...pages,
      'guidelines/es/code-of-conduct.md': guideline({}, '[Escucha](/es/training/orientation/listening/)'),
    }).check();
    expect(errors).toEqual([]);
  });

  it('reports a link to a draft as an error', () => {
    const { errors, warnings } = tree({
      ...valid(),
      'guidelines/en/privacy.md': guideline({ title: 'Privacy notice', order: 2, draft: true }),
      'guidelines/en/code-of-conduct.md': guideline({}, 'Read the [privacy notice](/guidelines/privacy/).'),
    }).check();
    expect(matching(errors, 'en/code-of-conduct.md', '/guidelines/privacy/', 'not published', 'draft')).toHaveLength(1);
    expect(matching(warnings, 'en/privacy.md', 'draft')).toHaveLength(1);
  });

  it('reports relative links, telling the author to use a site path', () => {
    const { errors } = tree({
      ...valid(),
      'guidelines/en/privacy.md': guideline({ title: 'Privacy notice', order: 2 }),
      'guidelines/en/code-of-conduct.md': guideline({}, 'Read the [privacy notice](../privacy/).'),
    }).check();
    expect(matching(errors, 'en/code-of-conduct.md', '"../privacy/" is relative', '/guidelines/privacy/')).toHaveLength(
      1,
    );
  });

  it('reports HTML links and non-https links', () => {
    const { errors, warnings } = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline(
        {},
        '<a href="/guidelines/">Guidelines</a>\n\n[old](http://example.org) and [bad](javascript:alert(1))',
      ),
    }).check();
    expect(matching(errors, 'code-of-conduct.md', 'HTML <a> tag')).toHaveLength(1);
    expect(matching(errors, 'code-of-conduct.md', 'javascript:')).toHaveLength(1);
    expect(matching(warnings, 'code-of-conduct.md', 'http://example.org', 'https://')).toHaveLength(1);
  });

  it('ignores links inside code', () => {
    const body = 'Write `[text](/nowhere/)` like this:\n\n```md\n[text](/nowhere/)\n![](missing.png)\n```';
    const { errors } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }).check();
    expect(errors).toEqual([]);
  });

  it('ignores a link inside a fenced code block', () => {
    const body = [
      'An example:',
      '',
      '~~~markdown',
      '[text](/nowhere/) and [ref][missing] and <a href="/x/">x</a>',
      '',
      '```',
      '![](missing.png)',
      '~~~',
      '',
      '- In a list:',
      '',
      '  ```',
      '  [text](../relative/)',
      '  ```',
    ].join('\n');
    const { errors, warnings } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }).check();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('ignores a link inside inline code', () => {
    const body =
      'Write ``[text](/nowhere/)`` or `` `[ref][missing]` `` or `<img src="x.png">` or `http://example.org`.';
    const { errors, warnings } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }).check();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('reports a reference-style link to a missing page on the line of its address', () => {
    const body = 'Intro.\n\nSee [the guide][guide] and [again][Guide].\n\nMore.\n\n[guide]: /guidelines/missing-page/';
    const { errors } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }).check();
    expect(errors).toEqual([
      {
        file: expect.stringMatching(/content\/guidelines\/en\/code-of-conduct\.md$/),
        message: expect.stringMatching(/^line 16: link "\/guidelines\/missing-page\/" goes to no page on the site/),
      },
    ]);
  });

  it('reports a reference with no definition on its own line', () => {
    const { errors } = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline({}, 'Intro.\n\nSee [*the guide*][nowhere].'),
    }).check();
    expect(errors).toEqual([
      {
        file: expect.stringMatching(/code-of-conduct\.md$/),
        message: expect.stringMatching(/^line 12: link reference \[nowhere\] has no definition line/),
      },
    ]);
  });

  it('warns about bare http:// and www. addresses, but not https://', () => {
    const body = 'Visit https://example.org, http://example.net and www.example.com.';
    const { errors, warnings } = tree({ ...valid(), 'guidelines/en/code-of-conduct.md': guideline({}, body) }).check();
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^line 10: "www\.example\.com" becomes a link to http:\/\/www\.example\.com, which is not secure/,
      ),
      expect.stringMatching(/^line 10: link "http:\/\/example\.net" is not secure/),
    ]);
  });

  it('reports a missing image and a missing alt text as errors', () => {
    const { errors } = tree(
      {
        ...valid(),
        'guidelines/en/code-of-conduct.md': guideline(
          {},
          '![Two students talking](/images/missing.png)\n\n![](/images/present.png)\n\n![A chart](./chart.png)',
        ),
      },
      ['images/present.png'],
    ).check();
    expect(matching(errors, 'code-of-conduct.md', '/images/missing.png', 'missing')).toHaveLength(1);
    expect(matching(errors, 'code-of-conduct.md', '/images/present.png', 'no alt text')).toHaveLength(1);
    expect(matching(errors, 'code-of-conduct.md', './chart.png', 'missing')).toHaveLength(1);
    expect(errors).toHaveLength(3);
  });

  it('finds images next to the page and inside links', () => {
    const t = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline(
        {},
        '[![The orientation badge](./badge.png)](/training/orientation/)',
      ),
    });
    writeFileSync(path.join(t.content, 'guidelines/en/badge.png'), 'x');
    expect(t.check().errors).toEqual([]);
  });

  it('reports a lesson folder without its track index.md', () => {
    const pages = valid();
    delete pages['training/es/orientation/index.md'];
    const { errors } = tree(pages).check();
    expect(matching(errors, 'training/es/orientation', 'no index.md')).toHaveLength(1);
  });

  it('reports a lesson named like an address the site already uses', () => {
    const { errors } = tree({ ...valid(), 'training/en/orientation/certificate.md': lesson({ order: 2 }) }).check();
    expect(matching(errors, 'en/orientation/certificate.md', 'cannot be called "certificate"')).toHaveLength(1);
  });

  it('reports duplicate lesson order in a track as an error and duplicate guideline order as a warning', () => {
    const { errors, warnings } = tree({
      ...valid(),
      'training/en/orientation/empathy.md': lesson({ title: 'Empathy' }),
      'guidelines/en/privacy.md': guideline({ title: 'Privacy notice' }),
    }).check();
    expect(matching(errors, 'en/orientation/listening.md', 'order 1', 'empathy')).toHaveLength(1);
    expect(matching(warnings, 'en/privacy.md', 'order 1', 'code-of-conduct')).toHaveLength(1);
    expect(matching(errors, 'guidelines/en/privacy.md')).toEqual([]);
  });

  it('reports a Spanish lesson with a different correct answer, order or question ids', () => {
    const { errors } = tree({
      ...valid(),
      'training/es/orientation/listening.md': lesson({
        order: 2,
        check: [question('one', ['c']), question('two', ['a', 'c']), question('tres')],
      }),
    }).check();
    const spanish = matching(errors, 'es/orientation/listening.md');
    expect(spanish.map((p) => p.message)).toEqual([
      expect.stringContaining('order is 2 but the English lesson has 1'),
      expect.stringContaining('question "three" of the English lesson is missing'),
      expect.stringContaining('question "one" marks c as correct but the English lesson marks b'),
      expect.stringContaining('question "tres" is not in the English lesson'),
    ]);
  });

  it('reports a Spanish page with no English original', () => {
    const { errors } = tree({ ...valid(), 'guidelines/es/codigo.md': guideline({ order: 2 }) }).check();
    expect(matching(errors, 'guidelines/es/codigo.md', 'no English original')).toHaveLength(1);
  });

  it('warns, without an error, about missing translations', () => {
    const pages = valid();
    delete pages['guidelines/es/code-of-conduct.md'];
    const { errors, warnings } = tree(pages).check();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      {
        file: expect.stringMatching(/guidelines\/en\/code-of-conduct\.md$/),
        message: expect.stringContaining('no Spanish version'),
      },
    ]);
  });

  it('lists many missing translations on one line per collection', () => {
    const pages: Record<string, Page> = { ...valid() };
    for (const name of ['a', 'b', 'c', 'd'])
      pages[`guidelines/en/${name}.md`] = guideline({ order: name.charCodeAt(0) });
    const { warnings } = tree(pages).check();
    expect(warnings).toEqual([
      {
        file: expect.stringMatching(/guidelines\/en$/),
        message: expect.stringMatching(/^4 guidelines .*: a, b, c, d$/),
      },
    ]);
  });

  it('warns when a Spanish page links to the English version of a translated page', () => {
    const { errors, warnings } = tree({
      ...valid(),
      'guidelines/es/code-of-conduct.md': guideline({}, 'Lee la [orientación](/training/orientation/).'),
    }).check();
    expect(errors).toEqual([]);
    expect(matching(warnings, 'es/code-of-conduct.md', '/es/training/orientation/')).toHaveLength(1);
  });

  it('warns when a review date has passed', () => {
    const { errors, warnings } = tree({
      ...valid(),
      'guidelines/en/code-of-conduct.md': guideline({ lastReviewed: '2025-10-01' }, ''),
      'guidelines/es/code-of-conduct.md': guideline({ lastReviewed: '2026-11-01', reviewBy: '2026-11-19' }, ''),
    }).check();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      {
        file: expect.stringMatching(/en\/code-of-conduct\.md$/),
        message: expect.stringContaining('due on 2026-10-01'),
      },
      {
        file: expect.stringMatching(/es\/code-of-conduct\.md$/),
        message: expect.stringContaining('due on 2026-11-19'),
      },
    ]);
  });

  it('reports schema problems and files Astro would skip', () => {
    const { errors } = tree({
      ...valid(),
      'guidelines/en/bad.md': guideline({ order: -1 }),
      'guidelines/stray.md': guideline(),
      'guidelines/en/Good Manners.md': guideline({ order: 5 }),
    }).check();
    expect(matching(errors, 'guidelines/en/bad.md', 'order')).toHaveLength(1);
    expect(matching(errors, 'guidelines/stray.md', 'wrong folder')).toHaveLength(1);
    expect(matching(errors, 'guidelines/en/Good Manners.md', 'good-manners')).toHaveLength(1);
  });
});

describe('scanMarkdown', () => {
  it('finds inline, reference, autolink and image targets but nothing in code', () => {
    const { references, problems } = scanMarkdown(
      [
        'A [link](/a/ "title") and [ref][r] and [collapsed][] and <https://example.org>.',
        '![alt](/img.png) and `[code](/no/)`.',
        '',
        '[r]: /b/',
        '[collapsed]: </c/>',
        '[^1]: A footnote, not a link.',
      ].join('\n'),
    );
    expect(references.map((r) => `${r.kind} ${r.target}`)).toEqual([
      'link /a/',
      'link https://example.org',
      'image /img.png',
      'link /b/',
      'link /c/',
    ]);
    expect(problems).toEqual([]);
  });

  it('ignores HTML tags inside HTML comments, and reports them with their line', () => {
    const { problems } = scanMarkdown('<!-- <img src="old.png"> -->\n\n<div>\n<p>Hi</p>\n<img src="x.png">\n</div>');
    expect(problems).toEqual([
      expect.objectContaining({ line: 5, error: true, message: expect.stringContaining('<img>') }),
    ]);
  });

  it('reports a reference with no definition', () => {
    expect(scanMarkdown('See [this][nowhere].').problems).toEqual([
      expect.objectContaining({ error: true, message: expect.stringContaining('[nowhere]') }),
    ]);
  });
});

describe('the real content/', () => {
  it('has no errors', () => {
    const { errors } = checkContent(path.join(ROOT, 'content'), { publicDir: path.join(ROOT, 'public') });
    expect(errors).toEqual([]);
  });
});

describe('discussion categories and prompts', () => {
  const category = (slug: string, extra = '') => `- slug: ${slug}
  name:
    en: The ${slug} category
    es: La categoría ${slug}
  description:
    en: Threads about ${slug} for the tests.
    es: Hilos sobre ${slug} para las pruebas.
  visibility: members
  order: 1
${extra}`;
  const prompt = (fields: Record<string, unknown> = {}, body = 'What is one small win from your week?') => ({
    fields: { title: 'A small win', category: 'reflections', publishOn: '2026-11-16', postFirst: true, ...fields },
    body,
  });
  const withCategories = (yaml: string, pages: Record<string, Page> = {}) => {
    const site = tree({ ...valid(), ...pages });
    writeFileSync(path.join(site.content, 'categories.yaml'), yaml);
    return site.check();
  };

  it('accepts valid categories and a prompt in one of them', () => {
    const { errors, warnings } = withCategories(category('reflections', '  postFirst: true\n'), {
      'prompts/en/small-wins.md': prompt(),
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('reports schema problems, duplicate and reserved slugs, and groups that are missing or misplaced', () => {
    const { errors } = withCategories(
      [
        category('study'),
        category('study'),
        category('new'),
        category('cohort', '  visibility: group\n').replace('  visibility: members\n', ''),
        category('everyone', '  group: cohort-a\n'),
        category('odd', '  whoMayPost: everybody\n'),
      ].join('\n'),
    );
    const messages = errors.map((e) => e.message);
    expect(messages).toContain('category slug "study" is used twice');
    expect(messages.some((m) => m.includes('"new" is an address'))).toBe(true);
    expect(messages.some((m) => m.includes('group') && m.includes('must name its group'))).toBe(true);
    expect(messages.some((m) => m.includes('only a category with visibility: group names a group'))).toBe(true);
    expect(messages.some((m) => m.includes('whoMayPost'))).toBe(true);
  });

  it('reports a prompt in an unknown category, with a near miss, and one without text', () => {
    const { errors } = withCategories(category('reflections'), {
      'prompts/en/small-wins.md': prompt({ category: 'reflection' }),
      'prompts/en/empty.md': prompt({}, ''),
      'prompts/en/late.md': prompt({ publishOn: 'someday' }),
    });
    expect(matching(errors, 'prompts/en/small-wins.md', '"reflection"', 'did you mean "reflections"')).toHaveLength(1);
    expect(matching(errors, 'prompts/en/empty.md', 'no prompt text')).toHaveLength(1);
    expect(matching(errors, 'prompts/en/late.md', 'publishOn')).toHaveLength(1);
  });

  it('passes the real content', () => {
    const { errors } = checkContent(path.join(ROOT, 'content'), { today: TODAY });
    expect(errors).toEqual([]);
  });
});
