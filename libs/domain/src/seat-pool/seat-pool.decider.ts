import type { Decider } from '../shared/decider';
import { decideBulkCheckOut, decideCheckIn, decideCheckOut, decideExpireCheckouts } from './decide/checkout';
import { decideEndUsage, decideHeartbeatUsage, decideStartUsage, decideTimeOutSessions } from './decide/usage';
import { withSeatLevels } from './seat-levels';
import type { SeatPoolCommand } from './seat-pool.commands';
import type { SeatPoolEvent } from './seat-pool.events';
import { evolveSeatPool } from './seat-pool.evolve';
import { initialSeatPoolState, SEAT_POOL_STATE_VERSION, type SeatPoolState } from './seat-pool.state';

/**
 * Every check runs in the decider, in the contract's order for each command:
 * authorization (FORBIDDEN / USER_DEACTIVATED) from the actor's standing in the account,
 * validation (BAD_USER_INPUT), existence (NOT_FOUND), then the rules.
 * Pure: reads the state, never mutates it. The events returned are the events stored:
 * every seat-changing one carries the seats in use it leaves (withSeatLevels), so
 * usage analytics needs no reads.
 */
export function decideSeatPool(command: SeatPoolCommand, state: SeatPoolState): SeatPoolEvent[] {
  return withSeatLevels(state, decideCommand(command, state), command.now);
}

function decideCommand(command: SeatPoolCommand, state: SeatPoolState): SeatPoolEvent[] {
  switch (command.type) {
    case 'StartUsage':
      return decideStartUsage(command, state);
    case 'HeartbeatUsage':
      return decideHeartbeatUsage(command, state);
    case 'EndUsage':
      return decideEndUsage(command, state);
    case 'TimeOutSessions':
      return decideTimeOutSessions(command, state);
    case 'CheckOut':
      return decideCheckOut(command, state);
    case 'BulkCheckOut':
      return decideBulkCheckOut(command, state);
    case 'CheckIn':
      return decideCheckIn(command, state);
    case 'ExpireCheckouts':
      return decideExpireCheckouts(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown seat-pool command ${JSON.stringify(unknown)}`);
    }
  }
}

export const seatPoolDecider: Decider<SeatPoolCommand, SeatPoolEvent, SeatPoolState> = {
  decide: decideSeatPool,
  evolve: evolveSeatPool,
  initialState: initialSeatPoolState,
  stateVersion: SEAT_POOL_STATE_VERSION,
};
