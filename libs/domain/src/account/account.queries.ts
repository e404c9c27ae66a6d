import type { DenyReason, Role } from '@ses/events';
import type { AccountState, EntitlementState, UserState } from './account.state';

export type EntitlementStatus = 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'REVOKED';
/** The deny reasons the directory alone decides; THRESHOLD_REACHED needs seats in use (seat pool). */
export type EligibilityDenyReason = Exclude<DenyReason, 'THRESHOLD_REACHED'>;
export type UsageEligibility = { allowed: true } | { allowed: false; denyReason: EligibilityDenyReason };

export interface PolicyProduct {
  productId: string;
  productName: string;
  allowed: boolean;
  denyReason: EligibilityDenyReason | null;
  offlineDays: number;
  checkoutAllowed: boolean;
  maxCheckoutDays: number;
}

/** An entitlement as usage decisions read it. */
export type EntitlementFacts = Omit<EntitlementState, 'revokedReason'>;
/** A user as usage decisions read them. */
export type MemberFacts = Pick<UserState, 'userId' | 'country' | 'active' | 'groupIds'>;

/**
 * What usage decisions (eligibility, seats owned, the policy) read of an account. The
 * account aggregate's state is one; the query app builds one from its read-model
 * documents (it needs only the user asking and their groups).
 */
export interface UsageFacts {
  entitlements: Readonly<Record<string, EntitlementFacts>>;
  users: Readonly<Record<string, MemberFacts>>;
  groups: Readonly<Record<string, { productIds: readonly string[] }>>;
}

export const rolesOf = (state: AccountState, userId: string): Role[] => [...(state.users[userId]?.roles ?? [])];

export const isActiveUser = (state: AccountState, userId: string): boolean => state.users[userId]?.active === true;

export const activeAdministratorIds = (state: AccountState): string[] =>
  Object.values(state.users)
    .filter((u) => u.active && u.roles.includes('ACCOUNT_ADMINISTRATOR'))
    .map((u) => u.userId);

// Instants are compared as times, not strings: offsets (+02:00 vs Z) make string order wrong.
export function entitlementStatus(e: Pick<EntitlementState, 'startsAt' | 'endsAt' | 'revoked'>, now: string): EntitlementStatus {
  if (e.revoked) return 'REVOKED';
  const t = Date.parse(now);
  if (t < Date.parse(e.startsAt)) return 'PENDING';
  if (t >= Date.parse(e.endsAt)) return 'EXPIRED';
  return 'ACTIVE';
}

export const activeEntitlements = <E extends EntitlementFacts>(state: { entitlements: Readonly<Record<string, E>> }, productId: string, now: string): E[] =>
  Object.values(state.entitlements).filter((e) => e.productId === productId && entitlementStatus(e, now) === 'ACTIVE');

/** Sum of seats of the product's ACTIVE entitlements, in any country. */
export const seatsOwned = (state: Pick<UsageFacts, 'entitlements'>, productId: string, now: string): number =>
  activeEntitlements(state, productId, now).reduce((sum, e) => sum + e.seats, 0);

/** The union of the user's groups' products, or null when the user is in no group (then nothing is restricted). */
export function groupProductsOf(state: Pick<UsageFacts, 'users' | 'groups'>, userId: string): Set<string> | null {
  const groupIds = state.users[userId]?.groupIds ?? [];
  if (groupIds.length === 0) return null;
  return new Set(groupIds.flatMap((id) => state.groups[id]?.productIds ?? []));
}

/** The contract's order: registered, active, entitled (in the user's country), group. */
export function usageEligibility(state: UsageFacts, userId: string | null, productId: string, now: string): UsageEligibility {
  const user = userId === null ? undefined : state.users[userId];
  if (!user) return { allowed: false, denyReason: 'NOT_REGISTERED' };
  if (!user.active) return { allowed: false, denyReason: 'USER_DEACTIVATED' };
  if (!activeEntitlements(state, productId, now).some((e) => e.country === user.country)) {
    return { allowed: false, denyReason: 'NOT_ENTITLED' };
  }
  const groupProducts = groupProductsOf(state, user.userId);
  if (groupProducts && !groupProducts.has(productId)) return { allowed: false, denyReason: 'GROUP_RESTRICTED' };
  return { allowed: true };
}

/** One row per product with an ACTIVE entitlement (any country), sorted by productId. */
export function policyProducts(state: UsageFacts, userId: string | null, now: string): PolicyProduct[] {
  const country = userId === null ? undefined : state.users[userId]?.country;
  const productIds = [...new Set(Object.values(state.entitlements).map((e) => e.productId))].sort();
  return productIds.flatMap((productId) => {
    const best = bestEntitlement(activeEntitlements(state, productId, now), country);
    if (!best) return [];
    const eligibility = usageEligibility(state, userId, productId, now);
    return [
      {
        productId,
        productName: best.productName,
        allowed: eligibility.allowed,
        denyReason: eligibility.allowed ? null : eligibility.denyReason,
        offlineDays: best.offlineDays,
        checkoutAllowed: best.checkoutAllowed,
        maxCheckoutDays: best.maxCheckoutDays,
      },
    ];
  });
}

/** Prefers the user's country, then the latest endsAt, then the smallest id (deterministic). */
export function bestEntitlement<E extends EntitlementFacts>(candidates: E[], country: string | undefined): E | undefined {
  const rank = (e: E) => (e.country === country ? 0 : 1);
  return [...candidates].sort(
    (a, b) =>
      rank(a) - rank(b) || Date.parse(b.endsAt) - Date.parse(a.endsAt) || (a.entitlementId < b.entitlementId ? -1 : a.entitlementId > b.entitlementId ? 1 : 0),
  )[0];
}
