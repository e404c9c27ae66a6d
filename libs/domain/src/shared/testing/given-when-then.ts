import type { DomainEvent } from '@ses/events';
import type { Decider } from '../decider';
import { DomainError, type ErrorCode } from '../domain-error';

/**
 * Test-only given/when/then over any decider:
 *   given(events).when(command).then(expectedEvents) / .thenThrows(code, fields?)
 * Every run also checks that decide left the state as it found it.
 */
export function givenFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (events: DomainEvent[] = []) => {
    const state = events.reduce<S>((current, event) => decider.evolve(current, event), decider.initialState());
    return {
      state,
      when: (command: C) => {
        const run = (): E[] => {
          const before = snapshot(state);
          try {
            return decider.decide(command, state);
          } finally {
            expect(snapshot(state)).toEqual(before); // decide must never mutate
          }
        };
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          events: run,
          thenThrows: (code: ErrorCode, fields?: string[]): DomainError => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            const error = thrown as DomainError;
            expect(error.code).toBe(code);
            if (fields) expect([...error.fields].sort()).toEqual([...fields].sort());
            return error;
          },
          /** A plain Error: a bug in the shell (e.g. a reused id), not a contract error. */
          thenFails: () => expect(run).toThrow(Error),
        };
      },
    };
  };
}

function snapshot(state: unknown): string {
  return JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : value));
}
