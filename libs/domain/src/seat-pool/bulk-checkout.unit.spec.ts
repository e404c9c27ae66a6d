import type { BulkCheckOut, BulkCheckOutItem, PoolFacts } from './seat-pool.commands';
import { ACCOUNT, PRODUCT, T0, administrator, alertRaised, checkedOut, member, notifyRule, operator, outsider, seats, started } from './testing/fixtures';
import { given } from './testing/given-when-then';

const pool = (overrides: Partial<PoolFacts> = {}): PoolFacts => ({
  accountId: ACCOUNT,
  productId: PRODUCT,
  accountExists: true,
  seatsOwned: 10,
  alertRules: [],
  ...overrides,
});
const item = (userId: string, overrides: Partial<BulkCheckOutItem> = {}): BulkCheckOutItem => ({
  checkoutId: `c-${userId}`,
  userId,
  eligibility: { allowed: true },
  entitlement: { entitlementId: 'ent-1', endsAt: '2026-01-01T00:00:00.000Z', checkoutAllowed: true, maxCheckoutDays: 30 },
  ...overrides,
});
const bulk = (checkouts: BulkCheckOutItem[], context = pool(), actor = administrator()): BulkCheckOut => ({
  type: 'BulkCheckOut',
  now: T0,
  actor,
  machineId: 'm-1',
  days: 7,
  context,
  checkouts,
});

describe('BulkCheckOut', () => {
  it('checks out every user', () => {
    given()
      .when(bulk([item('u1'), item('u2')]))
      .then([seats(1, checkedOut('c-u1', 'u1')), seats(2, checkedOut('c-u2', 'u2'))]);
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
      .then([seats(2, checkedOut('c-u1', 'u1'))]);
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

  it("binds the licenses to the machine given, else to 'any' machine", () => {
    const [event] = given()
      .when({ ...bulk([item('u1')]), machineId: null })
      .events();
    expect(event).toMatchObject({ type: 'LicenseCheckedOut', data: { machineId: 'any' } });
  });

  it('is for administrators and the operator only', () => {
    given()
      .when(bulk([item('u1')], pool(), member('u1', ['AUDITOR'])))
      .thenThrows('FORBIDDEN');
    given()
      .when(bulk([item('u1')], pool(), outsider))
      .thenThrows('FORBIDDEN');
    given()
      .when(bulk([item('u1')], pool(), member('admin', ['ACCOUNT_ADMINISTRATOR'], false)))
      .thenThrows('USER_DEACTIVATED');
    expect(
      given()
        .when(bulk([item('u1')], pool(), operator))
        .events(),
    ).toHaveLength(1);
  });

  it('NOT_FOUND for the operator naming a missing account, then BAD_USER_INPUT for a bad productId', () => {
    given()
      .when(bulk([item('u1')], pool({ accountExists: false }), operator))
      .thenThrows('NOT_FOUND');
    given()
      .when(bulk([item('u1')], pool({ productId: '' })))
      .thenThrows('BAD_USER_INPUT', ['productId']);
  });

  it('raises an alert once, at the check-out that reaches the threshold', () => {
    given(started('s0', 'u0'))
      .when(bulk([item('u0'), item('u1'), item('u2'), item('u3')], pool({ alertRules: [notifyRule('r1', 2)] })))
      .then([
        seats(1, checkedOut('c-u0', 'u0')),
        seats(2, checkedOut('c-u1', 'u1')),
        alertRaised('r1', 1, 2, 2),
        seats(3, checkedOut('c-u2', 'u2')),
        seats(4, checkedOut('c-u3', 'u3')),
      ]);
  });
});
