// The query API is schema-first: schema/*.graphql is the schema (copies of the contract's files),
// types.ts is generated from it. These tests fail when either drifts; the smoke e2e test checks the
// schema the running app serves with the contract's own checker.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar, readSchema, schemaFiles } from '@ses/platform';
import { buildSchema, findBreakingChanges, findDangerousChanges, graphql, parseValue } from 'graphql';
import { generateTypes } from '../../../../scripts/graphql-types';
import { buildServedSchema, contractFileOf, contractSchema } from '../../../../test/support/contract';
import { JSONScalar } from './json.scalar';
import { QUERY_SCHEMA, querySchemaOptions } from './schema';
import type { EventPage } from './types';

/** A resolver whose name the SDL lacks (Query.signingKeys misspelt). */
@Resolver()
class MisspeltResolver {
  @Query()
  signingKey(): never[] {
    return [];
  }
}

/** Resolves one event so that the JSON and DateTime scalars, and the SDL's argument default, are exercised end to end. */
@Resolver()
class ScalarProbeResolver {
  static first: number | undefined;

  @Query()
  eventHistory(@Args('first') first: number): EventPage {
    ScalarProbeResolver.first = first;
    return {
      nextCursor: null,
      events: [
        {
          position: '1',
          streamId: 's',
          revision: 0,
          type: 'T',
          occurredAt: '2026-11-23T09:00:00+01:00',
          data: { a: [1, 'x', null, { b: true }] },
          metadata: {},
        },
      ],
    };
  }
}

describe('query API schema (schema-first)', () => {
  it('holds the contract file and every contract extension it serves verbatim', () => {
    const files = schemaFiles(QUERY_SCHEMA);
    expect(files[0]).toBe('query.graphql');
    for (const name of files) {
      const contractFile = contractFileOf(name);
      if (!contractFile) continue; // the app's own additions: checked against the contract below
      expect({ name, sdl: readFileSync(join(QUERY_SCHEMA.dir, name), 'utf8') }).toEqual({ name, sdl: readFileSync(contractFile, 'utf8') });
    }
  });

  it('adds to the contract (and its served extensions) without breaking or endangering it', () => {
    const served = buildSchema(readSchema(QUERY_SCHEMA));
    const contract = contractSchema('query');
    expect(findBreakingChanges(contract, served)).toEqual([]);
    expect(findDangerousChanges(contract, served)).toEqual([]);
    expect(
      served
        .getQueryType()
        ?.getFields()
        .eventHistory.args.find((a) => a.name === 'first')?.defaultValue,
    ).toBe(100);
  });

  it('has current generated types (npm run graphql:types)', async () => {
    expect(readFileSync(join(__dirname, 'types.ts'), 'utf8')).toBe(await generateTypes(QUERY_SCHEMA));
  });

  it('refuses to start with a field no resolver serves, subscriptions included', async () => {
    await expect(buildServedSchema(querySchemaOptions(), [ScalarProbeResolver])).rejects.toThrow(
      /GraphQL fields without a resolver: Query\.me, .*Query\.verifyHistory, .*Subscription\.usageEvents, Subscription\.alertRaised \(/,
    );
  });

  it('refuses to start with a resolver for a field the SDL lacks (a misspelt name)', async () => {
    await expect(buildServedSchema({ ...querySchemaOptions(), transformSchema: undefined }, [MisspeltResolver])).rejects.toThrow(
      /Query\.signingKey defined in resolvers, but not in schema/,
    );
  });

  it('serializes ISO strings through DateTime and arbitrary values through JSON, with resolvers bound by field name', async () => {
    // The schema as GraphQLModule builds it (the start-up check is left out: one resolver here).
    const schema = await buildServedSchema({ ...querySchemaOptions(), transformSchema: undefined }, [ScalarProbeResolver]);
    const result = await graphql({ schema, source: '{ eventHistory(accountId: "a") { events { occurredAt data metadata } nextCursor } }' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      eventHistory: {
        events: [{ occurredAt: '2026-11-23T08:00:00.000Z', data: { a: [1, 'x', null, { b: true }] }, metadata: {} }],
        nextCursor: null,
      },
    });
    expect(ScalarProbeResolver.first).toBe(100); // the SDL's default
  });

  it('JSON parses literals recursively, including variables inside them', () => {
    const ast = parseValue('{ a: [1, 2.5, "s", true, null, { b: $v }], e: ENUMISH }');
    expect(JSONScalar.parseLiteral(ast, { v: 'var' })).toEqual({ a: [1, 2.5, 's', true, null, { b: 'var' }], e: 'ENUMISH' });
    expect(JSONScalar.parseValue({ x: 1 })).toEqual({ x: 1 });
  });

  it('DateTime rejects non-ISO input with a clear message', () => {
    expect(() => DateTimeScalar.parseValue('23/11/2026')).toThrow(
      'DateTime cannot parse value: expected an ISO-8601 date-time with offset (e.g. 2026-11-23T08:00:00Z), got "23/11/2026"',
    );
    expect(() => DateTimeScalar.parseValue('2026-11-23T08:00:00')).toThrow(/ISO-8601/); // no offset
  });
});
