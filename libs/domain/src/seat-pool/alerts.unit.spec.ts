import {
  T0,
  alertRaised,
  at,
  checkedIn,
  checkedOut,
  checkOut,
  context,
  denyRule,
  ended,
  expired,
  notifyRule,
  seats,
  started,
  startUsage,
  timedOut,
} from './testing/fixtures';
import { given } from './testing/given-when-then';

const rules = [notifyRule('r1', 2)];
const withRules = (now = T0) => ({ now, context: context({ alertRules: rules }) });

describe('alerts', () => {
  it('raises when an allowed start takes seats in use to the threshold', () => {
    given(started('s0', 'u0'))
      .when(startUsage('s1', 'u1', withRules()))
      .then([seats(2, started('s1', 'u1')), alertRaised('r1', 1, 2, 2)]);
  });

  it('raises for DENY rules too, counting the caller after an allowed start', () => {
    given(started('s0', 'u0'))
      .when(startUsage('s1', 'u1', { context: context({ alertRules: [denyRule('rd', 2)] }) }))
      .then([seats(2, started('s1', 'u1')), alertRaised('rd', 1, 2, 2)]);
  });

  it('raises once per crossing: not again while seats stay at or above the threshold', () => {
    given(started('s0', 'u0'), started('s1', 'u1'), alertRaised('r1', 1, 2, 2))
      .when(startUsage('s2', 'u2', withRules()))
      .then([seats(3, started('s2', 'u2'))]);
  });

  it('stays disarmed when seats fall but remain at the threshold', () => {
    given(started('s0', 'u0'), started('s1', 'u1'), alertRaised('r1', 1, 2, 2), started('s2', 'u2'), ended('s2', 'u2', at(1)))
      .when(startUsage('s3', 'u3', withRules(at(2))))
      .then([seats(3, started('s3', 'u3', at(2)))]);
  });

  it.each([
    ['an end', ended('s1', 'u1', at(1))],
    ['a timeout', timedOut('s1', 'u1', T0, at(1))],
  ])('re-arms after %s takes seats below the threshold, and raises again with the next id', (_, release) => {
    given(started('s0', 'u0'), started('s1', 'u1'), alertRaised('r1', 1, 2, 2), release)
      .when(startUsage('s2', 'u2', withRules(at(2))))
      .then([seats(2, started('s2', 'u2', at(2))), alertRaised('r1', 2, 2, 2, at(2))]);
  });

  it('re-arms after a check-in takes seats below the threshold', () => {
    given(started('s0', 'u0'), checkedOut('c1', 'u1', T0, at(600)), alertRaised('r1', 1, 2, 2), checkedIn('c1', 'u1', at(1)))
      .when(startUsage('s2', 'u2', withRules(at(2))))
      .then([seats(2, started('s2', 'u2', at(2))), alertRaised('r1', 2, 2, 2, at(2))]);
  });

  it('re-arms in evolveSeatPool, without an event, when seats fall below the threshold', () => {
    const base = [started('s0', 'u0'), checkedOut('c1', 'u1', T0, at(60)), alertRaised('r1', 1, 2, 2)];
    expect(given(...base).state.alerts.get('r1')).toEqual({ raised: 1, armed: false, thresholdSeats: 2 });
    expect(given(...base, expired('c1', 'u1', at(60))).state.alerts.get('r1')?.armed).toBe(true);
    expect(given(...base, ended('s0', 'u0', at(1))).state.alerts.get('r1')?.armed).toBe(true);
    expect(given(...base, started('s2', 'u2'), ended('s0', 'u0', at(1))).state.alerts.get('r1')?.armed).toBe(false);
  });

  it('counts a check-out that ran out by time (no event yet) as a fall below the threshold', () => {
    given(started('s0', 'u0'), checkedOut('c1', 'u1', T0, at(60)), alertRaised('r1', 1, 2, 2))
      .when(startUsage('s2', 'u2', withRules(at(61))))
      .then([seats(2, started('s2', 'u2', at(61))), alertRaised('r1', 2, 2, 2, at(61))]);
  });

  it('raises on a check-out that reaches the threshold', () => {
    given(started('s0', 'u0'))
      .when(checkOut('c1', 'u1', withRules()))
      .then([seats(2, checkedOut('c1', 'u1')), alertRaised('r1', 1, 2, 2)]);
  });

  it('does not raise when seats in use do not rise (the user already holds a seat)', () => {
    given(started('s0', 'u0'), started('s1', 'u1'))
      .when(startUsage('s2', 'u1', withRules()))
      .then([seats(2, started('s2', 'u1'))]);
    given(started('s0', 'u0'), started('s1', 'u1'))
      .when(checkOut('c1', 'u1', withRules()))
      .then([seats(2, checkedOut('c1', 'u1'))]);
  });

  it('does not raise for a denied start', () => {
    given(started('s0', 'u0'))
      .when(startUsage('s1', 'u1', { context: context({ alertRules: rules, eligibility: { allowed: false, denyReason: 'NOT_ENTITLED' } }) }))
      .then([{ type: 'UsageDenied', data: expect.objectContaining({ denyReason: 'NOT_ENTITLED' }) }]);
  });

  it('raises every rule reached, each with its own id and threshold', () => {
    given()
      .when(startUsage('s1', 'u1', { context: context({ seatsOwned: 3, alertRules: [notifyRule('ra', 1), notifyRule('rb', 1), notifyRule('rc', 5)] }) }))
      .then([seats(1, started('s1', 'u1')), alertRaised('ra', 1, 1, 1, T0, 3), alertRaised('rb', 1, 1, 1, T0, 3)]);
  });
});
