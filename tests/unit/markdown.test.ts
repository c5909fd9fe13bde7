import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_LENGTH, MarkdownTooLongError, markdownToText, renderMarkdown } from '#functions/lib/markdown.ts';
import { decodeEntities, markupProblems as problems, xssPayloads } from '#tests/factories/xss.ts';

const payloads = xssPayloads();

/** A 30,000-character message of the ordinary kind: headings, lists, a table, code, quotes. */
function ordinaryLongMessage(): string {
  const section = (i: number) =>
    [
      `## Week ${i}`,
      '',
      `This week we talked about **goals** and _habits_, see [the notes](https://example.org/notes/${i}) and`,
      'https://example.org/reading for more (it is long: read it over a few days).',
      '',
      '- one thing',
      '- another, with `code`',
      '  - and a nested one',
      '',
      '| Day | What |',
      '|-----|------|',
      '| Mon | Read |',
      '',
      '```ts',
      'function f(a: number[]): number { return a.reduce((x, y) => x * y, 1) ** 2; } // *not* emphasis_',
      '```',
      '',
      '> A quote ~~to remember~~.',
      '',
    ].join('\n');
  let source = '';
  for (let i = 1; source.length + section(i).length <= MARKDOWN_MAX_LENGTH; i += 1) source += section(i);
  return source;
}

/** Milliseconds to render the ordinary long message: the yardstick for "quickly" on this machine. */
function baselineMs(): number {
  const source = ordinaryLongMessage();
  const times = [0, 1, 2].map(() => {
    const started = performance.now();
    renderMarkdown(source);
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[1] ?? 0;
}

describe('the output checker itself', () => {
  it.each([
    ['<script>alert(1)</script>'],
    ['<p onclick="x">a</p>'],
    ['<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>'],
    ['<a href="&#x6A;avascript:alert(1)" rel="nofollow ugc noopener">x</a>'],
    ['<a href=" JAVASCRIPT:alert(1)" rel="nofollow ugc noopener">x</a>'],
    ['<a href="https://e.com">x</a>'],
    ['<a href="https://e.com" rel="nofollow ugc noopener" target="_blank">x</a>'],
    ['<img src=x>'],
    ['<p>a < b</p>'],
    ['<svg/onload=alert(1)>'],
  ])('rejects %s', (html) => {
    expect(problems(html)).not.toEqual([]);
  });

  it('accepts escaped text and safe links', () => {
    expect(problems('<p>&#x3C;script> javascript:alert(1) onerror=x</p>')).toEqual([]);
    expect(problems('<p><a href="https://e.com/?a=1&#x26;b=2" rel="nofollow ugc noopener">x</a></p>')).toEqual([]);
  });
});

describe('renderMarkdown: what members can write', () => {
  it('renders headings, emphasis, strikethrough, code and quotes', () => {
    const html = renderMarkdown('# Title\n\n## Sub\n\nSome *em*, **strong**, ~~gone~~ and `code`.\n\n> quoted');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<h2>Sub</h2>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
  });

  it('renders bullet and numbered lists, keeping the start number', () => {
    const html = renderMarkdown('- one\n- two\n\n3. three\n4. four');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol start="3">\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>/);
  });

  it('renders task lists as ☐/☑ text rather than form controls', () => {
    const html = renderMarkdown('- [ ] to do\n- [x] done');
    expect(html).toContain('<li>☐ to do</li>');
    expect(html).toContain('<li>☑ done</li>');
    expect(html).not.toContain('<input');
  });

  it('renders GFM tables with alignment', () => {
    const html = renderMarkdown('| Day | Time |\n|:----|-----:|\n| Mon | 10:00 |');
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th align="left">Day<\/th>\s*<th align="right">Time<\/th>/);
    expect(html).toMatch(/<tbody>\s*<tr>\s*<td align="left">Mon<\/td>\s*<td align="right">10:00<\/td>/);
  });

  it('renders fenced code with a language class and escapes its content', () => {
    const html = renderMarkdown('```ts\nconst a = "<b>";\n```');
    expect(html).toBe('<pre><code class="language-ts">const a = "&#x3C;b>";\n</code></pre>');
    expect(renderMarkdown('```js" onload="x\ny\n```')).toBe('<pre><code>y\n</code></pre>');
  });

  it('renders links and autolinks, each with exactly rel="nofollow ugc noopener"', () => {
    const rel = 'rel="nofollow ugc noopener"';
    expect(renderMarkdown('[Hearth](https://example.org/a?b=1&c=2 "Home")')).toBe(
      `<p><a href="https://example.org/a?b=1&#x26;c=2" ${rel}>Hearth</a></p>`, // titles are dropped
    );
    expect(renderMarkdown('<https://example.org>')).toBe(
      `<p><a href="https://example.org" ${rel}>https://example.org</a></p>`,
    );
    expect(renderMarkdown('see www.example.org')).toBe(
      `<p>see <a href="http://www.example.org" ${rel}>www.example.org</a></p>`,
    );
    expect(renderMarkdown('mail ana@example.org')).toBe(
      `<p>mail <a href="mailto:ana@example.org" ${rel}>ana@example.org</a></p>`,
    );
    expect(renderMarkdown('[ref][r]\n\n[r]: http://example.org')).toBe(
      `<p><a href="http://example.org" ${rel}>ref</a></p>`,
    );
    expect(renderMarkdown('[up](HTTPS://Example.org)')).toBe(`<p><a href="https://Example.org" ${rel}>up</a></p>`);
  });

  it('never has an <a> without that rel, or with anything but href and rel', () => {
    const html = renderMarkdown(
      '[a](https://a.example) <https://b.example> www.c.example d@e.example [f][g]\n\n[g]: mailto:h@i.example',
    );
    const anchors = [...html.matchAll(/<a\b[^>]*>/g)].map(([tag]) => tag);
    expect(anchors).toHaveLength(5);
    for (const tag of anchors)
      expect(tag).toMatch(/^<a href="(?:https?:\/\/|mailto:)[^"]*" rel="nofollow ugc noopener">$/);
  });

  it('keeps the text of relative and fragment links but not the link', () => {
    expect(renderMarkdown('[home](/admin) [top](#top) [rel](page.html) [proto](//evil.example)')).toBe(
      '<p>home top rel proto</p>',
    );
  });

  it('gives nothing an id or a name (no DOM clobbering), and leaves footnote syntax as text', () => {
    const html = renderMarkdown('# Heading\n\nText[^1]\n\n[^1]: The note');
    expect(html).not.toMatch(/\s(?:id|name)=/);
    expect(html).toContain('<p>Text[^1]</p>');
    expect(html).toContain('<p>[^1]: The note</p>');
  });
});

