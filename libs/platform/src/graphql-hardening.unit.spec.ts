import { GraphQLError, Source } from 'graphql';
import pino from 'pino';
import { DomainError } from '@ses/domain';
import { formatErrorWith } from './graphql-hardening';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, format: formatErrorWith(logger, true) };
}

describe('formatErrorWith', () => {
  it('gives a DomainError its contract code and logs nothing (the refusal filter logs it at info)', () => {
    const { lines, format } = capture();
    const error = new DomainError('NO_SEATS_AVAILABLE', 'no seats');
    expect(format({ message: 'no seats', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)).toMatchObject({ extensions: { code: 'NO_SEATS_AVAILABLE' } });
    expect(lines).toEqual([]);
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR and logs it at error', () => {
    const { lines, format } = capture();
    expect(format({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new Error('boom'))).toEqual({
      message: 'internal error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, 'unexpected error']]);
  });

  it('answers malformed documents and Apollo request errors with client codes, not INTERNAL_SERVER_ERROR', () => {
    const { lines, format } = capture();
    expect(format({ message: 'Syntax Error: x', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, new GraphQLError('Syntax Error: x')).extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    const apq = new GraphQLError('Unsupported persisted query version', { extensions: { http: { status: 400 } } });
    expect(format({ message: apq.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, apq).extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(lines).toEqual([]);
  });

  it('names the field of a bad literal, and reads a 100 KB name without backtracking', () => {
    const { format } = capture();
    const body = `mutation { grant(input: { startsAt: "2026-02-30T00:00:00Z", ${'x'.repeat(100_000)}: "y" }) }`;
    const at = (needle: string) =>
      new GraphQLError('Expected value of type "DateTime!", found "2026-02-30T00:00:00Z"; DateTime cannot parse literal', {
        source: new Source(body),
        positions: [body.indexOf(needle)],
      });
    const formatted = format({ message: at('"2026').message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, at('"2026'));
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: ['startsAt'] });
    const far = format({ message: at('"y"').message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, at('"y"'));
    expect((far.extensions?.fields as string[])[0]).toHaveLength(100_000);
  });
});
