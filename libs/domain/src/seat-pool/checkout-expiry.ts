import type { SeatPoolState } from './seat-pool.state';
import { earliest, isBefore } from './time';

/**
 * The earliest expiresAt among a state's active check-outs, kept beside the state (not in
 * it: the state's shape and its snapshots stay as they are). Until that instant every
 * active check-out is active, so seats in use are simply the holders (seatsInUse is then
 * O(1), not O(holders) per decision). Computed on first use; evolveSeatPool keeps it as it
 * folds check-outs in and out (forgetting it when the earliest one leaves).
 */
const earliestExpiry = new WeakMap<SeatPoolState, { at: string | null }>();

/** Is every check-out in state.activeCheckouts still active at `now`? */
export function allCheckoutsActiveAt(state: SeatPoolState, now: string): boolean {
  let known = earliestExpiry.get(state);
  if (!known) {
    let at: string | null = null;
    for (const checkout of state.activeCheckouts.values()) at = at === null ? checkout.expiresAt : earliest(at, checkout.expiresAt);
    earliestExpiry.set(state, (known = { at }));
  }
  return known.at === null || isBefore(now, known.at);
}

/** evolveSeatPool: a check-out expiring at `expiresAt` joined the state's active ones. */
export function checkoutAdded(state: SeatPoolState, expiresAt: string): void {
  const known = earliestExpiry.get(state);
  if (known) known.at = known.at === null ? expiresAt : earliest(known.at, expiresAt);
}

/** evolveSeatPool: a check-out expiring at `expiresAt` left the state's active ones. */
export function checkoutRemoved(state: SeatPoolState, expiresAt: string): void {
  const known = earliestExpiry.get(state);
  if (known?.at != null && !isBefore(known.at, expiresAt)) earliestExpiry.delete(state);
}
