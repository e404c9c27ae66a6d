import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { StoreUnreachableError } from '@ses/event-store';
import { ReadStoreUnreachableError } from '@ses/read-store';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { UnavailableError } from '@eventstore/db-client';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { formatErrorWith } from './graphql-hardening';
import { SERVICE_UNAVAILABLE, StoreUnavailableFilter, storeUnavailablePlugin, unavailableStoreOf } from './store-unavailable';

function capture() {
  const lines: { level: number; msg: string; store?: string }[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

/** A server whose fields fail as the stores would; `ok` answers. */
function serverWith(logger: pino.Logger) {
  let failure: Error = new StoreUnreachableError();
  const server = new ApolloServer({
    typeDefs: 'type Query { ok: Int, failing: Int } type Mutation { start: Int! }',
    resolvers: {
      Query: { ok: () => 1, failing: () => Promise.reject(failure) },
      Mutation: { start: () => Promise.reject(failure) },
    },
    plugins: [storeUnavailablePlugin()],
    formatError: formatErrorWith(logger, true),
  });
  return { server, fail: (error: Error) => (failure = error) };
}

async function answer(server: ApolloServer, query: string) {
  const response = await server.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, retryAfter: response.http.headers.get('retry-after'), ...response.body.singleResult };
}

describe('a store that cannot be reached', () => {
  it('is recognised whichever adapter raised it: EventStoreDB, MongoDB, the test adapters; nothing else is', () => {
    expect(unavailableStoreOf(new UnavailableError(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }) as never))).toBe(
      'event store',
    );
    expect(unavailableStoreOf(new StoreUnreachableError())).toBe('event store');
    expect(unavailableStoreOf(new MongoNetworkError('connection refused'))).toBe('read store');
    expect(unavailableStoreOf(new MongoServerSelectionError('Server selection timed out', { error: undefined } as never))).toBe('read store');
    expect(unavailableStoreOf(new ReadStoreUnreachableError())).toBe('read store');
    expect(unavailableStoreOf(new Error('14 UNAVAILABLE: looks alike'))).toBeUndefined();
    expect(unavailableStoreOf('down')).toBeUndefined();
  });

  it('answers a failed mutation with HTTP 503, Retry-After and SERVICE_UNAVAILABLE, logged by no one at error', async () => {
    const { lines, logger } = capture();
    const { server } = serverWith(logger);
    await server.start();
    try {
      const result = await answer(server, 'mutation { start }');
      expect(result).toMatchObject({ status: 503, retryAfter: '2', data: null });
      expect(result.errors).toEqual([
        {
          message: expect.stringMatching(/^the event store cannot be reached just now; retry after 2 s/),
          path: ['start'],
          locations: [{ line: 1, column: 12 }],
          extensions: { code: SERVICE_UNAVAILABLE, retryAfterSeconds: 2 },
        },
      ]);
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('names the read store, and keeps HTTP 200 (with Retry-After) when part of a query was answered', async () => {
    const { logger } = capture();
    const { server, fail } = serverWith(logger);
    fail(new MongoNetworkError('connection reset'));
    await server.start();
    try {
      const partial = await answer(server, '{ ok failing }');
      expect(partial).toMatchObject({ status: undefined, retryAfter: '2', data: { ok: 1, failing: null } });
      expect(partial.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^the read store cannot be reached/),
        extensions: { code: SERVICE_UNAVAILABLE },
      });
      expect(await answer(server, '{ failing }')).toMatchObject({ status: 503, retryAfter: '2' });
    } finally {
      await server.stop();
    }
  });

  it('leaves other failures alone: INTERNAL_SERVER_ERROR, no Retry-After', async () => {
    const { lines, logger } = capture();
    const { server, fail } = serverWith(logger);
    fail(new Error('a defect'));
    await server.start();
    try {
      const result = await answer(server, 'mutation { start }');
      expect(result).toMatchObject({ status: undefined, retryAfter: undefined, errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      expect(lines.map((line) => [line.level, line.msg])).toEqual([[50, 'unexpected error']]);
    } finally {
      await server.stop();
    }
  });

  it('is logged at warn by the filter and passed on to GraphQL; a plain HTTP route is answered 503 with Retry-After', () => {
    const { lines, logger } = capture();
    const filter = new StoreUnavailableFilter(logger);
    const error = new StoreUnreachableError();
    const graphql = new ExecutionContextHost([]);
    graphql.setType('graphql');
    expect(() => filter.catch(error, graphql)).toThrow(error);
    const answer: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const response = {
      status(code: number) {
        answer.status = code;
        return response;
      },
      setHeader(name: string, value: string) {
        answer.headers[name] = value;
        return response;
      },
      json(body: unknown) {
        answer.body = body;
        return response;
      },
    };
    filter.catch(new MongoNetworkError('connection refused'), new ExecutionContextHost([{}, response, () => undefined]));
    expect(answer).toEqual({
      status: 503,
      headers: { 'Retry-After': '2' },
      body: { statusCode: 503, code: SERVICE_UNAVAILABLE, message: expect.stringMatching(/^the read store cannot be reached just now/) },
    });
    expect(lines.map((line) => [line.level, line.msg, line.store])).toEqual([
      [40, 'request refused: a store cannot be reached', 'event store'],
      [40, 'request refused: a store cannot be reached', 'read store'],
    ]);
  });
});