describe('renderMarkdown: what members cannot do', () => {
  it.each([
    ['javascript:', '[x](javascript:alert(1))'],
    ['mixed case', '[x](JaVaScRiPt:alert(1))'],
    ['a decimal entity', '[x](&#106;avascript:alert(1))'],
    ['a hex entity, mixed case', '[x](&#X6A;AvAsCrIpT:alert(1))'],
    ['an entity colon', '[x](javascript&colon;alert(1))'],
    ['an entity tab', '[x](jav&Tab;ascript:alert(1))'],
    ['percent-encoding', '[x](%6A%61vascript:alert(1))'],
    ['angle brackets', '[x](<javascript:alert(1)>)'],
    ['a title', '[x](javascript:alert(1) "t")'],
    ['an autolink', '<javascript:alert(1)>'],
    ['an upper-case autolink', '<JAVASCRIPT:alert(1)>'],
    ['a reference', '[x][r]\n\n[r]: javascript:alert(1)'],
    ['vbscript:', '[x](vbscript:msgbox(1))'],
    ['VBScript mixed case', '[x](VbScRiPt:msgbox(1))'],
    ['data:', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['DATA: with an entity', '[x](D&#x41;TA:text/html,hi)'],
    ['a raw <a>', '<a href="javascript:alert(1)">x</a>'],
  ])('removes a dangerous link: %s', (_, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<a\b/); // text is escaped, so this can only be a tag
    expect(problems(html)).toEqual([]);
  });

  it.each([
    ['<script>', '<script>alert(1)</script>', '&#x3C;script>alert(1)&#x3C;/script>'],
    ['<img onerror>', '<img src=x onerror=alert(1)>', '&#x3C;img src=x onerror=alert(1)>'],
    [
      '<iframe>',
      '<iframe src="https://evil.example"></iframe>',
      '&#x3C;iframe src="https://evil.example">&#x3C;/iframe>',
    ],
    ['<svg onload>', '<svg onload=alert(1)>', '&#x3C;svg onload=alert(1)>'],
    ['<style>', '<style>body{display:none}</style>', '&#x3C;style>body{display:none}&#x3C;/style>'],
    ['an event handler', 'a <b onclick="alert(1)">b</b>', 'a &#x3C;b onclick="alert(1)">b&#x3C;/b>'],
    ['a comment', '<!-- hidden -->', '&#x3C;!-- hidden -->'],
  ])('shows raw HTML (%s) as text, never as markup', (_, source, escaped) => {
    const html = renderMarkdown(source);
    expect(html).toContain(escaped);
    expect(problems(html)).toEqual([]);
  });

  it('keeps the line breaks of block HTML shown as text', () => {
    expect(renderMarkdown('<div>\nhello\n</div>')).toBe('<p>&#x3C;div><br>\nhello<br>\n&#x3C;/div></p>');
  });

  it('drops images entirely, with their alt text, and links left with nothing in them', () => {
    for (const source of [
      '![a cat](https://example.org/cat.png)',
      '![a cat][c]\n\n[c]: https://example.org/cat.png',
      '[![a cat](https://example.org/cat.png)](https://example.org)',
      '![x](x" onerror="alert(1))',
    ]) {
      const html = renderMarkdown(source);
      expect(html).not.toMatch(/<img|cat\.png|a cat|<a\b/);
      expect(problems(html)).toEqual([]);
    }
    expect(renderMarkdown('before ![x](https://example.org/x.png) after')).toBe('<p>before  after</p>');
  });

  it('refuses sources over the limit with a clear error', () => {
    expect(() => renderMarkdown('a'.repeat(MARKDOWN_MAX_LENGTH))).not.toThrow();
    expect(() => renderMarkdown('a'.repeat(MARKDOWN_MAX_LENGTH + 1))).toThrow(MarkdownTooLongError);
    expect(() => renderMarkdown('a'.repeat(MARKDOWN_MAX_LENGTH + 1))).toThrow(
      /32001 characters long; the limit is 32000/,
    );
    expect(() => markdownToText('a'.repeat(MARKDOWN_MAX_LENGTH + 1))).toThrow(MarkdownTooLongError);
  });

  const big = (unit: string) => unit.repeat(Math.floor(MARKDOWN_MAX_LENGTH / unit.length));
  let baseline: number | undefined;
  it.each([
    // Each of these took seconds (up to 23 s) or overflowed the stack before the cost guard.
    ['emphasis runs', big('*a_')],
    ['strikethrough runs', big('~a')],
    ['www autolinks', big('www.a_')],
    ['code span runs', big('\\``')],
    ['link ends', big('](')],
    ['setext headings', big('a\n=\n')],
    ['definitions', big('[x]: y\n')],
    ['footnote definitions', big('[^a]: \n    ')],
    ['tables', big('|a|\n|-|\n')],
    ['nested quotes', big('>')],
    ['nested lists', big('1. ')],
    ['nested emphasis', `${'*'.repeat(16_000)}a${'*'.repeat(15_999)}`],
    ['an indented staircase', Array.from({ length: 170 }, (_, d) => `${' '.repeat(2 * d)}- a`).join('\n')],
    ['nested brackets', big('[')],
    ['unclosed tags', big('<a ')],
    ['table columns', `${'|a'.repeat(7_999)}\n${'|-'.repeat(7_999)}`],
  ])('renders pathological input (%s) about as fast as an ordinary long message', (_, source) => {
    baseline ??= baselineMs();
    const started = performance.now();
    expect(problems(renderMarkdown(source))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(Math.max(1_000, 5 * baseline));
    expect(markdownToText(source, 200).length).toBeLessThanOrEqual(200);
  });

  it('shows over-budget input as plain paragraphs, line breaks kept', () => {
    expect(renderMarkdown(`${big('*a_').slice(0, 9_000)}\nnext line\n\n**second**`)).toBe(
      `<p>${big('*a_').slice(0, 9_000)}<br>\nnext line</p>\n<p>**second**</p>`,
    );
    expect(renderMarkdown(`${'> '.repeat(40)}deep`)).toBe(`<p>${'> '.repeat(40)}deep</p>`);
    const manyLines = Array.from({ length: 2_001 }, (_, i) => `*${i}*`).join('\n');
    expect(renderMarkdown(manyLines)).toMatch(/^<p>\*0\*<br>\n\*1\*<br>\n/);
    expect(markdownToText(manyLines, 12)).toBe('*0*\n*1*\n*2*…');
    const plainLines = Array.from({ length: 2_001 }, (_, i) => `line ${i}`);
    expect(renderMarkdown(plainLines.join('\n'))).toMatch(/^<p>line 0<br>\nline 1<br>\n/);
    expect(renderMarkdown(plainLines.slice(0, 2_000).join('\n'))).toMatch(/^<p>line 0\nline 1\n/);
  });

  it('still formats long, ordinary messages', () => {
    const source = ordinaryLongMessage();
    expect(source.length).toBeGreaterThan(30_000);
    const html = renderMarkdown(source);
    expect(html).toContain('<h2>Week 1</h2>');
    expect(html).toContain('<strong>goals</strong>');
    expect(html).toContain('<a href="https://example.org/reading" rel="nofollow ugc noopener">');
    expect(html).toContain('<td>Mon</td>');
    expect(html).toContain('<pre><code class="language-ts">');
    expect(html).toContain('<del>to remember</del>');
    expect(problems(html)).toEqual([]);
  });
});

describe('renderMarkdown against the XSS payload list', () => {
  it('has at least 500 distinct payloads', () => {
    expect(new Set(payloads).size).toBe(payloads.length);
    expect(payloads.length).toBeGreaterThanOrEqual(500);
  });

  it('renders every payload into something with nothing executable in it', () => {
    const failures = payloads.flatMap((payload) => {
      const html = renderMarkdown(payload);
      const found = problems(html);
      return found.length > 0 ? [{ payload, html, found }] : [];
    });
    expect(failures).toEqual([]);
  });

  it('never lets a javascript:, vbscript: or data: URL out as a link, whatever the payload', () => {
    const hrefs = payloads.flatMap((payload) =>
      [...renderMarkdown(payload).matchAll(/<a href="([^"]*)"/g)].map(([, href]) => decodeEntities(href)),
    );
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((href) => !/^(?:https?:\/\/|mailto:)/i.test(href))).toEqual([]);
  });
});

