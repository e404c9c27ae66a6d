import type { DomainEvent } from '@ses/events';
import { notFound } from '../../shared/domain-error';
import { LIMITS, Validator, describeRange, isBoundedText, isCountryCode, isInRange, isInstant } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { GrantEntitlement, RevokeEntitlement } from '../account.commands';
import type { AccountState } from '../account.state';
import { assertNewId, isGiven } from './input-rules';

export const ENTITLEMENT_DEFAULTS = { offlineDays: 7, checkoutAllowed: true, maxCheckoutDays: 30 } as const;

export function decideGrantEntitlement(c: GrantEntitlement, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageEntitlements');
  const datesValid = isInstant(c.startsAt) && isInstant(c.endsAt);
  new Validator()
    .check(isBoundedText(c.productId, LIMITS.productId), 'productId', `1..${LIMITS.productId} characters`)
    .check(isBoundedText(c.productName, LIMITS.productName), 'productName', `1..${LIMITS.productName} characters`)
    .check(isInRange(c.seats, LIMITS.seats), 'seats', describeRange(LIMITS.seats))
    .check(isInstant(c.startsAt), 'startsAt', 'not an ISO-8601 instant')
    .check(isInstant(c.endsAt), 'endsAt', 'not an ISO-8601 instant')
    .check(!datesValid || Date.parse(c.endsAt) > Date.parse(c.startsAt), 'endsAt', 'must be after startsAt')
    .check(!isGiven(c.country) || isCountryCode(c.country), 'country', 'ISO 3166-1 alpha-2, upper case')
    .check(!isGiven(c.offlineDays) || isInRange(c.offlineDays, LIMITS.offlineDays), 'offlineDays', describeRange(LIMITS.offlineDays))
    .check(!isGiven(c.maxCheckoutDays) || isInRange(c.maxCheckoutDays, LIMITS.maxCheckoutDays), 'maxCheckoutDays', describeRange(LIMITS.maxCheckoutDays))
    .throwIfInvalid();
  requireAccount(state);
  assertNewId(c.entitlementId in state.entitlements, 'entitlement', c.entitlementId);

  return [
    {
      type: 'EntitlementGranted',
      data: {
        accountId: state.accountId,
        entitlementId: c.entitlementId,
        productId: c.productId,
        productName: c.productName,
        seats: c.seats,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        country: c.country ?? state.entitlementCountry,
        offlineDays: c.offlineDays ?? ENTITLEMENT_DEFAULTS.offlineDays,
        checkoutAllowed: c.checkoutAllowed ?? ENTITLEMENT_DEFAULTS.checkoutAllowed,
        maxCheckoutDays: c.maxCheckoutDays ?? ENTITLEMENT_DEFAULTS.maxCheckoutDays,
      },
    },
  ];
}

export function decideRevokeEntitlement(c: RevokeEntitlement, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageEntitlements');
  new Validator().check(!isGiven(c.reason) || isBoundedText(c.reason, LIMITS.reason), 'reason', `1..${LIMITS.reason} characters`).throwIfInvalid();
  requireAccount(state);
  const entitlement = state.entitlements[c.entitlementId];
  if (!entitlement) throw notFound('entitlement');
  if (entitlement.revoked) return [];
  return [
    {
      type: 'EntitlementRevoked',
      data: { accountId: state.accountId, entitlementId: c.entitlementId, productId: entitlement.productId, reason: c.reason ?? null },
    },
  ];
}
