import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  FLASH_BUDGET,
  fitFlash,
  parseFlash,
  refillableValues,
  safeNextPath,
  type Flash,
} from '#functions/lib/forms.ts';

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

describe('refillableValues', () => {
  const refill = async (body: string) => {
    const app = new Hono().post('/', async (c) => c.json(await refillableValues(c)));
    const res = await app.request('/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return (await res.json()) as Pick<Flash, 'values' | 'lists'>;
  };

  it('brings back every value of a repeated field (checkboxes), and single fields as they were', async () => {
    const out = await refill('q.topics=a&q.name=Ana&q.topics=b&q.topics=c&next=%2Fsurveys&password=hunter2hunter2');
    expect(out.lists).toEqual({ 'q.topics': ['a', 'b', 'c'] });
    expect(out.values).toEqual({ 'q.name': 'Ana' });
  });

  it('keeps long answers (size is fitFlash’s job) but not secrets, codes or next', async () => {
    const long = 'x'.repeat(2000);
    const out = await refill(`story=${long}&code=123456&recoveryToken=abc&next=/a`);
    expect(out.values).toEqual({ story: long });
  });
});

describe('fitFlash', () => {
  const size = (f: Flash) => encodeURIComponent(JSON.stringify(f)).length;

  it('leaves a small flash alone', () => {
    const flash: Flash = { kind: 'error', message: 'Check.', values: { a: '1' }, lists: { b: ['x', 'y'] } };
    expect(fitFlash(flash)).toBe(flash);
  });

  it('drops the longest values first, names them, and stays under the budget', () => {
    const flash: Flash = {
      kind: 'error',
      message: 'Check.',
      fields: { 'answers.a': 'Please answer question 1.' },
      values: { short: 'ok', long: 'ñ '.repeat(1500), medium: 'm'.repeat(900) },
      lists: { picks: ['a', 'b'] },
    };
    const fitted = fitFlash(flash);
    expect(size(fitted)).toBeLessThanOrEqual(FLASH_BUDGET);
    expect(fitted.dropped).toEqual(['long']);
    expect(fitted.values).toEqual({ short: 'ok', medium: 'm'.repeat(900) });
    expect(fitted.lists).toEqual({ picks: ['a', 'b'] });
    expect(fitted.fields).toEqual(flash.fields);
  });

  it('always fits, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 3000 }), { maxKeys: 8 }),
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 300 }), { maxKeys: 30 }),
        (values, fields) => {
          const fitted = fitFlash({ kind: 'error', message: 'Check these.', values, fields });
          expect(size(fitted)).toBeLessThanOrEqual(FLASH_BUDGET);
          expect(fitted.message).toBe('Check these.');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips through parseFlash, lists and dropped names included', () => {
    const flash: Flash = { kind: 'error', message: 'x', lists: { a: ['1', '2'] }, dropped: ['b'] };
    expect(parseFlash(JSON.stringify(flash))).toEqual(flash);
    expect(parseFlash(JSON.stringify({ ...flash, lists: { a: [1, 2] }, dropped: [3] }))).toEqual({
      kind: 'error',
      message: 'x',
      lists: {},
    });
  });
});
