// Builds the query API schema from the code-first types with a test-only resolver that
// declares every contract Query/Subscription field, and compares it with the contract SDL.
import 'reflect-metadata';
import { buildCodeFirstSchema, contractSchema } from '../../../../../test/support/contract';
import { Args, ID, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { buildSchema, findBreakingChanges, findDangerousChanges, graphql, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import {
  AccountSnapshot,
  Account,
  Alert,
  Checkout,
  CheckoutStatus,
  ConcurrencyPoint,
  DateTimeScalar,
  EventPage,
  HistoryVerification,
  Interval,
  JSONScalar,
  Policy,
  SeatHolder,
  SigningKey,
  TermUsageRow,
  UsageDimension,
  UsageEvent,
  UsageReportRow,
  User,
} from './index';

const notImplemented = (): never => {
  throw new Error('test-only resolver');
};

/** Test-only: the contract's Query and Subscription fields, signatures exactly as in query.graphql. */
@Resolver()
class QueryContractResolver {
  @Query(() => User, { nullable: true, description: "The signed-in user, or null when the token's email is not registered." })
  me(): User | null {
    return notImplemented();
  }

  @Query(() => Account, { nullable: true })
  account(@Args('id', { type: () => ID }) _id: string): Account | null {
    return notImplemented();
  }

  @Query(() => User, { nullable: true })
  user(@Args('id', { type: () => ID }) _id: string): User | null {
    return notImplemented();
  }

  @Query(() => Policy, { description: "The signed-in user's policy." })
  policy(): Policy {
    return notImplemented();
  }

  @Query(() => [SigningKey])
  signingKeys(): SigningKey[] {
    return notImplemented();
  }

  @Query(() => [Checkout])
  checkouts(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('productId', { type: () => ID, nullable: true }) _productId?: string,
    @Args('status', { type: () => CheckoutStatus, nullable: true }) _status?: CheckoutStatus,
  ): Checkout[] {
    return notImplemented();
  }

  @Query(() => [SeatHolder])
  seatHolders(@Args('accountId', { type: () => ID }) _accountId: string, @Args('productId', { type: () => ID }) _productId: string): SeatHolder[] {
    return notImplemented();
  }

  @Query(() => [Alert])
  alerts(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('from', { type: () => DateTimeScalar, nullable: true }) _from?: string,
    @Args('to', { type: () => DateTimeScalar, nullable: true }) _to?: string,
  ): Alert[] {
    return notImplemented();
  }

  @Query(() => [UsageReportRow])
  usageReport(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('from', { type: () => DateTimeScalar }) _from: string,
    @Args('to', { type: () => DateTimeScalar }) _to: string,
    @Args('groupBy', { type: () => [UsageDimension] }) _groupBy: UsageDimension[],
    @Args('productId', { type: () => ID, nullable: true }) _productId?: string,
    @Args('userId', { type: () => ID, nullable: true }) _userId?: string,
    @Args('groupId', { type: () => ID, nullable: true }) _groupId?: string,
  ): UsageReportRow[] {
    return notImplemented();
  }

  @Query(() => [ConcurrencyPoint])
  concurrency(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('productId', { type: () => ID }) _productId: string,
    @Args('from', { type: () => DateTimeScalar }) _from: string,
    @Args('to', { type: () => DateTimeScalar }) _to: string,
    @Args('interval', { type: () => Interval }) _interval: Interval,
  ): ConcurrencyPoint[] {
    return notImplemented();
  }

  @Query(() => [TermUsageRow])
  termLicenseUsage(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('from', { type: () => DateTimeScalar }) _from: string,
    @Args('to', { type: () => DateTimeScalar }) _to: string,
  ): TermUsageRow[] {
    return notImplemented();
  }

  @Query(() => EventPage, { description: "The account's events, oldest first: auditors replay history from here." })
  eventHistory(
    @Args('accountId', { type: () => ID }) _accountId: string,
    @Args('after', { type: () => String, nullable: true }) _after?: string,
    // Contract: `first: Int = 100` (nullable, default 100). An explicit `first: null` still arrives as null.
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) _first?: number | null,
    @Args('types', { type: () => [String], nullable: true }) _types?: string[],
  ): EventPage {
    return notImplemented();
  }

  @Query(() => AccountSnapshot)
  accountAsOf(@Args('accountId', { type: () => ID }) _accountId: string, @Args('at', { type: () => DateTimeScalar }) _at: string): AccountSnapshot {
    return notImplemented();
  }

  @Query(() => HistoryVerification, {
    description: "Tamper evidence: every event's metadata.hash chains over the previous event of its stream.",
  })
  verifyHistory(@Args('accountId', { type: () => ID }) _accountId: string): HistoryVerification {
    return notImplemented();
  }

  @Subscription(() => UsageEvent)
  usageEvents(@Args('accountId', { type: () => ID }) _accountId: string): AsyncIterator<UsageEvent> {
    return notImplemented();
  }

  @Subscription(() => Alert)
  alertRaised(@Args('accountId', { type: () => ID }) _accountId: string): AsyncIterator<Alert> {
    return notImplemented();
  }
}

/** Resolves one event so that the JSON and DateTime scalars can be exercised end to end. */
@Resolver()
class ScalarProbeResolver {
  @Query(() => EventPage, { description: 'test-only' })
  probe(): EventPage {
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

describe('query API code-first types', () => {
  let built: GraphQLSchema;
  let contract: GraphQLSchema;

  beforeAll(async () => {
    built = await buildCodeFirstSchema([QueryContractResolver]);
    contract = contractSchema('query');
  });

  it('has no breaking or dangerous changes against contract/query.graphql', () => {
    const reparsed = buildSchema(printSchema(built)); // the SDL a client would see
    expect(findBreakingChanges(contract, reparsed)).toEqual([]);
    expect(findDangerousChanges(contract, reparsed)).toEqual([]);
    expect(
      reparsed
        .getQueryType()
        ?.getFields()
        .eventHistory.args.find((a) => a.name === 'first')?.defaultValue,
    ).toBe(100);
  });

  it('mirrors the contract exactly (no additions, same descriptions except DateTime)', () => {
    expect(findBreakingChanges(built, contract)).toEqual([]);
    // The only intended difference: our DateTime carries the command contract's description.
    const printed = printSchema(lexicographicSortSchema(built)).replace(
      '"""ISO-8601 date-time with offset, e.g. 2026-11-23T08:00:00Z"""\nscalar DateTime',
      'scalar DateTime',
    );
    expect(printed).toEqual(printSchema(lexicographicSortSchema(contract)));
  });

  it('serializes ISO strings through DateTime and arbitrary values through JSON', async () => {
    const schema = await buildCodeFirstSchema([ScalarProbeResolver]);
    // The schema factory builds types only (Nest attaches resolvers later); use the class as rootValue.
    const result = await graphql({
      schema,
      source: '{ probe { events { occurredAt data metadata } nextCursor } }',
      rootValue: new ScalarProbeResolver(),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      probe: {
        events: [{ occurredAt: '2026-11-23T08:00:00.000Z', data: { a: [1, 'x', null, { b: true }] }, metadata: {} }],
        nextCursor: null,
      },
    });
  });

  it('JSON parses literals recursively, including variables inside them', () => {
    const { parseValue: parseGql } = jest.requireActual('graphql') as typeof import('graphql');
    const ast = parseGql('{ a: [1, 2.5, "s", true, null, { b: $v }], e: ENUMISH }');
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
