import { placeUsageStart, usageStartAnswer } from './decide/usage';
import { decideSeatPool } from './seat-pool.decider';
import { evolveSeatPool } from './seat-pool.evolve';
import { sessionDecision } from './seat-pool.queries';
import {
  ACCOUNT,
  alertRaised,
  PRODUCT,
  T0,
  at,
  checkedOut,
  context,
  days,
  denied,
  denyRule,
  ended,
  notifyRule,
  seats,
  sessionRecord,
  started,
  startUsage,
} from './testing/fixtures';
import { given } from './testing/given-when-then';

describe('StartUsage', () => {
  it('allows an eligible user and records the session', () => {
    given()
      .when(startUsage('s1', 'u1', { productVersion: '2024.1' }))
      .then([
        {
          type: 'UsageStarted',
          data: {
            accountId: ACCOUNT,
            sessionId: 's1',
            userId: 'u1',
            productId: PRODUCT,
            machineId: 'm-1',
            productVersion: '2024.1',
            termLicenseUsage: false,
            country: 'DE',
            startedAt: T0,
            seatsInUse: 1,
          },
        },
      ]);
  });

  it('records productVersion null when not given', () => {
    given()
      .when(startUsage('s1', 'u1'))
      .then([seats(1, started('s1', 'u1'))]);
  });

  describe('denies in the contract order', () => {
    const thresholdReached = [started('s0', 'u0')];
    const rules = [denyRule('r-deny', 1)];
    it.each(['NOT_REGISTERED', 'USER_DEACTIVATED', 'NOT_ENTITLED', 'GROUP_RESTRICTED'] as const)(
      '%s from the account wins over a reached DENY threshold',
      (denyReason) => {
        given(...thresholdReached)
          .when(startUsage('s1', 'u1', { context: context({ eligibility: { allowed: false, denyReason }, alertRules: rules }) }))
          .then([denied('s1', 'u1', denyReason)]);
      },
    );

    it('THRESHOLD_REACHED when seats in use of others are at the DENY threshold', () => {
      given(...thresholdReached)
        .when(startUsage('s1', 'u1', { context: context({ alertRules: rules }) }))
        .then([denied('s1', 'u1', 'THRESHOLD_REACHED')]);
    });

    it('THRESHOLD_REACHED when seats in use of others are above the DENY threshold', () => {
      given(started('s0', 'u0'), started('s2', 'u2'))
        .when(startUsage('s1', 'u1', { context: context({ alertRules: [denyRule('r-deny', 1)] }) }))
        .then([denied('s1', 'u1', 'THRESHOLD_REACHED')]);
    });
  });

  it('does not count the caller against a DENY threshold', () => {
    const events = given(started('s0', 'u0'), started('s1', 'u1'))
      .when(startUsage('s2', 'u1', { context: context({ alertRules: [denyRule('r-deny', 2)] }) }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['UsageStarted']);
  });

  it('allows below a DENY threshold, and a NOTIFY rule never denies', () => {
    const events = given(started('s0', 'u0'))
      .when(startUsage('s1', 'u1', { context: context({ alertRules: [denyRule('r-deny', 2), notifyRule('r-n', 1)] }) }))
      .events();
    expect(events[0].type).toBe('UsageStarted');
  });

  it('counts active check-outs but not those expired by time', () => {
    const rules = [denyRule('r-deny', 1)];
    given(checkedOut('c0', 'u0', T0, at(60)))
      .when(startUsage('s1', 'u1', { now: at(59), context: context({ alertRules: rules }) }))
      .then([denied('s1', 'u1', 'THRESHOLD_REACHED', at(59))]);
    given(checkedOut('c0', 'u0', T0, at(60)))
      .when(startUsage('s1', 'u1', { now: at(60), context: context({ alertRules: rules }) }))
      .then([seats(1, started('s1', 'u1', at(60))), alertRaised('r-deny', 1, 1, 1, at(60))]);
  });

  describe('termLicenseUsage', () => {
    it('is true for the seat above the seats owned', () => {
      given(started('s0', 'u0'))
        .when(startUsage('s1', 'u1', { context: context({ seatsOwned: 1 }) }))
        .then([seats(2, started('s1', 'u1', T0, true))]);
    });

    it('is false up to the seats owned', () => {
      given(started('s0', 'u0'))
        .when(startUsage('s1', 'u1', { context: context({ seatsOwned: 2 }) }))
        .then([seats(2, started('s1', 'u1', T0, false))]);
    });

    it('is false when the same user holds two sessions', () => {
      given(started('s0', 'u0'))
        .when(startUsage('s1', 'u0', { context: context({ seatsOwned: 1 }) }))
        .then([seats(1, started('s1', 'u0', T0, false))]);
    });

    it('is false when the seat was freed', () => {
      given(started('s0', 'u0'), ended('s0', 'u0'))
        .when(startUsage('s1', 'u1', { context: context({ seatsOwned: 1 }) }))
        .then([seats(1, started('s1', 'u1', T0, false))]);
    });
  });

  describe('a repeated sessionId', () => {
    it('emits nothing and keeps the decision of the active session', () => {
      const g = given(started('s1', 'u1', T0, true));
      g.when(startUsage('s1', 'u1', { now: at(5) })).then([]);
      expect(sessionDecision(g.state, 's1', null)).toEqual({
        sessionId: 's1',
        userId: 'u1',
        allowed: true,
        denyReason: null,
        termLicenseUsage: true,
        status: 'ACTIVE',
      });
    });

    it('emits nothing and answers the recorded denial, or the recorded start after the session ended (records come with the command)', () => {
      const denial = sessionRecord('u1', 'DENIED', { denyReason: 'NOT_ENTITLED' });
      const g = given(denied('s1', 'u1', 'NOT_ENTITLED'));
      g.when(startUsage('s1', 'u1', { recorded: denial })).then([]);
      expect(sessionDecision(g.state, 's1', denial)).toMatchObject({ allowed: false, denyReason: 'NOT_ENTITLED', status: 'DENIED' });
      const endedRecord = sessionRecord('u1', 'ENDED', { termLicenseUsage: true });
      const h = given(started('s1', 'u1', T0, true), ended('s1', 'u1'));
      h.when(startUsage('s1', 'u1', { recorded: endedRecord })).then([]);
      const command = startUsage('s1', 'u1', { recorded: endedRecord });
      expect(usageStartAnswer(command, [], h.state)).toEqual({
        decision: { sessionId: 's1', userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: true, status: 'ENDED' },
        warnings: [],
      });
    });

    it("is BAD_USER_INPUT when it is another user's session (active, or past by its record), or a session of another product of the account", () => {
      given(started('s1', 'u1')).when(startUsage('s1', 'u2')).thenThrows('BAD_USER_INPUT', ['sessionId']);
      given(started('s1', 'u1'), ended('s1', 'u1'))
        .when(startUsage('s1', 'u2', { recorded: sessionRecord('u1', 'ENDED') }))
        .thenThrows('BAD_USER_INPUT', ['sessionId']);
      given()
        .when(startUsage('s1', 'u1', { sessionIdTakenInAccount: true }))
        .thenThrows('BAD_USER_INPUT', ['sessionId']);
    });

    it('has no decision when never seen', () => {
      expect(sessionDecision(given().state, 'nope', null)).toBeNull();
    });

    it('answers a fresh denial from the event (a denied session never enters the state)', () => {
      const command = startUsage('s1', 'u1', { context: context({ eligibility: { allowed: false, denyReason: 'NOT_ENTITLED' } }) });
      const events = given().when(command).events();
      expect(usageStartAnswer(command, events, given().state).decision).toEqual({
        sessionId: 's1',
        userId: 'u1',
        allowed: false,
        denyReason: 'NOT_ENTITLED',
        termLicenseUsage: false,
        status: 'DENIED',
      });
    });
  });

  describe('validation', () => {
    it('rejects a blank productId and a too long sessionId, naming both', () => {
      given()
        .when(startUsage('s'.repeat(101), 'u1', { context: context({ productId: ' ' }) }))
        .thenThrows('BAD_USER_INPUT', ['productId', 'sessionId']);
    });

    it('rejects a blank or too long machineId', () => {
      given()
        .when(startUsage('s1', 'u1', { machineId: '  ' }))
        .thenThrows('BAD_USER_INPUT', ['machineId']);
      given()
        .when(startUsage('s1', 'u1', { machineId: 'x'.repeat(201) }))
        .thenThrows('BAD_USER_INPUT', ['machineId']);
    });

    it('rejects a too long productVersion', () => {
      given()
        .when(startUsage('s1', 'u1', { productVersion: 'v'.repeat(101) }))
        .thenThrows('BAD_USER_INPUT', ['productVersion']);
    });
  });

  it('ignores a check-out that expired long ago for termLicenseUsage', () => {
    given(checkedOut('c0', 'u0', T0, at(days(1))))
      .when(startUsage('s1', 'u1', { now: at(days(2)), context: context({ seatsOwned: 1 }) }))
      .then([seats(1, started('s1', 'u1', at(days(2)), false))]);
  });
});

describe('placeUsageStart', () => {
  const user = { kind: 'user', sub: 'sub-u1', userId: 'u1', accountId: ACCOUNT } as const;

  it("places a user's start in their own account's pool of the product", () => {
    expect(placeUsageStart(user, { productId: PRODUCT, sessionId: 's1' })).toEqual({ kind: 'pool', accountId: ACCOUNT, productId: PRODUCT, userId: 'u1' });
  });

  it('answers NOT_REGISTERED without recording anything to a principal without registration', () => {
    expect(placeUsageStart({ kind: 'unregistered', sub: 'x', email: 'x@example.com' }, { productId: PRODUCT, sessionId: 's1' })).toEqual({
      kind: 'unrecorded',
      decision: { sessionId: 's1', userId: '', allowed: false, denyReason: 'NOT_REGISTERED', termLicenseUsage: false, status: 'DENIED' },
    });
  });

  it('refuses the operator, after checking the ids', () => {
    expect(() => placeUsageStart({ kind: 'operator', sub: 'op' }, { productId: PRODUCT, sessionId: 's1' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => placeUsageStart({ kind: 'operator', sub: 'op' }, { productId: '', sessionId: 's1' })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', fields: ['productId'] }),
    );
  });
});

describe('usageStartAnswer', () => {
  it('answers the decision recorded and, for a start just allowed, the warnings', () => {
    const command = startUsage('s1', 'u1', { context: context({ seatsOwned: 1, alertRules: [notifyRule('r1', 2)] }) });
    const g = given(started('s0', 'u0'));
    const events = decideSeatPool(command, g.state);
    const after = events.reduce(evolveSeatPool, g.state);
    const answer = usageStartAnswer(command, events, after);
    expect(answer.decision).toEqual({ sessionId: 's1', userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: true, status: 'ACTIVE' });
    expect(answer.warnings).toEqual([
      `Seats in use of product ${PRODUCT} (2) reached the alert threshold of 2.`,
      `Term license usage: seats in use of product ${PRODUCT} (2) exceed the 1 seats owned.`,
    ]);
  });

  it('answers a repeat with the first decision and no warnings', () => {
    const command = startUsage('s1', 'u1', { context: context({ seatsOwned: 1 }) });
    const { state } = given(started('s0', 'u0'), started('s1', 'u1', T0, true));
    expect(usageStartAnswer(command, decideSeatPool(command, state), state)).toEqual({
      decision: { sessionId: 's1', userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: true, status: 'ACTIVE' },
      warnings: [],
    });
  });

  it('answers a denial', () => {
    const command = startUsage('s1', 'u1', { context: context({ eligibility: { allowed: false, denyReason: 'GROUP_RESTRICTED' } }) });
    const { state } = given();
    const events = decideSeatPool(command, state);
    expect(usageStartAnswer(command, events, events.reduce(evolveSeatPool, state)).decision).toMatchObject({ allowed: false, denyReason: 'GROUP_RESTRICTED' });
  });
});
