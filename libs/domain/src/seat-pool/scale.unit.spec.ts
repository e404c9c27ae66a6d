import type { SeatPoolEvent } from './seat-pool.events';
import { evolveSeatPool } from './seat-pool.evolve';
import { decideSeatPool } from './seat-pool.decider';
import { initialSeatPoolState } from './seat-pool.state';
import { T0, alertRaised, context, denyRule, ended, seats, started, startUsage } from './testing/fixtures';

describe('a pool with a long history', () => {
  it('keeps only active sessions in detail and decides as a new pool would', () => {
    let state = initialSeatPoolState();
    for (let i = 0; i < 100_000; i++) {
      state = evolveSeatPool(state, started(`s${i}`, `u${i % 50}`));
      state = evolveSeatPool(state, ended(`s${i}`, `u${i % 50}`));
    }
    expect(state.activeSessions.size).toBe(0);
    expect(state.activeCheckouts.size).toBe(0);
    expect(state.holders.size).toBe(0);
    expect(state.sessions.size).toBe(100_000);

    const events: SeatPoolEvent[] = decideSeatPool(startUsage('new', 'u1', { context: context({ seatsOwned: 1, alertRules: [denyRule('r', 1)] }) }), state);
    expect(events).toEqual([seats(1, started('new', 'u1', T0, false)), alertRaised('r', 1, 1, 1, T0, 1)]);
    expect(decideSeatPool(startUsage('s99999', 'u49'), state)).toEqual([]);
  });
});
