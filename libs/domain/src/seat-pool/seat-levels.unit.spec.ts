import { withSeatLevels } from './seat-levels';
import { evolveSeatPool } from './seat-pool.evolve';
import type { SeatPoolEvent } from './seat-pool.events';
import { initialSeatPoolState, type SeatPoolState } from './seat-pool.state';
import { at, checkedOut, ended, started } from './testing/fixtures';

const given = (...events: SeatPoolEvent[]): SeatPoolState => events.reduce(evolveSeatPool, initialSeatPoolState());
const levels = (events: SeatPoolEvent[]) => events.map((e) => (e.data as { seatsInUse?: number }).seatsInUse);

describe('withSeatLevels', () => {
  it('counts a user once however many sessions and check-outs they hold', () => {
    const state = given(started('s1', 'u1', at(0)));
    const out = withSeatLevels(state, [started('s2', 'u1', at(5)), started('s3', 'u2', at(5)), checkedOut('c1', 'u1', at(5), at(60 * 24))], at(5));
    expect(levels(out)).toEqual([1, 2, 2]);
  });

  it('lowers the level only when a user holds nothing any more', () => {
    const state = given(started('s1', 'u1', at(0)), started('s2', 'u1', at(1)), started('s3', 'u2', at(1)));
    const out = withSeatLevels(state, [ended('s1', 'u1', at(10)), ended('s2', 'u1', at(10)), ended('s3', 'u2', at(10))], at(10));
    expect(levels(out)).toEqual([2, 1, 0]);
  });

  it('tells where and since when an ended session ran', () => {
    const state = given(started('s1', 'u1', at(0)));
    const [out] = withSeatLevels(state, [ended('s1', 'u1', at(30))], at(30));
    expect(out.data).toMatchObject({ seatsInUse: 0, startedAt: at(0), machineId: 'm-1', country: 'DE' });
  });

  it('leaves events that do not change seats alone, and does not change the state', () => {
    const state = given(started('s1', 'u1', at(0)));
    const before = state.activeSessions.size;
    const hb = { type: 'UsageHeartbeat', data: { accountId: 'acc-1', sessionId: 's1', userId: 'u1', productId: 'prod-1', at: at(3) } } as SeatPoolEvent;
    expect(withSeatLevels(state, [hb], at(3))).toEqual([hb]);
    withSeatLevels(state, [ended('s1', 'u1', at(4))], at(4));
    expect(state.activeSessions.size).toBe(before);
  });
});
