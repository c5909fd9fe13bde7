import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '#functions/lib/csv.ts';

describe('CSV', () => {
  it('quotes every field, doubles quotes, and keeps line breaks inside a field', () => {
    expect(toCsv([['a', 'say "hi"', 'two\nlines']])).toBe('"a","say ""hi""","two\nlines"\r\n');
  });

  it('turns text a spreadsheet would run into text, but writes numbers as numbers', () => {
    for (const formula of ['=1+1', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(formula)).toBe(`"'${formula.replace(/"/g, '""')}"`);
    expect(csvCell(-45.5)).toBe('"-45.5"');
    expect(csvCell(12)).toBe('"12"');
    expect(csvCell('<5')).toBe('"<5"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(Number.NaN)).toBe('"NaN"');
  });
});
