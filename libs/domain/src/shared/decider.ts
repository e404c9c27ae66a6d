import type { DomainEvent } from '@ses/events';

/**
 * The shape every aggregate follows (emmett-style): pure, time and ids come in with the
 * command. `decide` returns exactly the events to store (nothing is added to them
 * later); an empty list means the command was already satisfied. `evolve` folds any
 * event read from the aggregate's stream; events of other kinds leave the state as it is.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: DomainEvent): State;
  initialState(): State;
  /**
   * Version of the state's shape and of what `evolve` puts in it, for aggregates whose
   * state the command side snapshots: a snapshot of another version is ignored and the
   * state rebuilt from the log, never misread. Raise it with every such change. Absent:
   * never snapshotted (the stream is always folded from its start).
   */
  stateVersion?: number;
}
