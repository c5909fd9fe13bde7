import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlash, safeNextPath } from '#functions/lib/forms.ts';

describe('safeNextPath', () => {
  it.each([
    ['/guidelines/code-of-conduct', '/guidelines/code-of-conduct'],
    ['/a?b=1#c', '/a?b=1#c'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['https://evil.example/', '/'],
    ['/ok\n/evil', '/'],
    ['', '/'],
    [undefined, '/'],
  ])('%j becomes %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it('always returns a path on this site, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const out = safeNextPath(input);
        expect(out.startsWith('/')).toBe(true);
        expect(out.startsWith('//')).toBe(false);
        expect(out.startsWith('/\\')).toBe(false);
        expect(new URL(out, 'https://hearth.example').origin).toBe('https://hearth.example');
      }),
    );
  });
});

describe('parseFlash', () => {
  it('reads a valid message and ignores anything else', () => {
    expect(parseFlash(JSON.stringify({ kind: 'success', message: 'Saved.' }))).toEqual({
      kind: 'success',
      message: 'Saved.',
    });
    expect(parseFlash(JSON.stringify({ kind: 'evil', message: 'x' }))).toBeNull();
    expect(parseFlash('{not json')).toBeNull();
    expect(parseFlash(undefined)).toBeNull();
  });
});
