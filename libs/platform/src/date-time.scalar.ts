import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * `DateTime`: ISO-8601 date-time with an offset (`Z` or `±hh:mm`), e.g. 2026-11-23T08:00:00Z.
 *
 * Replaces @nestjs/graphql's GraphQLISODateTime, whose serialize() returns null for anything
 * that is not a Date (our read models hold ISO strings), and whose parseValue/parseLiteral
 * accept any string (yielding an Invalid Date).
 *
 * - serialize: accepts a Date or an ISO-8601 string (with offset); outputs `Date#toISOString()`
 *   (UTC, millisecond precision).
 * - parseValue / parseLiteral: accept only ISO-8601 strings with offset; resolvers receive the
 *   normalised ISO string (not a Date), so it can be written to events unchanged.
 *
 * The schema-first apps bind it to the SDL's `scalar DateTime` (graphql-schema-first.ts).
 */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

const PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/**
 * True when the date and time of day exist as written: `new Date()` rolls 2026-02-30 over
 * to 2 March and accepts hour 24, so each part is checked against what Date.UTC makes of it
 * (the platform's own calendar, leap years included; a few lines, no library needed).
 */
export function isCalendarValid(value: string): boolean {
  const match = PARTS.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (offset && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return false;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

const DESCRIPTION = 'ISO-8601 date-time with offset, e.g. 2026-11-23T08:00:00Z';

function fromIsoString(value: string, where: string, node?: ValueNode): string {
  const shown = JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
  if (!ISO_DATE_TIME.test(value)) {
    throw new GraphQLError(
      `DateTime ${where}: expected an ISO-8601 date-time with offset (e.g. 2026-11-23T08:00:00Z), got ${shown}`,
      node ? { nodes: node } : undefined,
    );
  }
  const date = new Date(value);
  if (!isCalendarValid(value) || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      `DateTime ${where}: ${shown} is not an ISO-8601 date-time that exists in the calendar (such as 30 February or hour 24)`,
      node ? { nodes: node } : undefined,
    );
  }
  return date.toISOString();
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: DESCRIPTION,
  serialize(value: unknown): string {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new GraphQLError('DateTime cannot serialize an invalid Date');
      return value.toISOString();
    }
    if (typeof value === 'string') return fromIsoString(value, 'cannot serialize value');
    throw new GraphQLError(`DateTime cannot serialize a non-date value: ${JSON.stringify(value)}`);
  },
  parseValue(value: unknown): string {
    if (typeof value !== 'string') {
      throw new GraphQLError(`DateTime cannot parse value: expected an ISO-8601 string, got ${typeof value}`);
    }
    return fromIsoString(value, 'cannot parse value');
  },
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError(`DateTime cannot parse literal: expected an ISO-8601 string, got ${ast.kind}`, { nodes: ast });
    }
    return fromIsoString(ast.value, 'cannot parse literal', ast);
  },
});
