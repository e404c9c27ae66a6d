import { Inject, Injectable } from '@nestjs/common';
import {
  actingOnAccount,
  mayLearnOf,
  notFound,
  poolFactsOf,
  seatPoolDecider,
  sessionNamedBy,
  usageStartAnswer,
  userFactsOf,
  type Acting,
  type Actor,
  type SeatPoolCommand,
  type SeatPoolEvent,
  type SeatPoolState,
  type SessionDecision,
  type StartUsage,
  type UsageStartPlace,
} from '@ses/domain';
import { streams } from '@ses/events';
import { AggregateStore, type CommandContext, type Loaded } from '../infrastructure/aggregate-store';
import { ENTITY_LOCATOR, type EntityLocator, type PoolRef } from '../infrastructure/lookups/lookups';
import { AccountCommands } from './account-commands';
import { CommandHandling, type Handled, type MetadataOf } from './command-handling';
import type { Outcome, RunContext } from './command-runner';

/** What a usage start answers. */
export interface UsageStartOutcome {
  decision: SessionDecision;
  warnings: string[];
  position: bigint;
}

/**
 * The seat pools (one account's sessions, check-outs and alerts of one product, under one
 * optimistic-concurrency check): finding the pool a session or check-out id is in, the
 * facts the account gives a pool decision (who acts, seats owned, alert rules, the
 * user's eligibility), and the command path to the pool.
 */
@Injectable()
export class SeatPoolCommands {
  constructor(
    private readonly commands: CommandHandling,
    private readonly aggregates: AggregateStore,
    private readonly accounts: AccountCommands,
    @Inject(ENTITY_LOCATOR) private readonly locator: EntityLocator,
  ) {}

  stream(pool: PoolRef): string {
    return streams.seatPool(pool.accountId, pool.productId);
  }

  load(pool: PoolRef): Promise<Loaded<SeatPoolState>> {
    return this.aggregates.load(this.stream(pool), seatPoolDecider);
  }

  /** The seat-pool decider on the pool's stream. */
  handle(pool: PoolRef, command: SeatPoolCommand, ctx: CommandContext, metadata?: MetadataOf<SeatPoolEvent>): Promise<Handled<SeatPoolState, SeatPoolEvent>> {
    return this.commands.handle(seatPoolDecider, this.stream(pool), command, ctx, metadata);
  }

  /** As handle, with a result derived from the decided events and recorded for an idempotent repeat. */
  async handleForResult<R extends Record<string, unknown>>(
    pool: PoolRef,
    command: SeatPoolCommand,
    ctx: RunContext,
    result: (events: readonly SeatPoolEvent[]) => R,
  ): Promise<Outcome<R>> {
    const handled = await this.handle(pool, command, ctx, (events) => ctx.recordResult(result(events)));
    return { result: result(handled.events), position: handled.position };
  }

  /** The pool of the session the actor names (sessionNamedBy: session ids are scoped by account). */
  async poolOfSession(actor: Actor, sessionId: string): Promise<PoolRef> {
    return sessionNamedBy(actor, sessionId, await this.locator.poolsOfSession(sessionId));
  }

  /** The pool of a check-out; NOT_FOUND when never issued or when the actor may not learn of its account. */
  async poolOfCheckout(actor: Actor, checkoutId: string): Promise<PoolRef> {
    const pool = await this.locator.poolOfCheckout(checkoutId);
    if (pool === undefined || !mayLearnOf(actor, pool.accountId)) throw notFound('check-out');
    return pool;
  }

  /** A user checks out in their own account (for a user of another, eligibility says NOT_FOUND); anyone else in the account of the user named. */
  async accountToCheckOutIn(actor: Actor, userId: string): Promise<string> {
    return actor.kind === 'user' ? actor.accountId : this.accounts.accountOf(userId, 'user', actor);
  }

  /** Who acts on the pool's account, as its state knows them. */
  async acting(pool: PoolRef, actor: Actor): Promise<Acting> {
    return actingOnAccount(await this.accounts.load(pool.accountId), actor);
  }

  /**
   * A usage start where placeUsageStart put it: decided by the user's account's pool, or
   * (no registration) answered without recording anything.
   */
  async startUsage(
    place: UsageStartPlace,
    input: { sessionId: string; machineId: string; productVersion?: string | null },
    ctx: CommandContext,
  ): Promise<UsageStartOutcome> {
    if (place.kind === 'unrecorded') return { decision: place.decision, warnings: [], position: 0n };
    const { accountId, productId, userId } = place;
    const account = await this.accounts.load(accountId);
    const elsewhere = await this.locator.poolsOfSession(input.sessionId);
    const command: StartUsage = {
      type: 'StartUsage',
      now: ctx.now,
      sessionId: input.sessionId,
      userId,
      machineId: input.machineId,
      productVersion: input.productVersion ?? null,
      country: account.users[userId]?.country ?? '',
      sessionIdTakenInAccount: elsewhere.some((pool) => pool.accountId === accountId && pool.productId !== productId),
      context: { ...poolFactsOf(account, productId, ctx.now), ...userFactsOf(account, userId, productId, ctx.now) },
    };
    const handled = await this.handle({ accountId, productId }, command, ctx);
    return { ...usageStartAnswer(command, handled.events, handled.state), position: handled.position };
  }
}
