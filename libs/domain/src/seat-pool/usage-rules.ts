import type { DenyReason } from '@ses/events';
import type { EligibilityDenyReason } from '../account/account.queries';
import type { AlertRuleFacts } from './seat-pool.commands';

/*
 * The rules of a usage decision that need seats in use: the DENY threshold, term
 * license usage and the warnings. StartUsage decides with them on the pool's state;
 * the query app's policy forecasts with them on its read models: one rule, two inputs.
 */

type Rule = Pick<AlertRuleFacts, 'action' | 'thresholdSeats'>;

/** A DENY rule whose threshold the seats in use by others (not counting the user) already reach. */
export function thresholdReached(alertRules: readonly Rule[], seatsInUseByOthers: number): boolean {
  return alertRules.some((rule) => rule.action === 'DENY' && seatsInUseByOthers >= rule.thresholdSeats);
}

/** The contract's order: the account's verdict (registered, active, entitled, group) first, then the DENY threshold. */
export function usageDenyReason(eligibility: EligibilityDenyReason | null, alertRules: readonly Rule[], seatsInUseByOthers: number): DenyReason | null {
  if (eligibility !== null) return eligibility;
  return thresholdReached(alertRules, seatsInUseByOthers) ? 'THRESHOLD_REACHED' : null;
}

/** Term license usage: seats in use, counting the user's, above the seats owned. */
export const isTermLicenseUsage = (seatsInUseWithUser: number, seatsOwned: number): boolean => seatsInUseWithUser > seatsOwned;

/** The policy's forecast: one more seat taken would be term license usage. */
export const termLicenseUsageLikely = (seatsInUse: number, seatsOwned: number): boolean => isTermLicenseUsage(seatsInUse + 1, seatsOwned);

/**
 * Human-readable warnings for an ALLOWED start: each NOTIFY rule whose threshold the
 * seats in use, counting the user's, reach; and term license usage.
 */
export function usageWarnings(
  pool: { productId: string; seatsOwned: number; alertRules: readonly Rule[] },
  seatsInUseWithUser: number,
  termLicenseUsage: boolean,
): string[] {
  const warnings = pool.alertRules
    .filter((rule) => rule.action === 'NOTIFY' && seatsInUseWithUser >= rule.thresholdSeats)
    .map((rule) => `Seats in use of product ${pool.productId} (${seatsInUseWithUser}) reached the alert threshold of ${rule.thresholdSeats}.`);
  if (termLicenseUsage) {
    warnings.push(`Term license usage: seats in use of product ${pool.productId} (${seatsInUseWithUser}) exceed the ${pool.seatsOwned} seats owned.`);
  }
  return warnings;
}
