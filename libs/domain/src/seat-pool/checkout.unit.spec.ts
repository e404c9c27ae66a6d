import type { Acting } from '../authorization/authorization';
import type { CheckIn, ExpireCheckouts } from './seat-pool.commands';
import type { CheckoutRecord } from './seat-pool.state';
import {
  ACCOUNT,
  PRODUCT,
  T0,
  administrator,
  at,
  checkedIn,
  checkedOut,
  checkOut,
  checkoutRecord,
  context,
  days,
  expired,
  member,
  operator,
  outsider,
  seats,
  started,
} from './testing/fixtures';
import { given } from './testing/given-when-then';

/** `recorded`: what the index knows of a check-out that is not active (null: never seen). */
const checkIn = (checkoutId: string, now = T0, actor: Acting = member('u1'), recorded: CheckoutRecord | null = null): CheckIn => ({
  type: 'CheckIn',
  now,
  checkoutId,
  actor,
  recorded,
});
const expire = (now: string): ExpireCheckouts => ({ type: 'ExpireCheckouts', now });
const entitlement = (overrides = {}) => ({
  entitlementId: 'ent-1',
  endsAt: '2026-01-01T00:00:00.000Z',
  checkoutAllowed: true,
  maxCheckoutDays: 30,
  ...overrides,
});

describe('CheckOut', () => {
  it('checks out for `days` days', () => {
    given()
      .when(checkOut('c1', 'u1', { days: 7 }))
      .then([
        {
          type: 'LicenseCheckedOut',
          data: {
            accountId: ACCOUNT,
            checkoutId: 'c1',
            userId: 'u1',
            productId: PRODUCT,
            machineId: 'm-1',
            checkedOutAt: T0,
            expiresAt: '2025-01-08T00:00:00.000Z',
            seatsInUse: 1,
          },
        },
      ]);
  });

  it('never outlives the entitlement', () => {
    const endsAt = '2025-01-03T12:00:00.000Z';
    given()
      .when(checkOut('c1', 'u1', { days: 7, context: context({ entitlement: entitlement({ endsAt }) }) }))
      .then([seats(1, checkedOut('c1', 'u1', T0, endsAt))]);
  });

  describe('refusals, in order', () => {
    it('NOT_FOUND for an unregistered user', () => {
      given()
        .when(checkOut('c1', 'u1', { context: context({ eligibility: { allowed: false, denyReason: 'NOT_REGISTERED' } }) }))
        .thenThrows('NOT_FOUND');
    });

    it('USER_DEACTIVATED for a deactivated user', () => {
      given()
        .when(checkOut('c1', 'u1', { context: context({ eligibility: { allowed: false, denyReason: 'USER_DEACTIVATED' } }) }))
        .thenThrows('USER_DEACTIVATED');
    });

    it.each(['NOT_ENTITLED', 'GROUP_RESTRICTED'] as const)('NOT_ENTITLED when eligibility says %s', (denyReason) => {
      given()
        .when(checkOut('c1', 'u1', { context: context({ eligibility: { allowed: false, denyReason } }) }))
        .thenThrows('NOT_ENTITLED');
    });

    it('NOT_ENTITLED without an entitlement that applies (before days are validated)', () => {
      given()
        .when(checkOut('c1', 'u1', { days: 0, context: context({ entitlement: null }) }))
        .thenThrows('NOT_ENTITLED');
    });

    it('CHECKOUT_NOT_ALLOWED when the entitlement forbids it', () => {
      given()
        .when(checkOut('c1', 'u1', { days: 0, context: context({ entitlement: entitlement({ checkoutAllowed: false }) }) }))
        .thenThrows('CHECKOUT_NOT_ALLOWED');
    });

    it.each([0, 366, 1.5])('BAD_USER_INPUT for days = %s', (d) => {
      given()
        .when(checkOut('c1', 'u1', { days: d, context: context({ entitlement: entitlement({ maxCheckoutDays: 365 }) }) }))
        .thenThrows('BAD_USER_INPUT', ['days']);
    });

    it('BAD_USER_INPUT for a blank machineId', () => {
      given()
        .when(checkOut('c1', 'u1', { machineId: '' }))
        .thenThrows('BAD_USER_INPUT', ['machineId']);
    });

    it('CHECKOUT_TOO_LONG beyond maxCheckoutDays (and allows exactly it)', () => {
      const ctx = context({ entitlement: entitlement({ maxCheckoutDays: 14 }) });
      given()
        .when(checkOut('c1', 'u1', { days: 15, context: ctx }))
        .thenThrows('CHECKOUT_TOO_LONG');
      expect(
        given()
          .when(checkOut('c1', 'u1', { days: 14, context: ctx }))
          .events(),
      ).toHaveLength(1);
    });

    it('ALREADY_CHECKED_OUT while the user holds an active check-out', () => {
      given(checkedOut('c0', 'u1'))
        .when(checkOut('c1', 'u1', { days: 35, context: context({ entitlement: entitlement({ maxCheckoutDays: 40 }) }) }))
        .thenThrows('ALREADY_CHECKED_OUT');
    });

    it('NO_SEATS_AVAILABLE when active check-outs would exceed the seats owned', () => {
      given(checkedOut('c0', 'u0'))
        .when(checkOut('c1', 'u1', { context: context({ seatsOwned: 1 }) }))
        .thenThrows('NO_SEATS_AVAILABLE');
    });
  });

  it('does not count usage sessions against check-out seats', () => {
    given(started('s0', 'u0'))
      .when(checkOut('c1', 'u1', { context: context({ seatsOwned: 1 }) }))
      .then([seats(2, checkedOut('c1', 'u1'))]);
  });

  it('treats check-outs expired by time (no event yet) as inactive', () => {
    const now = at(days(8));
    given(checkedOut('c0', 'u1', T0, at(days(7))))
      .when(checkOut('c1', 'u1', { now, context: context({ seatsOwned: 1 }) }))
      .then([seats(1, checkedOut('c1', 'u1', now, at(days(15))))]);
  });

  it('allows a new check-out after check-in or expiry', () => {
    given(checkedOut('c0', 'u1'), checkedIn('c0', 'u1', at(1)))
      .when(checkOut('c1', 'u1', { now: at(2), context: context({ seatsOwned: 1 }) }))
      .then([seats(1, checkedOut('c1', 'u1', at(2), at(2 + days(7))))]);
  });
});

