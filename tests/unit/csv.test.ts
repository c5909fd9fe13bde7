import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '#functions/lib/csv.ts';

describe('CSV cells', () => {
  it('quote everything and double inner quotes', () => {
    expect(toCsv([['a', 'say "hi"', null, 3]])).toBe('"a","say ""hi""","","3"\r\n');
  });

  it('turn text a spreadsheet would run into plain text, but leave numbers alone', () => {
    for (const formula of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(formula)).toBe(`"'${formula.replace(/"/g, '""')}"`);
    expect(csvCell(-0.25)).toBe('"-0.25"');
    expect(csvCell('<5')).toBe('"<5"');
    expect(csvCell('a=b')).toBe('"a=b"');
  });
});
