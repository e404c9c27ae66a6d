import type { Decider } from '../../shared/decider';
import { DomainError, type ErrorCode } from '../../shared/domain-error';

/**
 * Test-only given/when/then over any decider:
 *   given(events).when(command).then(expectedEvents) / .thenThrows(code, fields?)
 */
export function givenFor<C, E, S>(decider: Decider<C, E, S>) {
  return (events: E[] = []) => {
    const state = events.reduce(decider.evolve, decider.initialState());
    return {
      state,
      when: (command: C) => {
        const run = () => decider.decide(command, state);
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          thenThrows: (code: ErrorCode, fields?: string[]) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).code).toBe(code);
            if (fields) expect([...(thrown as DomainError).fields].sort()).toEqual([...fields].sort());
          },
          /** A plain Error: a bug in the shell (e.g. a reused id), not a contract error. */
          thenFails: () => expect(run).toThrow(Error),
        };
      },
    };
  };
}
