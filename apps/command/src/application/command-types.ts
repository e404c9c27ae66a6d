import type { DomainEvent } from '@ses/events';
import type { Loaded } from '../infrastructure/aggregate-store';

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

export function isCompletion<C, S>(command: CommandOn<C, S>): command is (loaded: Loaded<S>) => C | Promise<C> {
  return typeof command === 'function';
}
