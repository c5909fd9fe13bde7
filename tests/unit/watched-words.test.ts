import { describe, expect, it } from 'vitest';
import {
  compile,
  globMatch,
  matchWatchedWords,
  parsePattern,
  phraseIn,
  wordsOf,
  type WatchedWordAction,
} from '#functions/services/moderation/watched-words.ts';

const watch = (pattern: string, action: WatchedWordAction = 'block') => {
  const parsed = parsePattern(pattern);
  if ('error' in parsed) throw new Error(parsed.error);
  return compile({ id: pattern, pattern: parsed.pattern, action });
};
const blocks = (pattern: string, text: string) =>
  matchWatchedWords([watch(pattern)], { body: text }).blocked.length > 0;

describe('watched words', () => {
  it('match whole words, case-insensitively, with * inside a word and a lone * for any word', () => {
    expect(blocks('scam', 'What a SCAM.')).toBe(true);
    expect(blocks('scam', 'scampi for dinner')).toBe(false);
    expect(blocks('scam*', 'scammers everywhere')).toBe(true);
    expect(blocks('*scam', 'a crypto-scam')).toBe(true);
    expect(blocks('buy * now', 'Buy essays now!')).toBe(true);
    expect(blocks('buy * now', 'buy now')).toBe(false);
    expect(blocks('essay mill', 'an essay\n  mill')).toBe(true);
    expect(blocks('essay mill', 'essay, then a mill')).toBe(false);
    expect(blocks('ａｄｓ', 'free ads')).toBe(true); // NFKC: full-width letters are letters
    expect(blocks('café', 'CAFÉ tonight')).toBe(true);
  });

  it('treat regex syntax in a pattern as plain text', () => {
    // Punctuation is not part of words, so these are just words; nothing is compiled as a regex.
    expect(parsePattern('(a+)+$')).toMatchObject({ error: expect.any(String) });
    expect(parsePattern('.*')).toMatchObject({ error: expect.any(String) });
    expect(parsePattern('[casino]')).toEqual({ pattern: 'casino' });
    expect(blocks('[casino]', 'casino night')).toBe(true);
    expect(blocks('[casino]', 'c')).toBe(false);
  });

  it('refuse patterns that would match nearly everything', () => {
    for (const p of ['*', '* *', 'a*', '**', '', '   ', 'x'.repeat(101), 'one two three four five six seven'])
      expect(parsePattern(p), p).toMatchObject({ error: expect.any(String) });
    expect(parsePattern('  Essay   MILL ')).toEqual({ pattern: 'essay mill' });
    expect(parsePattern('f**k')).toEqual({ pattern: 'f*k' });
  });

  it('stay fast on pathological input (no ReDoS)', () => {
    const patterns = [watch('a*a*a*a*a*a*a*a*a*b'), watch('*a*a*a*a*a*ab'), watch('aa* aa* aa* aa* aa* ab')];
    const oneWord = 'a'.repeat(32_000);
    const manyWords = 'aa '.repeat(10_000);
    const mixed = `${'a'.repeat(5_000)}c `.repeat(5);
    const started = performance.now();
    for (const text of [oneWord, manyWords, mixed])
      expect(matchWatchedWords(patterns, { title: text.slice(0, 150), body: text }).blocked).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('has a glob matcher and phrase finder that agree with a slow reference', () => {
    const reference = (glob: string, word: string): boolean =>
      glob === ''
        ? word === ''
        : glob[0] === '*'
          ? reference(glob.slice(1), word) || (word !== '' && reference(glob, word.slice(1)))
          : word !== '' && glob[0] === word[0] && reference(glob.slice(1), word.slice(1));
    const alphabet = ['a', 'b', '*'];
    const all = (n: number): string[] => (n === 0 ? [''] : all(n - 1).flatMap((s) => alphabet.map((c) => s + c)));
    const globs = [1, 2, 3, 4].flatMap(all);
    const words = [0, 1, 2, 3, 4].flatMap(all).filter((w) => !w.includes('*'));
    for (const g of globs) for (const w of words) expect(globMatch(g, w), `${g} ~ ${w}`).toBe(reference(g, w));
    expect(phraseIn(['buy', '*', 'now'], wordsOf('please buy it now'))).toBe(true);
  });
});
