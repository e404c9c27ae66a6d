import { Inject, Injectable } from '@nestjs/common';
import { accountDecider, mayLearnOf, notFound, type AccountCommand, type AccountState, type Actor } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { ENTITY_LOCATOR, type EntityLocator } from '../infrastructure/lookups/lookups';
import { CommandHandling } from './command-handling';
import type { Outcome, RunContext } from './command-runner';

/** The account aggregate (the organisation's directory) on its stream: finding it, reading it, and the command path to it. */
@Injectable()
export class AccountCommands {
  constructor(
    private readonly commands: CommandHandling,
    private readonly aggregates: AggregateStore,
    @Inject(ENTITY_LOCATOR) private readonly locator: EntityLocator,
  ) {}

  /**
   * The account an entity (user, group, rule, entitlement) belongs to. NOT_FOUND when the
   * id was never issued, and likewise when the actor may not learn of its account.
   */
  async accountOf(entityId: string, what: string, actor: Actor): Promise<string> {
    const accountId = await this.locator.accountOf(entityId);
    if (accountId === undefined || !mayLearnOf(actor, accountId)) throw notFound(what);
    return accountId;
  }

  /** As load; for the account of the command's own user, the state their actor was resolved with (loaded moments before, in this request). */
  async loadForCommand(accountId: string, ctx: { actorAccount?: AccountState; freshSince?: number }): Promise<AccountState> {
    if (ctx.actorAccount?.accountId === accountId) return ctx.actorAccount;
    return (await this.aggregates.load(streams.account(accountId), accountDecider, ctx.freshSince)).state;
  }

  async load(accountId: string): Promise<AccountState> {
    return (await this.loadAt(accountId)).state;
  }

  /** The account's state and the global position of its last event (what a command that appends nothing answers). */
  async loadAt(accountId: string): Promise<{ state: AccountState; position: bigint }> {
    return this.aggregates.load(streams.account(accountId), accountDecider);
  }

  /** The account decider on the account's stream; `result` (from the command and its events) is recorded for an idempotent repeat. */
  async handle<R extends Record<string, unknown>>(
    accountId: string,
    command: AccountCommand,
    ctx: RunContext,
    result: (events: readonly DomainEvent[]) => R,
  ): Promise<Outcome<R>> {
    const handled = await this.commands.handle(accountDecider, streams.account(accountId), command, ctx, (events) => ctx.recordResult(result(events)));
    return { result: result(handled.events), position: handled.position };
  }
}
