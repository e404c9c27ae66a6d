/** The shape every aggregate follows (emmett-style): pure, time and ids come in with the command. */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
