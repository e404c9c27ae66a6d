// Builds the command API schema from the code-first types with a test-only resolver that
// declares every contract Query/Mutation field, and compares it with the contract SDL.
import 'reflect-metadata';
import { buildCodeFirstSchema, contractSchema } from '../../../../../test/support/contract';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { buildSchema, findBreakingChanges, findDangerousChanges, graphql, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import {
  AlertRulePayload,
  BulkCheckOutInput,
  BulkCheckoutPayload,
  CheckInInput,
  CheckInPayload,
  CheckOutInput,
  CheckoutPayload,
  CreateGroupInput,
  DateTimeScalar,
  EntitlementPayload,
  GrantEntitlementInput,
  GroupMemberInput,
  GroupPayload,
  OpenAccountInput,
  OpenAccountPayload,
  RegisterUserInput,
  RemoveAlertRuleInput,
  RevokeEntitlementInput,
  RoleInput,
  SessionInput,
  SessionPayload,
  SetAlertRuleInput,
  SetGroupProductsInput,
  StartUsageInput,
  UsageDecision,
  UserInput,
  UserPayload,
} from './index';

const notImplemented = (): never => {
  throw new Error('test-only resolver');
};

/** Test-only: the contract's Query and Mutation fields, signatures exactly as in command.graphql. */
@Resolver()
class CommandContractResolver {
  @Query(() => String, { description: 'Liveness of the command API (GraphQL needs one query field).' })
  ping(): string {
    return 'pong';
  }

  @Mutation(() => OpenAccountPayload)
  openAccount(@Args('input', { type: () => OpenAccountInput }) _input: OpenAccountInput): OpenAccountPayload {
    return notImplemented();
  }

  @Mutation(() => EntitlementPayload)
  grantEntitlement(@Args('input', { type: () => GrantEntitlementInput }) _input: GrantEntitlementInput): EntitlementPayload {
    return notImplemented();
  }

  @Mutation(() => EntitlementPayload)
  revokeEntitlement(@Args('input', { type: () => RevokeEntitlementInput }) _input: RevokeEntitlementInput): EntitlementPayload {
    return notImplemented();
  }

  @Mutation(() => UserPayload)
  registerUser(@Args('input', { type: () => RegisterUserInput }) _input: RegisterUserInput): UserPayload {
    return notImplemented();
  }

  @Mutation(() => UserPayload)
  deactivateUser(@Args('input', { type: () => UserInput }) _input: UserInput): UserPayload {
    return notImplemented();
  }

  @Mutation(() => UserPayload)
  grantRole(@Args('input', { type: () => RoleInput }) _input: RoleInput): UserPayload {
    return notImplemented();
  }

  @Mutation(() => UserPayload)
  revokeRole(@Args('input', { type: () => RoleInput }) _input: RoleInput): UserPayload {
    return notImplemented();
  }

  @Mutation(() => GroupPayload)
  createGroup(@Args('input', { type: () => CreateGroupInput }) _input: CreateGroupInput): GroupPayload {
    return notImplemented();
  }

  @Mutation(() => GroupPayload)
  setGroupProducts(@Args('input', { type: () => SetGroupProductsInput }) _input: SetGroupProductsInput): GroupPayload {
    return notImplemented();
  }

  @Mutation(() => GroupPayload)
  addGroupMember(@Args('input', { type: () => GroupMemberInput }) _input: GroupMemberInput): GroupPayload {
    return notImplemented();
  }

  @Mutation(() => GroupPayload)
  removeGroupMember(@Args('input', { type: () => GroupMemberInput }) _input: GroupMemberInput): GroupPayload {
    return notImplemented();
  }

  @Mutation(() => AlertRulePayload)
  setAlertRule(@Args('input', { type: () => SetAlertRuleInput }) _input: SetAlertRuleInput): AlertRulePayload {
    return notImplemented();
  }

  @Mutation(() => AlertRulePayload)
  removeAlertRule(@Args('input', { type: () => RemoveAlertRuleInput }) _input: RemoveAlertRuleInput): AlertRulePayload {
    return notImplemented();
  }

  @Mutation(() => UsageDecision)
  startUsage(@Args('input', { type: () => StartUsageInput }) _input: StartUsageInput): UsageDecision {
    return notImplemented();
  }

  @Mutation(() => SessionPayload)
  heartbeatUsage(@Args('input', { type: () => SessionInput }) _input: SessionInput): SessionPayload {
    return notImplemented();
  }

  @Mutation(() => SessionPayload)
  endUsage(@Args('input', { type: () => SessionInput }) _input: SessionInput): SessionPayload {
    return notImplemented();
  }

  @Mutation(() => CheckoutPayload)
  checkOut(@Args('input', { type: () => CheckOutInput }) _input: CheckOutInput): CheckoutPayload {
    return notImplemented();
  }

  @Mutation(() => BulkCheckoutPayload)
  bulkCheckOut(@Args('input', { type: () => BulkCheckOutInput }) _input: BulkCheckOutInput): BulkCheckoutPayload {
    return notImplemented();
  }

  @Mutation(() => CheckInPayload)
  checkIn(@Args('input', { type: () => CheckInInput }) _input: CheckInInput): CheckInPayload {
    return notImplemented();
  }
}

describe('command API code-first types', () => {
  let built: GraphQLSchema;
  let contract: GraphQLSchema;

  beforeAll(async () => {
    built = await buildCodeFirstSchema([CommandContractResolver]);
    contract = contractSchema('command');
  });

  it('has no breaking or dangerous changes against contract/command.graphql', () => {
    const reparsed = buildSchema(printSchema(built)); // the SDL a client would see
    expect(findBreakingChanges(contract, reparsed)).toEqual([]);
    expect(findDangerousChanges(contract, reparsed)).toEqual([]);
  });

  it('mirrors the contract exactly (no additions, same descriptions)', () => {
    expect(findBreakingChanges(built, contract)).toEqual([]);
    expect(printSchema(lexicographicSortSchema(built))).toEqual(printSchema(lexicographicSortSchema(contract)));
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

    const result = await graphql({
      schema: built,
      source:
        'mutation { grantEntitlement(input: { accountId: "a", productId: "p", productName: "P", seats: 1, startsAt: "soon", endsAt: "2026-11-23T08:00:00Z" }) { entitlementId } }',
    });
    expect(result.errors?.[0]?.message).toMatch(/DateTime cannot parse literal: expected an ISO-8601 date-time/);
  });
});
