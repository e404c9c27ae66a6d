import { Injectable } from '@nestjs/common';
import {
  activeEntitlements,
  bestEntitlement,
  DomainError,
  evolveSeatPool,
  initialSeatPoolState,
  seatsOwned,
  usageEligibility,
  withSeatLevels,
  type AccountState,
  type Actor,
  type PoolFacts,
  type SeatPoolEvent,
  type SeatPoolState,
  type UserFacts,
} from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { AggregateStore, type Aggregate, type Appended, type CommandContext, type Loaded } from '../infrastructure/aggregate-store';
import { Directory, type PoolRef } from '../infrastructure/directory';

export const seatPoolAggregate: Aggregate<SeatPoolState> = {
  initialState: initialSeatPoolState,
  evolve: (state, event) => evolveSeatPool(state, event as Parameters<typeof evolveSeatPool>[1]),
};

/**
 * The seat pool of one account and product: every session, check-out and alert of
 * the product under one optimistic-concurrency check. Builds the account facts a
 * pool decision needs from the account aggregate (a plain snapshot, so the pool's
 * decider stays independent of the account's).
 */
@Injectable()
export class SeatPools {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly directory: Directory,
  ) {}

  stream(accountId: string, productId: string): string {
    return streams.seatPool(accountId, productId);
  }

  load(pool: PoolRef): Promise<Loaded<SeatPoolState>> {
    return this.aggregates.load(this.stream(pool.accountId, pool.productId), seatPoolAggregate);
  }

  execute(
    pool: PoolRef,
    decide: (state: SeatPoolState) => DomainEvent[] | Promise<DomainEvent[]>,
    ctx: CommandContext,
    extraMetadata: Record<string, unknown> | (() => Record<string, unknown>) = {},
  ): Promise<Appended<SeatPoolState>> {
    // Every seat-changing event carries the level it leaves seats in use at (analytics reads no state).
    const decideWithLevels = async (state: SeatPoolState) => withSeatLevels(state, (await decide(state)) as SeatPoolEvent[], ctx.now);
    return this.aggregates.execute(this.stream(pool.accountId, pool.productId), seatPoolAggregate, decideWithLevels, ctx, extraMetadata);
  }

  /** The pool a session or check-out id belongs to; NOT_FOUND when unknown or in another account than a user actor's. */
  async poolOf(entityId: string, what: string, actor: Actor): Promise<PoolRef> {
    const pool = await this.directory.poolOfEntity(entityId);
    if (!pool || (actor.kind === 'user' && actor.accountId !== pool.accountId)) throw new DomainError('NOT_FOUND', `${what} not found`);
    return pool;
  }

  poolFacts(account: AccountState, productId: string, now: string): PoolFacts {
    return {
      accountId: account.accountId,
      productId,
      seatsOwned: seatsOwned(account, productId, now),
      alertRules: Object.values(account.alertRules)
        .filter((rule) => rule.productId === productId)
        .map(({ ruleId, thresholdSeats, action, notifyUserIds }) => ({ ruleId, thresholdSeats, action, notifyUserIds })),
    };
  }

  /** The user's eligibility and the entitlement that covers them (ACTIVE, this product, the user's country). */
  userFacts(account: AccountState, userId: string, productId: string, now: string): UserFacts {
    const user = account.users[userId];
    const inCountry = user ? activeEntitlements(account, productId, now).filter((e) => e.country === user.country) : [];
    const entitlement = bestEntitlement(inCountry, user?.country);
    return {
      eligibility: usageEligibility(account, user ? userId : null, productId, now),
      entitlement: entitlement
        ? {
            entitlementId: entitlement.entitlementId,
            endsAt: entitlement.endsAt,
            checkoutAllowed: entitlement.checkoutAllowed,
            maxCheckoutDays: entitlement.maxCheckoutDays,
          }
        : null,
    };
  }
}
