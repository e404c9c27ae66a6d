import fc from 'fast-check';
import { earliest, isBefore } from './time';

describe('isBefore', () => {
  it('compares instants, whatever their precision or offset', () => {
    expect(isBefore('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.001Z')).toBe(true);
    expect(isBefore('2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00Z')).toBe(false);
    expect(isBefore('2026-01-01T01:00:00+02:00', '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(isBefore('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(false);
    expect(earliest('2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')).toBe('2026-02-01T00:00:00.000Z');
  });

  it('agrees with comparing the parsed instants for any two in toISOString form, and for mixed forms', () => {
    const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, instant, fc.boolean(), (a, b, trimB) => {
        const left = a.toISOString();
        const right = trimB ? b.toISOString().replace(/\.\d{3}Z$/, 'Z') : b.toISOString();
        expect(isBefore(left, right)).toBe(Date.parse(left) < Date.parse(right));
      }),
    );
  });
});
