import { Injectable } from '@nestjs/common';
import { DomainError, type Decider } from '@ses/domain';
import { WrongExpectedRevisionError } from '@ses/event-store';
import type { DomainEvent } from '@ses/events';
import { sesMetrics } from '@ses/platform';
import { AggregateStore, type CommandContext, type Loaded } from '../infrastructure/aggregate-store';

/** What handling a command did: the events the decider returned (all appended), the state after them, and the stream's position. */
export interface Handled<S, E extends DomainEvent, C = unknown> {
  /** The command as decided (completed on the state it was decided on, for a CommandOn function). */
  command: C;
  /** Empty when the command was already satisfied (nothing appended). */
  events: E[];
  state: S;
  /** Global position of the stream's last event: the consistency token a mutation answers. */
  position: bigint;
}

/** Metadata for the events, from what was decided (e.g. the command's result, for idempotent repeats). */
export type MetadataOf<E> = (events: readonly E[]) => Record<string, unknown>;

/**
 * A command, or how to complete it once the stream is loaded: facts that depend on the
 * state it is decided on (e.g. the index's record of an id the state no longer holds) are
 * looked up after each load, under the stream's lock, so that they are as fresh as the state.
 */
export type CommandOn<C, S> = C | ((loaded: Loaded<S>) => C | Promise<C>);

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
  constructor(private readonly aggregates: AggregateStore) {}

  handle<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandOn<C, S>,
    ctx: CommandContext,
    metadata?: MetadataOf<E>,
  ): Promise<Handled<S, E, C>> {
    return this.aggregates.locks.run(streamId, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const loaded = await this.aggregates.load(streamId, decider);
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

function isCompletion<C, S>(command: CommandOn<C, S>): command is (loaded: Loaded<S>) => C | Promise<C> {
  return typeof command === 'function';
}
