import { evolveAccount } from '../account/account.evolve';
import { initialAccountState } from '../account/account.state';
import { ACCOUNT, PLAIN, deactivated, entitlementGranted, registered, standardAccount } from '../account/testing/fixtures';
import { poolFactsOf, userFactsOf } from './pool-facts';

const NOW = '2026-06-01T00:00:00Z';
const account = (...extra: Parameters<typeof evolveAccount>[1][]) => [...standardAccount(), ...extra].reduce(evolveAccount, initialAccountState());

describe('the facts the account gives a seat-pool decision', () => {
  it('pool: seats owned now and the alert rules of the product', () => {
    const state = account(entitlementGranted({ seats: 3 }), {
      type: 'AlertRuleSet',
      data: { accountId: ACCOUNT, ruleId: 'r1', productId: 'MSTN', thresholdSeats: 2, action: 'DENY', notifyUserIds: [] },
    });
    expect(poolFactsOf(state, 'MSTN', NOW)).toEqual({
      accountId: ACCOUNT,
      productId: 'MSTN',
      accountExists: true,
      seatsOwned: 3,
      alertRules: [{ ruleId: 'r1', thresholdSeats: 2, action: 'DENY', notifyUserIds: [] }],
    });
    expect(poolFactsOf(initialAccountState(), 'MSTN', NOW)).toMatchObject({ accountExists: false, seatsOwned: 0, alertRules: [] });
  });

  it("user: eligibility and the entitlement of the user's country that applies", () => {
    const state = account(entitlementGranted({ maxCheckoutDays: 14 }), registered('u-fr', 'fr@acme.test', 'FR'), deactivated('u-co'));
    expect(userFactsOf(state, PLAIN, 'MSTN', NOW)).toEqual({
      eligibility: { allowed: true },
      entitlement: { entitlementId: 'ent-1', endsAt: '2027-01-01T00:00:00Z', checkoutAllowed: true, maxCheckoutDays: 14 },
    });
    expect(userFactsOf(state, 'u-fr', 'MSTN', NOW)).toEqual({ eligibility: { allowed: false, denyReason: 'NOT_ENTITLED' }, entitlement: null });
    expect(userFactsOf(state, 'u-co', 'MSTN', NOW).eligibility).toEqual({ allowed: false, denyReason: 'USER_DEACTIVATED' });
    expect(userFactsOf(state, 'u-ghost', 'MSTN', NOW)).toEqual({ eligibility: { allowed: false, denyReason: 'NOT_REGISTERED' }, entitlement: null });
  });
});
