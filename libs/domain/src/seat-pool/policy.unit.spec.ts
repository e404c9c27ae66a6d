import { policyProducts } from '../account/account.queries';
import { policyVerdict, type PolicyFacts } from './policy';

const NOW = '2026-06-01T00:00:00Z';
const entitlement = (productId: string, seats: number) => ({
  entitlementId: `e-${productId}`,
  productId,
  productName: productId.toUpperCase(),
  seats,
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2027-01-01T00:00:00Z',
  country: 'DE',
  offlineDays: 7,
  checkoutAllowed: true,
  maxCheckoutDays: 30,
  revoked: false,
});

/** Fed as the query app feeds it: only the user asking, their groups, the entitlements and rules of the account. */
const facts: PolicyFacts = {
  entitlements: { 'e-road': entitlement('road', 2), 'e-civil': entitlement('civil', 10) },
  users: { u1: { userId: 'u1', country: 'DE', active: true, groupIds: [] } },
  groups: {},
  alertRules: { r1: { productId: 'road', action: 'DENY', thresholdSeats: 1 } },
};
const rowOf = (productId: string) => policyProducts(facts, 'u1', NOW).find((row) => row.productId === productId)!;

describe('policyVerdict: the same rules as a start, on what the read models hold', () => {
  it('denies THRESHOLD_REACHED when seats others hold reach a DENY rule of the product', () => {
    expect(policyVerdict(facts, rowOf('road'), 'u1', ['u2'], NOW)).toMatchObject({ allowed: false, denyReason: 'THRESHOLD_REACHED' });
    expect(policyVerdict(facts, rowOf('civil'), 'u1', ['u2'], NOW)).toMatchObject({ allowed: true, denyReason: null });
  });

  it("never counts the user's own seat against them", () => {
    expect(policyVerdict(facts, rowOf('road'), 'u1', ['u1'], NOW)).toMatchObject({ allowed: true, denyReason: null });
  });

  it("keeps the account's verdict first", () => {
    const restricted = { ...rowOf('road'), allowed: false, denyReason: 'GROUP_RESTRICTED' as const };
    expect(policyVerdict(facts, restricted, 'u1', ['u2'], NOW)).toMatchObject({ allowed: false, denyReason: 'GROUP_RESTRICTED' });
  });

  it('forecasts term license usage when one more seat would exceed the seats owned', () => {
    expect(policyVerdict(facts, rowOf('road'), 'u1', ['u1'], NOW).termLicenseUsageLikely).toBe(false);
    expect(policyVerdict(facts, rowOf('road'), 'u1', ['u1', 'u2'], NOW).termLicenseUsageLikely).toBe(true);
  });
});
