import { describe, expect, it } from '@jest/globals';
import { bucketCount, endOfDay, formatMinutes, instantFromLocalInput, quarterOf, recentQuarters, startOfDay } from './time';

describe('portal time helpers (UTC, as the reports)', () => {
  it('finds the quarter of an instant and the quarters before it', () => {
    expect(quarterOf(new Date('2026-12-01T06:00:00Z'))).toEqual({
      id: '2026-Q4',
      label: 'Q4 2026',
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(recentQuarters(new Date('2026-02-10T00:00:00Z'), 3).map((q) => q.id)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
  });

  it('turns date inputs into UTC windows, the "to" day included', () => {
    expect(startOfDay('2026-11-03')).toBe('2026-11-03T00:00:00.000Z');
    expect(endOfDay('2026-11-03')).toBe('2026-11-04T00:00:00.000Z');
    expect(startOfDay('03/11/2026')).toBeNull();
    expect(instantFromLocalInput('2026-11-03T14:30')).toBe('2026-11-03T14:30:00.000Z');
    expect(instantFromLocalInput('')).toBeNull();
  });

  it('counts the buckets a concurrency query would return, as the query API does', () => {
    expect(bucketCount('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 3_600_000)).toBe(24);
    expect(bucketCount('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z', 600_000)).toBeGreaterThan(10_000);
  });

  it('says durations in words', () => {
    expect(formatMinutes(12.4)).toBe('12 min');
    expect(formatMinutes(65)).toBe('1 h 05 min');
    expect(formatMinutes(3 * 1440 + 240)).toBe('3 d 4 h');
  });
});