describe('who may check out', () => {
  it('a user for themself; an administrator or the operator for another user', () => {
    expect(given().when(checkOut('c1', 'u1')).events()).toHaveLength(1);
    expect(
      given()
        .when(checkOut('c1', 'u1', { actor: administrator() }))
        .events(),
    ).toHaveLength(1);
    expect(
      given()
        .when(checkOut('c1', 'u1', { actor: operator }))
        .events(),
    ).toHaveLength(1);
  });

  it('FORBIDDEN for a user without an administrator role checking out for someone else, and for an outsider', () => {
    given()
      .when(checkOut('c1', 'u1', { actor: member('u2', ['AUDITOR', 'SOFTWARE_DOWNLOAD']) }))
      .thenThrows('FORBIDDEN');
    given()
      .when(checkOut('c1', 'u1', { actor: outsider }))
      .thenThrows('FORBIDDEN');
  });

  it('USER_DEACTIVATED for a deactivated user acting', () => {
    given()
      .when(checkOut('c1', 'u1', { actor: member('u1', [], false) }))
      .thenThrows('USER_DEACTIVATED');
  });

  it('BAD_USER_INPUT for a bad productId before anything else', () => {
    given()
      .when(checkOut('c1', 'u1', { actor: outsider, context: context({ productId: '' }) }))
      .thenThrows('BAD_USER_INPUT', ['productId']);
  });
});

describe('CheckIn', () => {
  it('is for the holder, an administrator or the operator', () => {
    given(checkedOut('c1', 'u1'))
      .when(checkIn('c1', at(60), member('u2')))
      .thenThrows('FORBIDDEN');
    for (const actor of [administrator(), operator]) {
      given(checkedOut('c1', 'u1'))
        .when(checkIn('c1', at(60), actor))
        .then([seats(0, checkedIn('c1', 'u1', at(60)))]);
    }
  });

  it('checks in an active check-out', () => {
    given(checkedOut('c1', 'u1'))
      .when(checkIn('c1', at(60)))
      .then([seats(0, checkedIn('c1', 'u1', at(60)))]);
  });

  it('NOT_FOUND for an unknown check-out', () => {
    given()
      .when(checkIn('c1', T0, operator))
      .thenThrows('NOT_FOUND');
  });

  it('CHECKOUT_NOT_ACTIVE when checked in twice: the state forgot it, the record says CHECKED_IN', () => {
    given(checkedOut('c1', 'u1'), checkedIn('c1', 'u1', at(1)))
      .when(checkIn('c1', at(2), member('u1'), checkoutRecord('u1', 'CHECKED_IN')))
      .thenThrows('CHECKOUT_NOT_ACTIVE');
  });

  it('NOT_FOUND for a past check-out only when the record does not know it either (the state keeps active ones only)', () => {
    given(checkedOut('c1', 'u1'), checkedIn('c1', 'u1', at(1)))
      .when(checkIn('c1', at(2), operator, null))
      .thenThrows('NOT_FOUND');
  });

  it("FORBIDDEN for someone else's past check-out, from its record", () => {
    given(checkedOut('c1', 'u1'), checkedIn('c1', 'u1', at(1)))
      .when(checkIn('c1', at(2), member('u2'), checkoutRecord('u1', 'CHECKED_IN')))
      .thenThrows('FORBIDDEN');
  });

  it('CHECKOUT_NOT_ACTIVE after expiry, with or without the event', () => {
    given(checkedOut('c1', 'u1', T0, at(60)), expired('c1', 'u1', at(60)))
      .when(checkIn('c1', at(61), member('u1'), checkoutRecord('u1', 'EXPIRED')))
      .thenThrows('CHECKOUT_NOT_ACTIVE');
    given(checkedOut('c1', 'u1', T0, at(60)))
      .when(checkIn('c1', at(60)))
      .thenThrows('CHECKOUT_NOT_ACTIVE');
  });
});

describe('ExpireCheckouts', () => {
  it('expires check-outs at their expiresAt', () => {
    given(checkedOut('c1', 'u1', T0, at(60)), checkedOut('c2', 'u2', T0, at(120)))
      .when(expire(at(90)))
      .then([seats(1, expired('c1', 'u1', at(60)))]);
  });

  it('leaves check-outs not yet due, checked in or already expired', () => {
    given(checkedOut('c1', 'u1', T0, at(60)))
      .when(expire(at(59)))
      .then([]);
    given(checkedOut('c1', 'u1', T0, at(60)), checkedIn('c1', 'u1', at(1)))
      .when(expire(at(90)))
      .then([]);
    given(checkedOut('c1', 'u1', T0, at(60)), expired('c1', 'u1', at(60)))
      .when(expire(at(90)))
      .then([]);
  });
});
