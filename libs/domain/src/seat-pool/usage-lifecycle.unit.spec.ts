import type { Acting } from '../authorization/authorization';
import type { HeartbeatUsage, EndUsage, TimeOutSessions } from './seat-pool.commands';
import type { SessionRecord } from './seat-pool.state';
import { T0, administrator, at, denied, ended, heartbeat, member, operator, outsider, seats, sessionRecord, started, timedOut } from './testing/fixtures';
import { given } from './testing/given-when-then';

/** By the user `by` (a member without roles), or the operator; `recorded`: what the index knows of a session that is not active. */
const beat = (sessionId: string, now: string, by?: string | Acting, recorded: SessionRecord | null = null): HeartbeatUsage => ({
  type: 'HeartbeatUsage',
  now,
  sessionId,
  actor: actor(by),
  recorded,
});
const end = (sessionId: string, now: string, by?: string | Acting, recorded: SessionRecord | null = null): EndUsage => ({
  type: 'EndUsage',
  now,
  sessionId,
  actor: actor(by),
  recorded,
});
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
    ['ended', [started('s1', 'u1'), ended('s1', 'u1', at(1))], sessionRecord('u1', 'ENDED')],
    ['timed out', [started('s1', 'u1'), timedOut('s1', 'u1', T0, at(15))], sessionRecord('u1', 'TIMED_OUT')],
    ['denied', [denied('s1', 'u1', 'NOT_ENTITLED')], sessionRecord('u1', 'DENIED', { denyReason: 'NOT_ENTITLED' })],
  ] as const)('SESSION_NOT_ACTIVE when the session is %s (the state forgot it; its record says so)', (_, events, recorded) => {
    given(...events)
      .when(beat('s1', at(20), undefined, recorded))
      .thenThrows('SESSION_NOT_ACTIVE');
  });

  it('NOT_FOUND for a past session only when its record is missing too: the state alone keeps active sessions', () => {
    given(started('s1', 'u1'), ended('s1', 'u1', at(1)))
      .when(beat('s1', at(20), undefined, null))
      .thenThrows('NOT_FOUND');
  });

  it("FORBIDDEN for another user's past session, from its record", () => {
    given(started('s1', 'u1'), ended('s1', 'u1', at(1)))
      .when(beat('s1', at(20), 'u2', sessionRecord('u1', 'ENDED')))
      .thenThrows('FORBIDDEN');
  });

  it('an active session is decided on the state, whatever a (stale) record says', () => {
    given(started('s1', 'u1'))
      .when(beat('s1', at(5), 'u1', sessionRecord('u1', 'ENDED')))
      .then([heartbeat('s1', 'u1', at(5))]);
  });
});

describe('EndUsage', () => {
  it('ends an active session', () => {
    given(started('s1', 'u1'))
      .when(end('s1', at(30)))
      .then([seats(0, ended('s1', 'u1', at(30)), { startedAt: T0, machineId: 'm-1', country: 'DE' })]);
  });

  it("carries the country the session started in (the user's at the start)", () => {
    const inFrance = { ...started('s1', 'u1'), data: { ...started('s1', 'u1').data, country: 'FR' } };
    given(inFrance, started('s2', 'u2'))
      .when(end('s1', at(30)))
      .then([seats(1, ended('s1', 'u1', at(30)), { startedAt: T0, machineId: 'm-1', country: 'FR' })]);
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
      .when(end('s1', at(2), undefined, sessionRecord('u1', 'ENDED')))
      .thenThrows('SESSION_NOT_ACTIVE');
    given(started('s1', 'u1'), timedOut('s1', 'u1', T0, at(15)))
      .when(end('s1', at(20), undefined, sessionRecord('u1', 'TIMED_OUT')))
      .thenThrows('SESSION_NOT_ACTIVE');
  });

  it("a user ending another user's past session is FORBIDDEN (from its record), an administrator's attempt SESSION_NOT_ACTIVE", () => {
    given(started('s1', 'u1'), ended('s1', 'u1', at(1)))
      .when(end('s1', at(2), 'u2', sessionRecord('u1', 'ENDED')))
      .thenThrows('FORBIDDEN');
    given(started('s1', 'u1'), ended('s1', 'u1', at(1)))
      .when(end('s1', at(2), administrator('u2'), sessionRecord('u1', 'ENDED')))
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
      .then([seats(0, ended('s1', 'u1', at(5)), { startedAt: T0, machineId: 'm-1', country: 'DE' })]);
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
      .then([seats(0, timedOut('s1', 'u1', T0, at(15)), { startedAt: T0, machineId: 'm-1', country: 'DE' })]);
  });

  it('times out at the last heartbeat plus TTL, recording the last heartbeat', () => {
    given(started('s1', 'u1'), heartbeat('s1', 'u1', at(10)))
      .when(timeOut(at(26)))
      .then([seats(0, timedOut('s1', 'u1', at(10), at(26)), { startedAt: T0, machineId: 'm-1', country: 'DE' })]);
  });

  it("carries each timed-out session's own country", () => {
    const inFrance = { ...started('s2', 'u2'), data: { ...started('s2', 'u2').data, country: 'FR' } };
    given(started('s1', 'u1'), inFrance)
      .when(timeOut(at(20)))
      .then([
        seats(1, timedOut('s1', 'u1', T0, at(20)), { startedAt: T0, machineId: 'm-1', country: 'DE' }),
        seats(0, timedOut('s2', 'u2', T0, at(20)), { startedAt: T0, machineId: 'm-1', country: 'FR' }),
      ]);
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
      .then([seats(1, timedOut('s1', 'u1', T0, at(20)), { startedAt: T0, machineId: 'm-1', country: 'DE' })]);
  });

  it('rejects a non-positive TTL', () => {
    given()
      .when(timeOut(at(20), 0))
      .thenThrows('BAD_USER_INPUT', ['ttlSeconds']);
  });
});
