import { activeEntitlements, bestEntitlement, seatsOwned, usageEligibility, type UsageFacts } from '../account/account.queries';
import type { AccountState } from '../account/account.state';
import type { AlertRuleFacts, PoolFacts, UserFacts } from './seat-pool.commands';

/** The account's facts about its seat pool of a product, for the pool's decider. */
export function poolFactsOf(account: AccountState, productId: string, now: string): PoolFacts {
  return {
    accountId: account.accountId,
    productId,
    accountExists: account.exists,
    seatsOwned: seatsOwned(account, productId, now),
    alertRules: alertRulesOf(account, productId),
  };
}

/** The alert rules of one product. */
export function alertRulesOf(account: Pick<AccountState, 'alertRules'>, productId: string): AlertRuleFacts[] {
  return Object.values(account.alertRules)
    .filter((rule) => rule.productId === productId)
    .map(({ ruleId, thresholdSeats, action, notifyUserIds }) => ({ ruleId, thresholdSeats, action, notifyUserIds: [...notifyUserIds] }));
}

/** A user's eligibility for the product and the entitlement that covers them (ACTIVE, this product, the user's country). */
export function userFactsOf(account: UsageFacts, userId: string, productId: string, now: string): UserFacts {
  const user = account.users[userId];
  const inCountry = user ? activeEntitlements(account, productId, now).filter((e) => e.country === user.country) : [];
  const entitlement = bestEntitlement(inCountry, user?.country);
  return {
    eligibility: usageEligibility(account, user ? userId : null, productId, now),
    entitlement: entitlement
      ? {
          entitlementId: entitlement.entitlementId,
          endsAt: entitlement.endsAt,
          checkoutAllowed: entitlement.checkoutAllowed,
          maxCheckoutDays: entitlement.maxCheckoutDays,
        }
      : null,
  };
}
