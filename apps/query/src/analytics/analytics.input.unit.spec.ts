import { DomainError } from '@ses/domain';
import { parseGroupBy, parseInterval, parseWindow } from './analytics.input';

const badInput = (fn: () => unknown, fields: string[]) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', fields });
    return;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('analytics input', () => {
  it('needs from before to, within 731 days', () => {
    expect(parseWindow('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual({
      fromMs: Date.parse('2026-01-01T00:00:00Z'),
      toMs: Date.parse('2026-02-01T00:00:00Z'),
    });
    badInput(() => parseWindow('2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'), ['from', 'to']);
    badInput(() => parseWindow('2026-03-01T00:00:00Z', '2026-02-01T00:00:00Z'), ['from', 'to']);
    badInput(() => parseWindow('2024-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), ['from', 'to']);
    badInput(() => parseWindow('yesterday', '2026-02-01T00:00:00Z'), ['from']);
  });

  it('needs a non-empty groupBy without repeats', () => {
    expect(parseGroupBy(['PRODUCT', 'DAY'])).toEqual(['PRODUCT', 'DAY']);
    badInput(() => parseGroupBy([]), ['groupBy']);
    badInput(() => parseGroupBy(['USER', 'DAY', 'USER']), ['groupBy']);
    badInput(() => parseGroupBy(['WEEK']), ['groupBy']);
  });

  it('caps a concurrency answer at 10,000 points', () => {
    const year = parseWindow('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(parseInterval('HOUR', year)).toBe(3_600_000);
    badInput(() => parseInterval('TEN_MINUTES', year), ['from', 'to', 'interval']);
    badInput(() => parseInterval('WEEK', year), ['interval']);
  });
});
