import type { EventOf } from '@ses/events';
import type { PoolFacts } from './seat-pool.commands';
import { seatsInUse } from './seat-pool.queries';
import type { SeatPoolState } from './seat-pool.state';

/**
 * A rule may fire when it is unknown to the pool, re-armed by evolve, or seats in use before
 * this command were already below its threshold. The last case covers check-outs that ran
 * out by time without a CheckoutExpired event yet (evolve never saw seats fall) and a
 * threshold the account raised since the last alert.
 */
export function isArmed(state: SeatPoolState, ruleId: string, thresholdSeats: number, seatsBefore: number): boolean {
  const record = state.alerts.get(ruleId);
  return !record || record.armed || seatsBefore < thresholdSeats;
}

/**
 * AlertRaised for every rule (NOTIFY and DENY alike) that seats in use rising from
 * `seatsBefore` to `seatsAfter` reach while armed. `alreadyRaised` holds rules raised
 * earlier in the same command (bulk check-out), which are disarmed from then on.
 * Alert ids are deterministic: `${ruleId}:${n}`, n counting the raises of that rule in this pool.
 */
export function raiseAlerts(
  state: SeatPoolState,
  pool: PoolFacts,
  seats: { before: number; after: number },
  now: string,
  alreadyRaised: Set<string> = new Set(),
): EventOf<'AlertRaised'>[] {
  if (seats.after <= seats.before) return [];
  const events: EventOf<'AlertRaised'>[] = [];
  for (const rule of pool.alertRules) {
    if (seats.after < rule.thresholdSeats || alreadyRaised.has(rule.ruleId)) continue;
    if (!isArmed(state, rule.ruleId, rule.thresholdSeats, seats.before)) continue;
    alreadyRaised.add(rule.ruleId);
    events.push({
      type: 'AlertRaised',
      data: {
        accountId: pool.accountId,
        alertId: `${rule.ruleId}:${(state.alerts.get(rule.ruleId)?.raised ?? 0) + 1}`,
        ruleId: rule.ruleId,
        productId: pool.productId,
        seatsInUse: seats.after,
        thresholdSeats: rule.thresholdSeats,
        seats: pool.seatsOwned,
        raisedAt: now,
      },
    });
  }
  return events;
}

/** Called by evolve after seats in use may have fallen: rules whose threshold is no longer reached re-arm. */
export function rearmAlerts(state: SeatPoolState, at: string): void {
  const disarmed = [...state.alerts.values()].filter((record) => !record.armed);
  if (disarmed.length === 0) return;
  const seats = seatsInUse(state, at);
  for (const record of disarmed) if (seats < record.thresholdSeats) record.armed = true;
}
