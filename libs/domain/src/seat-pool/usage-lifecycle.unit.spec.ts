import type { Acting } from '../authorization/authorization';
import type { HeartbeatUsage, EndUsage, TimeOutSessions } from './seat-pool.commands';
import { T0, administrator, at, denied, ended, heartbeat, member, operator, outsider, seats, started, timedOut } from './testing/fixtures';
import { given } from './testing/given-when-then';

/** By the user `by` (a member without roles), or the operator. */
const beat = (sessionId: string, now: string, by?: string | Acting): HeartbeatUsage => ({ type: 'HeartbeatUsage', now, sessionId, actor: actor(by) });
const end = (sessionId: string, now: string, by?: string | Acting): EndUsage => ({ type: 'EndUsage', now, sessionId, actor: actor(by) });
const actor = (by: string | Acting | undefined): Acting => (by === undefined ? operator : typeof by === 'string' ? member(by) : by);
const timeOut = (now: string, ttlSeconds = 900): TimeOutSessions => ({ type: 'TimeOutSessions', now, ttlSeconds });

describe('HeartbeatUsage', () => {
  it('records a heartbeat of an active session', () => {
    given(started('s1', 'u1'))
      .when(beat('s1', at(5), 'u1'))
      .then([heartbeat('s1', 'u1', at(5))]);
  });

  it('NOT_FOUND for an unknown session', () => {
    given()
      .when(beat('s1', at(5)))
      .thenThrows('NOT_FOUND');
  });

  it('FORBIDDEN for a session of another user', () => {
    given(started('s1', 'u1'))
      .when(beat('s1', at(5), 'u2'))
      .thenThrows('FORBIDDEN');
  });

  it.each([
    ['ended', [started('s1', 'u1'), ended('s1', 'u1', at(1))]],
    ['timed out', [started('s1', 'u1'), timedOut('s1', 'u1', T0, at(15))]],
    ['denied', [denied('s1', 'u1', 'NOT_ENTITLED')]],
  ] as const)('SESSION_NOT_ACTIVE when the session is %s', (_, events) => {
    given(...events)
      .when(beat('s1', at(20)))
      .thenThrows('SESSION_NOT_ACTIVE');
  });
});

describe('EndUsage', () => {
  it('ends an active session', () => {
    given(started('s1', 'u1'))
      .when(end('s1', at(30)))
      .then([seats(0, ended('s1', 'u1', at(30)), { startedAt: T0, machineId: 'm-1' })]);
  });

  it('NOT_FOUND for an unknown session, FORBIDDEN for another user', () => {
    given()
      .when(end('s1', at(5)))
      .thenThrows('NOT_FOUND');
    given(started('s1', 'u1'))
      .when(end('s1', at(5), 'u2'))
      .thenThrows('FORBIDDEN');
  });

  it('SESSION_NOT_ACTIVE when ended twice or after a timeout', () => {
    given(started('s1', 'u1'), ended('s1', 'u1', at(1)))
      .when(end('s1', at(2)))
      .thenThrows('SESSION_NOT_ACTIVE');
    given(started('s1', 'u1'), timedOut('s1', 'u1', T0, at(15)))
      .when(end('s1', at(20)))
      .thenThrows('SESSION_NOT_ACTIVE');
  });
});

describe('who may heartbeat and end a session', () => {
  it("heartbeats are the session's own user's (and the operator's): not an administrator's for someone else", () => {
    given(started('s1', 'u1'))
      .when(beat('s1', at(5), administrator('u2')))
      .thenThrows('FORBIDDEN');
    expect(
      given(started('s1', 'u1'))
        .when(beat('s1', at(5)))
        .events(),
    ).toHaveLength(1);
  });

  it("lets an administrator end anyone's session, a user only their own", () => {
    given(started('s1', 'u1'))
      .when(end('s1', at(5), administrator('u2')))
      .then([seats(0, ended('s1', 'u1', at(5)), { startedAt: T0, machineId: 'm-1' })]);
    given(started('s1', 'u1'))
      .when(end('s1', at(5), member('u2', ['AUDITOR'])))
      .thenThrows('FORBIDDEN');
  });

  it.each([
    ['heartbeat', beat],
    ['end', end],
  ])('%s: USER_DEACTIVATED for a deactivated user, FORBIDDEN for an outsider', (_, command) => {
    given(started('s1', 'u1'))
      .when(command('s1', at(5), member('u1', [], false)))
      .thenThrows('USER_DEACTIVATED');
    given(started('s1', 'u1'))
      .when(command('s1', at(5), outsider))
      .thenThrows('FORBIDDEN');
  });
});

describe('TimeOutSessions', () => {
  it('times out a session whose start plus TTL is due', () => {
    given(started('s1', 'u1'))
      .when(timeOut(at(15)))
      .then([seats(0, timedOut('s1', 'u1', T0, at(15)), { startedAt: T0, machineId: 'm-1' })]);
  });

  it('times out at the last heartbeat plus TTL, recording the last heartbeat', () => {
    given(started('s1', 'u1'), heartbeat('s1', 'u1', at(10)))
      .when(timeOut(at(26)))
      .then([seats(0, timedOut('s1', 'u1', at(10), at(26)), { startedAt: T0, machineId: 'm-1' })]);
  });

  it('leaves sessions that are not due yet', () => {
    given(started('s1', 'u1'), heartbeat('s1', 'u1', at(10)))
      .when(timeOut(at(24)))
      .then([]);
    given(started('s1', 'u1'))
      .when(timeOut(at(14)))
      .then([]);
  });

  it('times out only the due ones, and never ended sessions', () => {
    given(started('s1', 'u1'), started('s2', 'u2', at(10)), started('s3', 'u3'), ended('s3', 'u3', at(1)))
      .when(timeOut(at(20)))
      .then([seats(1, timedOut('s1', 'u1', T0, at(20)), { startedAt: T0, machineId: 'm-1' })]);
  });

  it('rejects a non-positive TTL', () => {
    given()
      .when(timeOut(at(20), 0))
      .thenThrows('BAD_USER_INPUT', ['ttlSeconds']);
  });
});
