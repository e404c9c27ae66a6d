// The command API is schema-first: schema/*.graphql is the schema (copies of the contract's files),
// types.ts is generated from it. These tests fail when either drifts; the smoke e2e test checks the
// schema the running app serves with the contract's own checker.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTimeScalar } from '@ses/platform';
import { buildSchema, findBreakingChanges, findDangerousChanges, graphql } from 'graphql';
import { generateTypes } from '../../../../scripts/graphql-types';
import { buildServedSchema, contractFileOf, contractSchema } from '../../../../test/support/contract';
import { readSchema, schemaFiles } from '@ses/platform';
import { COMMAND_SCHEMA, commandSchemaOptions } from './schema';

describe('command API schema (schema-first)', () => {
  it('holds the contract file and every contract extension it serves verbatim', () => {
    const files = schemaFiles(COMMAND_SCHEMA);
    expect(files[0]).toBe('command.graphql');
    for (const name of files) {
      const contractFile = contractFileOf(name);
      if (!contractFile) continue; // the app's own additions: checked against the contract below
      expect({ name, sdl: readFileSync(join(COMMAND_SCHEMA.dir, name), 'utf8') }).toEqual({ name, sdl: readFileSync(contractFile, 'utf8') });
    }
  });

  it('adds to the contract (and its served extensions) without breaking or endangering it', () => {
    const served = buildSchema(readSchema(COMMAND_SCHEMA));
    const contract = contractSchema('command');
    expect(findBreakingChanges(contract, served)).toEqual([]);
    expect(findDangerousChanges(contract, served)).toEqual([]);
  });

  it('has current generated types (npm run graphql:types)', async () => {
    expect(readFileSync(join(__dirname, 'types.ts'), 'utf8')).toBe(await generateTypes(COMMAND_SCHEMA));
  });

  it('refuses to start with a field no resolver serves', async () => {
    await expect(buildServedSchema(commandSchemaOptions(), [])).rejects.toThrow(
      /GraphQL fields without a resolver: Query\.ping, Mutation\.openAccount, .*Mutation\.checkIn/,
    );
  });

  it('DateTime accepts Date or ISO string on output and only ISO strings on input', async () => {
    expect(DateTimeScalar.serialize('2026-11-23T08:00:00Z')).toBe('2026-11-23T08:00:00.000Z');
    expect(DateTimeScalar.serialize('2026-11-23T09:00:00+01:00')).toBe('2026-11-23T08:00:00.000Z');
    expect(DateTimeScalar.serialize(new Date('2026-11-23T08:00:00Z'))).toBe('2026-11-23T08:00:00.000Z');
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow(/ISO-8601/);
    expect(() => DateTimeScalar.serialize(12)).toThrow(/non-date/);
    expect(DateTimeScalar.parseValue('2026-11-23T08:00:00.5Z')).toBe('2026-11-23T08:00:00.500Z');
    expect(() => DateTimeScalar.parseValue('2026-11-23')).toThrow(/ISO-8601/);
    expect(() => DateTimeScalar.parseValue('2026-13-45T08:00:00Z')).toThrow(/ISO-8601/);
    expect(() => DateTimeScalar.parseValue(1_700_000_000_000)).toThrow(/ISO-8601 string/);

    // The schema as GraphQLModule builds it (the start-up check is left out: no resolvers here).
    const served = await buildServedSchema({ ...commandSchemaOptions(), transformSchema: undefined }, []);
    const result = await graphql({
      schema: served,
      source:
        'mutation { grantEntitlement(input: { accountId: "a", productId: "p", productName: "P", seats: 1, startsAt: "soon", endsAt: "2026-11-23T08:00:00Z" }) { entitlementId } }',
    });
    expect(result.errors?.[0]?.message).toMatch(/DateTime cannot parse literal: expected an ISO-8601 date-time/);
  });
});
