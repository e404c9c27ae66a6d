import { describe, expect, it } from '@jest/globals';
import { csvFileName, parseCsv, toCsv } from './csv';

describe('CSV downloads', () => {
  it('writes a header and rows that read back to the same cells', () => {
    const csv = toCsv(
      ['userId', 'name', 'sessions'],
      [
        ['u1', 'Ann, "the" admin', 3],
        ['u2', null, 0],
      ],
    );
    expect(csv.split('\r\n')[0]).toBe('userId,name,sessions');
    expect(parseCsv(csv)).toEqual({
      header: ['userId', 'name', 'sessions'],
      rows: [
        ['u1', 'Ann, "the" admin', '3'],
        ['u2', '', '0'],
      ],
    });
  });

  it('escapes cells a spreadsheet would run as formulas', () => {
    expect(parseCsv(toCsv(['x'], [['=HYPERLINK("http://evil")']])).rows[0][0]).toBe('\'=HYPERLINK("http://evil")');
  });

  it('names files from their parts', () => {
    expect(csvFileName('Usage by', 'USER', '2026-11-01', undefined, '2026-11-30')).toBe('usage-by-user-2026-11-01-2026-11-30.csv');
  });
});
