import type { StartUsage } from './seat-pool.commands';
import { seatsInUseWith } from './seat-pool.queries';
import type { SeatPoolState } from './seat-pool.state';

/**
 * Human-readable warnings for an ALLOWED start: each NOTIFY rule whose threshold the seats in
 * use, counting this session, reach; and term license usage. Works on the state before or
 * after the UsageStarted event alike (seats are counted with the caller either way).
 */
export function usageWarnings(state: SeatPoolState, command: StartUsage, termLicenseUsage: boolean): string[] {
  const { context, userId, now } = command;
  const seats = seatsInUseWith(state, userId, now);
  const warnings = context.alertRules
    .filter((rule) => rule.action === 'NOTIFY' && seats >= rule.thresholdSeats)
    .map((rule) => `Seats in use of product ${context.productId} (${seats}) reached the alert threshold of ${rule.thresholdSeats}.`);
  if (termLicenseUsage) {
    warnings.push(`Term license usage: seats in use of product ${context.productId} (${seats}) exceed the ${context.seatsOwned} seats owned.`);
  }
  return warnings;
}
