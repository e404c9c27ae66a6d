import { Kind } from 'graphql';
import { DateTimeScalar, isCalendarValid } from './date-time.scalar';

describe('DateTime scalar: calendar-valid instants only', () => {
  it.each(['2026-02-28T00:00:00Z', '2024-02-29T23:59:59.999Z', '2026-12-31T23:59:59+14:00', '2026-06-30T12:00-05:30', '0001-01-01T00:00:00Z'])(
    'accepts %s',
    (value) => {
      expect(isCalendarValid(value)).toBe(true);
      expect(DateTimeScalar.parseValue(value)).toBe(new Date(value).toISOString());
    },
  );

  it.each([
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-01-00T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['a leap second', '2026-06-30T23:59:60Z'],
    ['offset +25:00', '2026-01-01T00:00:00+25:00'],
    ['no offset', '2026-01-01T00:00:00'],
  ])('refuses %s (%s) from variables and literals', (_what, value) => {
    expect(() => DateTimeScalar.parseValue(value)).toThrow(/DateTime cannot parse value/);
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value })).toThrow(/DateTime cannot parse literal/);
  });

  it('shortens a long refused value in its message', () => {
    expect(() => DateTimeScalar.parseValue(`2026-02-30T00:00:00Z${'x'.repeat(10_000)}`)).toThrow(/\.\.\."$/);
  });
});
