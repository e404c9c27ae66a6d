import { describe, expect, it } from '@jest/globals';
import { quarterFigures, summarizeQuarter } from './term-usage';

const rows = [
  { productId: 'MSTN', day: '2026-10-02', peakInUse: 4, seats: 5, overage: 0 },
  { productId: 'MSTN', day: '2026-10-05', peakInUse: 7, seats: 5, overage: 2 },
  { productId: 'MSTN', day: '2026-10-09', peakInUse: 7, seats: 5, overage: 2 },
  { productId: 'MSTN', day: '2026-10-03', peakInUse: 6, seats: 5, overage: 1 },
  { productId: 'ORD', day: '2026-10-02', peakInUse: 1, seats: 3, overage: 0 },
];

describe('term license usage per product and quarter', () => {
  it('given the days of a quarter, finds the peak (first day of it), the largest overage and the days over', () => {
    expect(quarterFigures(rows, 'MSTN')).toEqual({ peakInUse: 7, peakDay: '2026-10-05', maxOverage: 2, overageDays: 3 });
    expect(quarterFigures(rows, 'NONE')).toEqual({ peakInUse: 0, peakDay: null, maxOverage: 0, overageDays: 0 });
  });

  it('lists every product, those with usage over their seats first, the others with the seats they own now', () => {
    const summary = summarizeQuarter(rows, [
      { productId: 'ORD', productName: 'OpenRoads', seats: 3 },
      { productId: 'MSTN', productName: 'MicroStation', seats: 5 },
      { productId: 'PW', productName: 'ProjectWise', seats: 9 },
    ]);
    expect(summary.map((s) => [s.productId, s.peakInUse, s.peakDay, s.overage, s.overageDays, s.seats])).toEqual([
      ['MSTN', 7, '2026-10-05', 2, 3, 5],
      ['ORD', 1, '2026-10-02', 0, 0, 3],
      ['PW', 0, null, 0, 0, 9],
    ]);
  });
});
