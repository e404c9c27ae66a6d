import type { DenyReason } from '@ses/events';

export interface ActiveSession {
  sessionId: string;
  userId: string;
  machineId: string;
  startedAt: string;
  lastHeartbeatAt: string | null;
}

export interface ActiveCheckout {
  checkoutId: string;
  userId: string;
  machineId: string;
  checkedOutAt: string;
  expiresAt: string;
}

export type SessionStatus = 'ACTIVE' | 'DENIED' | 'ENDED' | 'TIMED_OUT';
export type CheckoutStatus = 'ACTIVE' | 'CHECKED_IN' | 'EXPIRED';

/** What was decided for a session id, kept after the session ends so a repeated start is idempotent. */
export interface SessionRecord {
  userId: string;
  allowed: boolean;
  denyReason: DenyReason | null;
  termLicenseUsage: boolean;
  status: SessionStatus;
}

export interface CheckoutRecord {
  userId: string;
  status: CheckoutStatus;
}

/** The active sessions and check-outs one user holds: together they take at most one seat. */
export interface Holding {
  sessionIds: Set<string>;
  checkoutIds: Set<string>;
}

export interface AlertRecord {
  /** How many times the rule was raised in this pool; the next alert id is `${ruleId}:${raised + 1}`. */
  raised: number;
  armed: boolean;
  /** The threshold at the last raise: the rule re-arms when seats in use fall below it. */
  thresholdSeats: number;
}

/**
 * State of one seat pool (account x product).
 *
 * Only ACTIVE sessions and check-outs are kept in detail (activeSessions, activeCheckouts,
 * holders), so deciding costs the same for a pool that saw 100,000 sessions as for a new one.
 * `sessions` and `checkouts` keep a compact record of every id ever seen, for idempotent
 * repeats, NOT_FOUND vs *_NOT_ACTIVE and ownership checks. Memory trade-off: roughly
 * 150-200 bytes per past session; a pool that must run for years at high volume could
 * bound this (e.g. forget records older than a retention window), which would only weaken
 * idempotency of very old session ids.
 *
 * Maps, not plain objects: ids come from clients ("__proto__" must be a harmless key) and
 * deletes stay cheap. evolveSeatPool() updates the state IN PLACE and returns it (see seat-pool.evolve.ts).
 */
export interface SeatPoolState {
  accountId: string | null;
  productId: string | null;
  activeSessions: Map<string, ActiveSession>;
  activeCheckouts: Map<string, ActiveCheckout>;
  holders: Map<string, Holding>;
  sessions: Map<string, SessionRecord>;
  checkouts: Map<string, CheckoutRecord>;
  alerts: Map<string, AlertRecord>;
}

export function initialSeatPoolState(): SeatPoolState {
  return {
    accountId: null,
    productId: null,
    activeSessions: new Map(),
    activeCheckouts: new Map(),
    holders: new Map(),
    sessions: new Map(),
    checkouts: new Map(),
    alerts: new Map(),
  };
}
