import { Injectable } from '@nestjs/common';
import { DomainError, type Decider } from '@ses/domain';
import { WrongExpectedRevisionError } from '@ses/event-store';
import type { DomainEvent } from '@ses/events';
import { sesMetrics } from '@ses/platform';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { CommandGroups, type GroupedOutcome } from './command-group';
import { isCompletion, type CommandOn, type Handled, type MetadataOf } from './command-types';

export type { CommandOn, Handled, MetadataOf } from './command-types';

const MAX_ATTEMPTS = 8;

/**
 * The one command path of every aggregate, as emmett's handleCommand: load the stream,
 * decide, append what the decider returned (metadata and hash chain by the aggregate
 * store), and on a concurrency conflict do it all again on fresh state, at most
 * MAX_ATTEMPTS times (then CONCURRENCY_CONFLICT). Serialised per stream in this process,
 * so concurrent commands on one aggregate queue up instead of conflicting; optimistic
 * concurrency still guards against other processes. Decisions are pure, so a retry
 * repeats nothing but the decision (and the lookups a CommandOn function makes).
 */
@Injectable()
export class CommandHandling {
  private readonly groups: CommandGroups;

  constructor(private readonly aggregates: AggregateStore) {
    this.groups = new CommandGroups(aggregates, (decider, streamId, command, ctx, metadata) => this.handle(decider, streamId, command, ctx, metadata));
  }

  /**
   * As handle, for a command that may be decided in a group with others on the same stream
   * (command-group.ts: one load and one durable append for all of them, each decided on the
   * state the ones before it left). `key` names what the command is about (e.g. a session
   * id): two commands with one key are never in one group. `answer` derives the caller's
   * answer from the command as decided and the state right after its events.
   */
  handleGrouped<C, E extends DomainEvent, S, A>(
    decider: Decider<C, E, S>,
    streamId: string,
    key: string,
    command: CommandOn<C, S>,
    ctx: CommandContext,
    metadata: MetadataOf<E> | undefined,
    answer: (handled: Handled<S, E, C>) => A,
  ): Promise<GroupedOutcome<A>> {
    return this.groups.submit(decider, streamId, { key, command, ctx, metadata, answer });
  }

  handle<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandOn<C, S>,
    ctx: CommandContext,
    metadata?: MetadataOf<E>,
  ): Promise<Handled<S, E, C>> {
    return this.aggregates.locks.run(streamId, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // A retry (after a conflict) finds the stream forgotten: it reads the tail whatever the ticket.
        const loaded = await this.aggregates.load(streamId, decider, ctx.freshSince);
        const decided = isCompletion(command) ? await command(loaded) : command;
        const events = decider.decide(decided, loaded.state);
        if (events.length === 0) return { command: decided, events, state: loaded.state, position: loaded.position };
        try {
          const appended = await this.aggregates.append(streamId, decider, loaded, events, ctx, metadata?.(events));
          return { command: decided, events, state: appended.state, position: appended.position };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.aggregates.forget(streamId);
          if (attempt < MAX_ATTEMPTS) sesMetrics.retry('command', 'concurrency_conflict');
        }
      }
      throw new DomainError('CONCURRENCY_CONFLICT', `stream ${streamId} kept changing; retry the command`);
    });
  }
}
