import type { HeartbeatUsage, EndUsage, TimeOutSessions } from './seat-pool.commands';
import { T0, at, denied, ended, heartbeat, started, timedOut } from './testing/fixtures';
import { given } from './testing/given-when-then';

const beat = (sessionId: string, now: string, userId?: string): HeartbeatUsage => ({ type: 'HeartbeatUsage', now, sessionId, userId });
const end = (sessionId: string, now: string, userId?: string): EndUsage => ({ type: 'EndUsage', now, sessionId, userId });
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
      .then([ended('s1', 'u1', at(30))]);
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

describe('TimeOutSessions', () => {
  it('times out a session whose start plus TTL is due', () => {
    given(started('s1', 'u1'))
      .when(timeOut(at(15)))
      .then([timedOut('s1', 'u1', T0, at(15))]);
  });

  it('times out at the last heartbeat plus TTL, recording the last heartbeat', () => {
    given(started('s1', 'u1'), heartbeat('s1', 'u1', at(10)))
      .when(timeOut(at(26)))
      .then([timedOut('s1', 'u1', at(10), at(26))]);
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
      .then([timedOut('s1', 'u1', T0, at(20))]);
  });

  it('rejects a non-positive TTL', () => {
    given()
      .when(timeOut(at(20), 0))
      .thenThrows('BAD_USER_INPUT', ['ttlSeconds']);
  });
});
