import { givenFor } from '../../shared/testing/given-when-then';
import { decideSeatPool } from '../seat-pool.decider';
import type { SeatPoolEvent } from '../seat-pool.events';
import { evolveSeatPool } from '../seat-pool.evolve';
import { initialSeatPoolState } from '../seat-pool.state';

const givenPool = givenFor({ decide: decideSeatPool, evolve: evolveSeatPool, initialState: initialSeatPoolState });

/** given(past events).when(command).then(expected events) | .thenThrows(code, fields?) */
export const given = (...events: SeatPoolEvent[]) => givenPool(events);
