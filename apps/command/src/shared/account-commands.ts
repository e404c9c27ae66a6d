import { Injectable } from '@nestjs/common';
import { decideAccount, DomainError, type AccountCommand, type AccountState, type Actor } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { AggregateStore, type Appended } from '../infrastructure/aggregate-store';
import { Directory } from '../infrastructure/directory';
import { accountAggregate } from './actor-resolver';
import type { RunContext, RunOutcome } from './command-runner';

/** Runs account-decider commands on the account stream (the organisation's directory). */
@Injectable()
export class AccountCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly directory: Directory,
  ) {}

  /**
   * The account an entity (user, group, rule, entitlement) belongs to. NOT_FOUND when
   * the id was never issued, and likewise when it belongs to another account than a
   * user actor's: nobody learns whether an id exists elsewhere.
   */
  async accountOf(entityId: string, what: string, actor: Actor): Promise<string> {
    const accountId = await this.directory.accountOfEntity(entityId);
    if (!accountId || (actor.kind === 'user' && actor.accountId !== accountId)) throw new DomainError('NOT_FOUND', `${what} not found`);
    return accountId;
  }

  async load(accountId: string): Promise<AccountState> {
    return (await this.aggregates.load(streams.account(accountId), accountAggregate)).state;
  }

  /** Decides `command` against the account (retrying on concurrency conflicts) and appends the events. */
  async execute<R extends Record<string, unknown>>(accountId: string, command: AccountCommand, ctx: RunContext, result: R): Promise<RunOutcome<R>> {
    const appended = await this.append(accountId, (state) => decideAccount(command, state), ctx, result);
    return { result, position: appended.position };
  }

  append<R extends Record<string, unknown>>(
    accountId: string,
    decide: (state: AccountState) => DomainEvent[],
    ctx: RunContext,
    result: R,
  ): Promise<Appended<AccountState>> {
    return this.aggregates.execute(streams.account(accountId), accountAggregate, decide, ctx, ctx.completion(result));
  }
}
