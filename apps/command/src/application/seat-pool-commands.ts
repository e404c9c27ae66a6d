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
  type CheckIn,
  type EndUsage,
  type HeartbeatUsage,
  type SeatPoolCommand,
  type SeatPoolEvent,
  type SeatPoolState,
  type SessionDecision,
  type SessionRecord,
  type StartUsage,
  type UsageStartPlace,
} from '@ses/domain';
import { streams } from '@ses/events';
import { AggregateStore, type CommandContext, type Loaded } from '../infrastructure/aggregate-store';
import { ENTITY_LOCATOR, POOL_RECORDS, type EntityLocator, type PoolRecords, type PoolRef } from '../infrastructure/lookups/lookups';
import { AccountCommands } from './account-commands';
import { CommandHandling, type CommandOn, type Handled, type MetadataOf } from './command-handling';
import type { Outcome, RunContext } from './command-runner';

/** What a usage start answers. */
export interface UsageStartOutcome {
  decision: SessionDecision;
  warnings: string[];
  position: bigint;
}

/** A session command before the pool's record of its session is known. */
type SessionCommand = Omit<HeartbeatUsage, 'recorded'> | Omit<EndUsage, 'recorded'>;

/**
 * The seat pools (one account's sessions, check-outs and alerts of one product, under one
 * optimistic-concurrency check): finding the pool a session or check-out id is in, the
 * facts the account gives a pool decision (who acts, seats owned, alert rules, the
 * user's eligibility), what the pool's history recorded about an id its state no longer
 * holds (from the command index, looked up after each load), and the command path to the pool.
 */
@Injectable()
export class SeatPoolCommands {
  constructor(
    private readonly commands: CommandHandling,
    private readonly aggregates: AggregateStore,
    private readonly accounts: AccountCommands,
    @Inject(ENTITY_LOCATOR) private readonly locator: EntityLocator,
    @Inject(POOL_RECORDS) private readonly records: PoolRecords,
  ) {}

  stream(pool: PoolRef): string {
    return streams.seatPool(pool.accountId, pool.productId);
  }

  load(pool: PoolRef): Promise<Loaded<SeatPoolState>> {
    return this.aggregates.load(this.stream(pool), seatPoolDecider);
  }

  /** The seat-pool decider on the pool's stream. */
  handle<C extends SeatPoolCommand>(
    pool: PoolRef,
    command: CommandOn<C, SeatPoolState>,
    ctx: CommandContext,
    metadata?: MetadataOf<SeatPoolEvent>,
  ): Promise<Handled<SeatPoolState, SeatPoolEvent, C>> {
    return this.commands.handle<C, SeatPoolEvent, SeatPoolState>(seatPoolDecider, this.stream(pool), command, ctx, metadata);
  }

  /** A heartbeat or end, completed with the pool's record of the session when its state does not hold it as active. */
  withSessionRecord(pool: PoolRef, command: SessionCommand): CommandOn<HeartbeatUsage | EndUsage, SeatPoolState> {
    return async (loaded) => ({ ...command, recorded: await this.recordedSession(pool, command.sessionId, loaded) }) as HeartbeatUsage | EndUsage;
  }

  /** A check-in, completed with the pool's record of the check-out when its state does not hold it as active. */
  withCheckoutRecord(pool: PoolRef, command: Omit<CheckIn, 'recorded'>): CommandOn<CheckIn, SeatPoolState> {
    return async ({ state, position }) => ({
      ...command,
      recorded: state.activeCheckouts.has(command.checkoutId) ? null : await this.records.checkout(pool, command.checkoutId, position),
    });
  }

  /** As handle, with a result derived from the decided events and recorded for an idempotent repeat. */
  async handleForResult<R extends Record<string, unknown>>(
    pool: PoolRef,
    command: CommandOn<SeatPoolCommand, SeatPoolState>,
    ctx: RunContext,
    result: (events: readonly SeatPoolEvent[]) => R,
  ): Promise<Outcome<R>> {
    const handled = await this.handle(pool, command, ctx, (events) => ctx.recordResult(result(events)));
    return { result: result(handled.events), position: handled.position };
  }

  /** As handleForResult, decided in a group with other commands on the pool (CommandHandling.handleGrouped); `key` as there. */
  async handleForResultGrouped<R extends Record<string, unknown>>(
    pool: PoolRef,
    key: string,
    command: CommandOn<SeatPoolCommand, SeatPoolState>,
    ctx: RunContext,
    result: (events: readonly SeatPoolEvent[]) => R,
  ): Promise<Outcome<R>> {
    const { answer, position } = await this.commands.handleGrouped(
      seatPoolDecider,
      this.stream(pool),
      key,
      command,
      ctx,
      (events) => ctx.recordResult(result(events)),
      (handled) => result(handled.events),
    );
    return { result: answer, position };
  }

  /** The pool of the session the actor names (sessionNamedBy: session ids are scoped by account). */
  async poolOfSession(actor: Actor, sessionId: string, freshSince?: number): Promise<PoolRef> {
    return sessionNamedBy(actor, sessionId, await this.locator.poolsOfSession(sessionId, freshSince));
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

  /** Who acts on the pool's account, as its state knows them (the state the actor was resolved with, when it is theirs). */
  async acting(pool: PoolRef, ctx: RunContext): Promise<Acting> {
    return actingOnAccount(await this.accounts.loadForCommand(pool.accountId, ctx), ctx.actor);
  }

  /**
   * A usage start where placeUsageStart put it: decided by the user's account's pool, or
   * (no registration) answered without recording anything.
   */
  async startUsage(
    place: UsageStartPlace,
    input: { sessionId: string; machineId: string; productVersion?: string | null },
    ctx: RunContext,
  ): Promise<UsageStartOutcome> {
    if (place.kind === 'unrecorded') return { decision: place.decision, warnings: [], position: 0n };
    const { accountId, productId, userId } = place;
    const account = await this.accounts.loadForCommand(accountId, ctx);
    const elsewhere = await this.locator.poolsOfSession(input.sessionId, ctx.freshSince);
    const command: StartUsage = {
      type: 'StartUsage',
      now: ctx.now,
      sessionId: input.sessionId,
      userId,
      machineId: input.machineId,
      productVersion: input.productVersion ?? null,
      country: account.users[userId]?.country ?? '',
      sessionIdTakenInAccount: elsewhere.some((pool) => pool.accountId === accountId && pool.productId !== productId),
      recorded: null,
      context: { ...poolFactsOf(account, productId, ctx.now), ...userFactsOf(account, userId, productId, ctx.now) },
    };
    const pool = { accountId, productId };
    const { answer, position } = await this.commands.handleGrouped<StartUsage, SeatPoolEvent, SeatPoolState, ReturnType<typeof usageStartAnswer>>(
      seatPoolDecider,
      this.stream(pool),
      `session:${input.sessionId}`,
      async (loaded) => ({ ...command, recorded: await this.recordedSession(pool, input.sessionId, loaded) }),
      ctx,
      undefined,
      (handled) => usageStartAnswer(handled.command, handled.events, handled.state),
    );
    return { ...answer, position };
  }

  /** The index's record of a session id, needed only when the pool's state does not hold it as active. */
  private async recordedSession(pool: PoolRef, sessionId: string, loaded: Loaded<SeatPoolState>): Promise<SessionRecord | null> {
    return loaded.state.activeSessions.has(sessionId) ? null : this.records.session(pool, sessionId, loaded.position);
  }
}
