import type { ErrorCode } from '../../shared/domain-error';
import { DomainError } from '../../shared/domain-error';
import type { SeatPoolCommand } from '../seat-pool.commands';
import { decideSeatPool } from '../seat-pool.decider';
import type { SeatPoolEvent } from '../seat-pool.events';
import { evolveSeatPool } from '../seat-pool.evolve';
import { initialSeatPoolState, type SeatPoolState } from '../seat-pool.state';

export const fold = (events: SeatPoolEvent[], state: SeatPoolState = initialSeatPoolState()): SeatPoolState => events.reduce(evolveSeatPool, state);

/** given(past events).when(command).then(expected events) | .thenThrows(code, fields?) */
export function given(...events: SeatPoolEvent[]) {
  const state = fold(events);
  return {
    state,
    when(command: SeatPoolCommand) {
      const run = (): SeatPoolEvent[] => {
        const before = snapshot(state);
        try {
          return decideSeatPool(command, state);
        } finally {
          expect(snapshot(state)).toEqual(before); // decide must never mutate
        }
      };
      return {
        then(expected: SeatPoolEvent[]): void {
          expect(run()).toEqual(expected);
        },
        events: run,
        thenThrows(code: ErrorCode, fields?: string[]): DomainError {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          const error = thrown as DomainError;
          expect(error.code).toBe(code);
          if (fields) expect(error.fields).toEqual(fields);
          return error;
        },
      };
    },
  };
}

function snapshot(state: SeatPoolState): string {
  return JSON.stringify(state, (_key, value) =>
    value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : value);
}
