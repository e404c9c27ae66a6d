import type { BulkCheckOut, BulkCheckOutItem, PoolFacts } from './seat-pool.commands';
import { ACCOUNT, PRODUCT, T0, alertRaised, checkedOut, notifyRule, started } from './testing/fixtures';
import { given } from './testing/given-when-then';

const pool = (overrides: Partial<PoolFacts> = {}): PoolFacts => ({ accountId: ACCOUNT, productId: PRODUCT, seatsOwned: 10, alertRules: [], ...overrides });
const item = (userId: string, overrides: Partial<BulkCheckOutItem> = {}): BulkCheckOutItem => ({
  checkoutId: `c-${userId}`,
  userId,
  eligibility: { allowed: true },
  entitlement: { entitlementId: 'ent-1', endsAt: '2026-01-01T00:00:00.000Z', checkoutAllowed: true, maxCheckoutDays: 30 },
  ...overrides,
});
const bulk = (checkouts: BulkCheckOutItem[], context = pool()): BulkCheckOut => ({
  type: 'BulkCheckOut',
  now: T0,
  machineId: 'm-1',
  days: 7,
  context,
  checkouts,
});

describe('BulkCheckOut', () => {
  it('checks out every user', () => {
    given()
      .when(bulk([item('u1'), item('u2')]))
      .then([checkedOut('c-u1', 'u1'), checkedOut('c-u2', 'u2')]);
  });

  it('is all or nothing: one refusal fails the command, naming the user', () => {
    const error = given()
      .when(bulk([item('u1'), item('u2', { eligibility: { allowed: false, denyReason: 'USER_DEACTIVATED' } }), item('u3', { entitlement: null })]))
      .thenThrows('USER_DEACTIVATED');
    expect(error.message).toContain('u2');
  });

  it('counts seats cumulatively', () => {
    const error = given(checkedOut('c0', 'u0'))
      .when(bulk([item('u1'), item('u2')], pool({ seatsOwned: 2 })))
      .thenThrows('NO_SEATS_AVAILABLE');
    expect(error.message).toContain('u2');
    given(checkedOut('c0', 'u0'))
      .when(bulk([item('u1')], pool({ seatsOwned: 2 })))
      .then([checkedOut('c-u1', 'u1')]);
  });

  it('refuses a user who already holds a check-out', () => {
    given(checkedOut('c0', 'u2'))
      .when(bulk([item('u1'), item('u2')]))
      .thenThrows('ALREADY_CHECKED_OUT');
  });

  it('BAD_USER_INPUT for duplicate users, an empty or an oversized list', () => {
    given()
      .when(bulk([item('u1'), item('u1', { checkoutId: 'other' })]))
      .thenThrows('BAD_USER_INPUT', ['userIds']);
    given().when(bulk([])).thenThrows('BAD_USER_INPUT', ['userIds']);
    given()
      .when(bulk(Array.from({ length: 501 }, (_, i) => item(`u${i}`))))
      .thenThrows('BAD_USER_INPUT', ['userIds']);
  });

  it('raises an alert once, at the check-out that reaches the threshold', () => {
    given(started('s0', 'u0'))
      .when(bulk([item('u0'), item('u1'), item('u2'), item('u3')], pool({ alertRules: [notifyRule('r1', 2)] })))
      .then([checkedOut('c-u0', 'u0'), checkedOut('c-u1', 'u1'), alertRaised('r1', 1, 2, 2), checkedOut('c-u2', 'u2'), checkedOut('c-u3', 'u3')]);
  });
});
