import type { SeatPoolEvent } from './seat-pool.events';
import { evolveSeatPool } from './seat-pool.evolve';
import { decideSeatPool } from './seat-pool.decider';
import { initialSeatPoolState } from './seat-pool.state';
import { T0, alertRaised, context, denyRule, ended, seats, sessionRecord, started, startUsage } from './testing/fixtures';

describe('a pool with a long history', () => {
  it('keeps only what is active (nothing per past session) and decides as a new pool would', () => {
    let state = initialSeatPoolState();
    for (let i = 0; i < 100_000; i++) {
      state = evolveSeatPool(state, started(`s${i}`, `u${i % 50}`));
      state = evolveSeatPool(state, ended(`s${i}`, `u${i % 50}`));
    }
    expect(state.activeSessions.size).toBe(0);
    expect(state.activeCheckouts.size).toBe(0);
    expect(state.holders.size).toBe(0);
    expect(state).toEqual(Object.assign(initialSeatPoolState(), { accountId: state.accountId, productId: state.productId }));

    const events: SeatPoolEvent[] = decideSeatPool(startUsage('new', 'u1', { context: context({ seatsOwned: 1, alertRules: [denyRule('r', 1)] }) }), state);
    expect(events).toEqual([seats(1, started('new', 'u1', T0, false)), alertRaised('r', 1, 1, 1, T0, 1)]);
    // A repeat of an old session id is answered from its record, which the index keeps.
    expect(decideSeatPool(startUsage('s99999', 'u49', { recorded: sessionRecord('u49', 'ENDED') }), state)).toEqual([]);
  });
});
