import { evolveSeatPool } from './seat-pool.evolve';
import { initialSeatPoolState, type SeatPoolState } from './seat-pool.state';
import { checkoutHolder, nextDueAt, seatHolders, seatsInUse, sessionOwner } from './seat-pool.queries';
import { T0, at, checkedIn, checkedOut, checkoutRecord, ended, heartbeat, sessionRecord, started } from './testing/fixtures';
import { given } from './testing/given-when-then';

describe('seatsInUse and seatHolders', () => {
  const { state } = given(
    started('s1', 'u1'),
    started('s2', 'u1', at(5)),
    checkedOut('c1', 'u1', at(1), at(100)),
    started('s3', 'u2', at(2)),
    ended('s3', 'u2', at(3)),
    checkedOut('c3', 'u3', at(4), at(50)),
    checkedOut('c4', 'u4', at(4), at(100)),
    checkedIn('c4', 'u4', at(6)),
  );

  it('counts distinct users with an active session or an unexpired check-out', () => {
    expect(seatsInUse(state, at(10))).toBe(2);
    expect(seatsInUse(state, at(50))).toBe(1);
  });

  it('lists the holders with what they hold and since when', () => {
    expect(seatHolders(state, at(10))).toEqual([
      { userId: 'u1', sessionIds: ['s1', 's2'], checkoutId: 'c1', since: T0 },
      { userId: 'u3', sessionIds: [], checkoutId: 'c3', since: at(4) },
    ]);
    expect(seatHolders(state, at(50)).map((h) => h.userId)).toEqual(['u1']);
  });

  it('knows owners of active sessions and holders of active check-outs from the state, past ones from their records', () => {
    expect(sessionOwner(state, 's1', null)).toBe('u1');
    expect(checkoutHolder(state, 'c1', null)).toBe('u1');
    expect(sessionOwner(state, 's3', sessionRecord('u2', 'ENDED'))).toBe('u2');
    expect(checkoutHolder(state, 'c4', checkoutRecord('u4', 'CHECKED_IN'))).toBe('u4');
    expect(sessionOwner(state, 's3', null)).toBeNull();
    expect(checkoutHolder(state, 'c4', null)).toBeNull();
  });

  it('keeps nothing of sessions and check-outs that are over', () => {
    expect([...state.activeSessions.keys()]).toEqual(['s1', 's2']);
    expect([...state.activeCheckouts.keys()]).toEqual(['c1', 'c3']);
    expect([...state.holders.keys()].sort()).toEqual(['u1', 'u3']);
  });
});

describe('nextDueAt', () => {
  it('is null for an idle pool', () => {
    expect(nextDueAt(given().state, 900)).toBeNull();
    expect(nextDueAt(given(started('s1', 'u1'), ended('s1', 'u1')).state, 900)).toBeNull();
  });

  it('is the earliest session timeout (last heartbeat + TTL) or check-out expiry', () => {
    expect(nextDueAt(given(started('s1', 'u1'), heartbeat('s1', 'u1', at(10)), started('s2', 'u2', at(12))).state, 900)).toBe(at(25));
    expect(nextDueAt(given(started('s1', 'u1'), checkedOut('c1', 'u2', T0, at(5))).state, 900)).toBe(at(5));
  });
});

describe('seatsInUse as check-outs come, go and expire (the earliest expiry kept beside the state)', () => {
  /** Seats in use counted from scratch: users with an active session or a check-out not yet expired at `now`. */
  const counted = (state: SeatPoolState, now: string) =>
    [...state.holders.entries()].filter(
      ([, h]) => h.sessionIds.size > 0 || [...h.checkoutIds].some((id) => Date.parse(now) < Date.parse(state.activeCheckouts.get(id)!.expiresAt)),
    ).length;
  const instants = [at(0), at(10), at(20), at(30), at(40), at(60), at(200)];

  it('answers as the count from scratch after every event, asked at every instant', () => {
    const events = [
      checkedOut('c1', 'u1', at(0), at(30)),
      checkedOut('c2', 'u2', at(0), at(20)),
      started('s1', 'u3'),
      checkedOut('c3', 'u3', at(1), at(10)),
      checkedIn('c2', 'u2', at(2)),
      checkedOut('c4', 'u4', at(3), at(40)),
      checkedIn('c3', 'u3', at(4)),
      ended('s1', 'u3', at(5)),
      checkedOut('c5', 'u5', at(6), at(15)),
      checkedIn('c1', 'u1', at(7)),
      checkedIn('c5', 'u5', at(8)),
      checkedIn('c4', 'u4', at(9)),
      checkedOut('c6', 'u6', at(9), at(100)),
    ];
    let state = initialSeatPoolState();
    for (const event of events) {
      state = evolveSeatPool(state, event);
      for (const now of instants) expect([event.data, now, seatsInUse(state, now)]).toEqual([event.data, now, counted(state, now)]);
    }
  });
});
