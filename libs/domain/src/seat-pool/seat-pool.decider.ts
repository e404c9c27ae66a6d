import type { Decider } from '../shared/decider';
import { bulkCheckOut, checkIn, checkOut, expireCheckouts } from './decide/checkout';
import { endUsage, heartbeatUsage, startUsage, timeOutSessions } from './decide/usage';
import type { SeatPoolCommand } from './seat-pool.commands';
import type { SeatPoolEvent } from './seat-pool.events';
import { evolveSeatPool } from './seat-pool.evolve';
import { initialSeatPoolState, type SeatPoolState } from './seat-pool.state';

/** Pure: reads the state, never mutates it; throws DomainError when a rule says no. */
export function decideSeatPool(command: SeatPoolCommand, state: SeatPoolState): SeatPoolEvent[] {
  switch (command.type) {
    case 'StartUsage':
      return startUsage(command, state);
    case 'HeartbeatUsage':
      return heartbeatUsage(command, state);
    case 'EndUsage':
      return endUsage(command, state);
    case 'TimeOutSessions':
      return timeOutSessions(command, state);
    case 'CheckOut':
      return checkOut(command, state);
    case 'BulkCheckOut':
      return bulkCheckOut(command, state);
    case 'CheckIn':
      return checkIn(command, state);
    case 'ExpireCheckouts':
      return expireCheckouts(command, state);
  }
}

export const seatPoolDecider: Decider<SeatPoolCommand, SeatPoolEvent, SeatPoolState> = {
  decide: decideSeatPool,
  evolve: evolveSeatPool,
  initialState: initialSeatPoolState,
};
