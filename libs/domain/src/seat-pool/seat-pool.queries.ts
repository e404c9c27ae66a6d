import type { DenyReason } from '@ses/events';
import type { CheckoutRecord, SeatPoolState, SessionRecord, SessionStatus } from './seat-pool.state';
import { allCheckoutsActiveAt } from './checkout-expiry';
import { addSeconds, earliest, isBefore } from './time';

/** A check-out is active until checked in or expired, and never at or after its expiresAt. */
export function isCheckoutActive(state: SeatPoolState, checkoutId: string, now: string): boolean {
  const checkout = state.activeCheckouts.get(checkoutId);
  return checkout !== undefined && isBefore(now, checkout.expiresAt);
}

export function activeCheckoutIdOf(state: SeatPoolState, userId: string, now: string): string | null {
  for (const checkoutId of state.holders.get(userId)?.checkoutIds ?? []) {
    if (isCheckoutActive(state, checkoutId, now)) return checkoutId;
  }
  return null;
}

/** Does the user take a seat at `now` (an active session or an active check-out)? */
export function holdsSeat(state: SeatPoolState, userId: string, now: string): boolean {
  const holding = state.holders.get(userId);
  if (!holding) return false;
  return holding.sessionIds.size > 0 || activeCheckoutIdOf(state, userId, now) !== null;
}

/** Distinct users with an active session or an active check-out. */
export function seatsInUse(state: SeatPoolState, now: string): number {
  // Holders hold an active session or check-out (evolve drops a user holding neither): while no check-out has expired, each takes a seat.
  if (allCheckoutsActiveAt(state, now)) return state.holders.size;
  let seats = 0;
  for (const userId of state.holders.keys()) if (holdsSeat(state, userId, now)) seats++;
  return seats;
}

/** Seats in use as they would be with `userId` holding a seat too. */
export function seatsInUseWith(state: SeatPoolState, userId: string, now: string): number {
  return seatsInUse(state, now) + (holdsSeat(state, userId, now) ? 0 : 1);
}

/** Seats in use not counting `userId`. */
export function seatsInUseWithout(state: SeatPoolState, userId: string, now: string): number {
  return seatsInUse(state, now) - (holdsSeat(state, userId, now) ? 1 : 0);
}

export function activeCheckoutCount(state: SeatPoolState, now: string): number {
  if (allCheckoutsActiveAt(state, now)) return state.activeCheckouts.size;
  let count = 0;
  for (const checkoutId of state.activeCheckouts.keys()) if (isCheckoutActive(state, checkoutId, now)) count++;
  return count;
}

export interface SeatHolder {
  userId: string;
  sessionIds: string[];
  checkoutId: string | null;
  /** Earliest start of what the user holds now. */
  since: string;
}

/** Who takes a seat at `now`, oldest first. */
export function seatHolders(state: SeatPoolState, now: string): SeatHolder[] {
  const result: SeatHolder[] = [];
  for (const [userId, holding] of state.holders) {
    const checkoutId = activeCheckoutIdOf(state, userId, now);
    const sessionIds = [...holding.sessionIds];
    if (sessionIds.length === 0 && checkoutId === null) continue;
    const starts = sessionIds.map((id) => state.activeSessions.get(id)!.startedAt);
    if (checkoutId !== null) starts.push(state.activeCheckouts.get(checkoutId)!.checkedOutAt);
    result.push({ userId, sessionIds, checkoutId, since: starts.reduce(earliest) });
  }
  return result.sort((a, b) => (a.since === b.since ? a.userId.localeCompare(b.userId) : isBefore(a.since, b.since) ? -1 : 1));
}

export interface SessionDecision {
  sessionId: string;
  userId: string;
  allowed: boolean;
  denyReason: DenyReason | null;
  termLicenseUsage: boolean;
  status: SessionStatus;
}

/**
 * The decision of a session id in this pool: the active session's from the state, else
 * what the pool's history recorded (`recorded`, from the index); null when the pool never saw it.
 */
export function sessionDecision(state: SeatPoolState, sessionId: string, recorded: SessionRecord | null): SessionDecision | null {
  const active = state.activeSessions.get(sessionId);
  if (active) return { sessionId, userId: active.userId, allowed: true, denyReason: null, termLicenseUsage: active.termLicenseUsage, status: 'ACTIVE' };
  return recorded ? { sessionId, ...recorded } : null;
}

/** Whose session this is (active, else as recorded), or null when the pool never saw it. */
export function sessionOwner(state: SeatPoolState, sessionId: string, recorded: SessionRecord | null): string | null {
  return state.activeSessions.get(sessionId)?.userId ?? recorded?.userId ?? null;
}

/** Who holds (or held) this check-out, or null when the pool never saw it. */
export function checkoutHolder(state: SeatPoolState, checkoutId: string, recorded: CheckoutRecord | null): string | null {
  return state.activeCheckouts.get(checkoutId)?.userId ?? recorded?.userId ?? null;
}

/** When a session's timeout becomes due: its last heartbeat (or start) plus the TTL. */
export function sessionDueAt(lastHeartbeatAt: string | null, startedAt: string, ttlSeconds: number): string {
  return addSeconds(lastHeartbeatAt ?? startedAt, ttlSeconds);
}

/**
 * The earliest instant at which a TimeOutSessions or ExpireCheckouts command would emit
 * something (possibly already past), or null when nothing is active.
 */
export function nextDueAt(state: SeatPoolState, ttlSeconds: number): string | null {
  const dues = [
    ...[...state.activeSessions.values()].map((s) => sessionDueAt(s.lastHeartbeatAt, s.startedAt, ttlSeconds)),
    ...[...state.activeCheckouts.values()].map((c) => c.expiresAt),
  ];
  return dues.length === 0 ? null : dues.reduce(earliest);
}
