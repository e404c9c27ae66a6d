import type { SeatPoolEvent } from './seat-pool.events';
import { activeCheckoutIdOf, seatsInUse } from './seat-pool.queries';
import type { SeatPoolState } from './seat-pool.state';

/**
 * Adds to each seat-changing event what usage analytics needs without reading any
 * state: `seatsInUse` right after the event, and for an ended or timed-out session
 * its `startedAt`, `machineId` and `country`. Pure: simulates the events over `state` (which is
 * the state they were decided on) without changing it.
 */
export function withSeatLevels(state: SeatPoolState, events: readonly SeatPoolEvent[], now: string): SeatPoolEvent[] {
  const sessionCount = new Map<string, number>();
  const holdsCheckout = new Map<string, boolean>();
  const sessionsOf = (userId: string) => sessionCount.get(userId) ?? state.holders.get(userId)?.sessionIds.size ?? 0;
  const checkoutOf = (userId: string) => holdsCheckout.get(userId) ?? activeCheckoutIdOf(state, userId, now) !== null;
  const holds = (userId: string) => sessionsOf(userId) > 0 || checkoutOf(userId);
  let level = seatsInUse(state, now);
  const change = (userId: string, apply: () => void): number => {
    const before = holds(userId);
    apply();
    level += Number(holds(userId)) - Number(before);
    return level;
  };

  return events.map((event): SeatPoolEvent => {
    switch (event.type) {
      case 'UsageStarted': {
        const { userId } = event.data;
        return { ...event, data: { ...event.data, seatsInUse: change(userId, () => sessionCount.set(userId, sessionsOf(userId) + 1)) } };
      }
      case 'UsageEnded':
      case 'UsageTimedOut': {
        const { userId, sessionId } = event.data;
        const session = state.activeSessions.get(sessionId);
        const seats = change(userId, () => sessionCount.set(userId, Math.max(0, sessionsOf(userId) - 1)));
        const extra = { seatsInUse: seats, startedAt: session?.startedAt ?? null, machineId: session?.machineId ?? null, country: session?.country ?? null };
        return event.type === 'UsageEnded' ? { ...event, data: { ...event.data, ...extra } } : { ...event, data: { ...event.data, ...extra } };
      }
      case 'LicenseCheckedOut': {
        const { userId } = event.data;
        return { ...event, data: { ...event.data, seatsInUse: change(userId, () => holdsCheckout.set(userId, true)) } };
      }
      case 'LicenseCheckedIn':
      case 'CheckoutExpired': {
        const { userId } = event.data;
        const seats = change(userId, () => holdsCheckout.set(userId, false));
        return event.type === 'LicenseCheckedIn'
          ? { ...event, data: { ...event.data, seatsInUse: seats } }
          : { ...event, data: { ...event.data, seatsInUse: seats } };
      }
      default:
        return event;
    }
  });
}