describe('renderMarkdown: properties', () => {
  const soup = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '<',
          '>',
          '</',
          '/>',
          '[',
          ']',
          '(',
          ')',
          '![',
          '](',
          '"',
          "'",
          '`',
          '```',
          '*',
          '_',
          '~~',
          '|',
          '-',
          ':',
          '\n',
          '\n\n',
          '\t',
          '\0',
          ' ',
          '&',
          '&#',
          ';',
          'x',
          '#',
          '> ',
          '- [ ] ',
          '[^1]',
          '[^1]: ',
          'script',
          'img',
          'svg',
          'iframe',
          'style',
          'math',
          'a href=',
          'src=',
          ' onerror=',
          ' onload=',
          'alert(1)',
          'javascript:',
          'JaVaScRiPt:',
          'vbscript:',
          'data:',
          '&#106;',
          '&#x6A;',
          '&colon;',
          'java&#x09;script:',
          'http://',
          'https://e.x/',
          'mailto:',
          'www.',
          '@e.x',
          '<!--',
          '-->',
          '\u202e',
        ),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('produces inert output for Markdown/HTML-shaped noise', () => {
    fc.assert(
      fc.property(soup, (source) => {
        expect(problems(renderMarkdown(source))).toEqual([]);
      }),
      { numRuns: 3_000 },
    );
  });

  it('produces inert output for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (source) => {
        expect(problems(renderMarkdown(source))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('markdownToText', () => {
  it('gives the visible text, one block per line', () => {
    const source = [
      '# Welcome',
      '',
      'Hello **there**, see [the guide](https://example.org/guide)',
      'and this.',
      '',
      '- one',
      '- [x] two',
      '',
      '![a cat](https://example.org/cat.png)',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```',
      'line 1',
      '  line 2',
      '```',
      '',
      '<b>raw</b> & [bad](javascript:alert(1))',
    ].join('\n');
    expect(markdownToText(source)).toBe(
      [
        'Welcome',
        'Hello there, see the guide and this.',
        'one',
        '☑ two',
        'a b',
        '1 2',
        'line 1',
        'line 2',
        '<b>raw</b> & bad',
      ].join('\n'),
    );
  });

  it('is empty for an empty or image-only message', () => {
    expect(markdownToText('')).toBe('');
    expect(markdownToText('![x](https://example.org/x.png)')).toBe('');
  });

  it('truncates to max code units with an ellipsis, never inside a character or emoji', () => {
    expect(markdownToText('Hello world', 20)).toBe('Hello world');
    expect(markdownToText('Hello wonderful world', 12)).toBe('Hello wonde…');
    const family = '👩‍👩‍👧‍👦';
    const text = markdownToText(`ab ${family}${family} cd`, 15);
    expect(text).toBe(`ab ${family}…`);
    expect(text.length).toBeLessThanOrEqual(15);
    expect(markdownToText('café crème brûlée', 10)).toBe('café crèm…');
  });

  it('respects max for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 80 }), (source, max) => {
        const text = markdownToText(source, max);
        expect(text.length).toBeLessThanOrEqual(max);
        expect(text).toBe(text.toWellFormed());
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a max that is not a positive integer', () => {
    expect(() => markdownToText('x', 0)).toThrow(RangeError);
    expect(() => markdownToText('x', 1.5)).toThrow(RangeError);
  });
});
