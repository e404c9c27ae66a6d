import type { DenyReason } from '@ses/events';

export interface ActiveSession {
  sessionId: string;
  userId: string;
  machineId: string;
  /** The user's country at the start (UsageStarted), repeated on the session's end for analytics. */
  country: string;
  startedAt: string;
  lastHeartbeatAt: string | null;
  /** As decided at the start: a repeated start of the active session answers it. */
  termLicenseUsage: boolean;
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

/**
 * What this pool's history recorded for a session id: the decision of its start and its
 * status now. The state keeps active sessions only; for any other id the command side's
 * persistent index answers this, and it reaches the decider through the command
 * (StartUsage, HeartbeatUsage, EndUsage `recorded`), so a repeated start answers the
 * first decision and an old id is SESSION_NOT_ACTIVE rather than NOT_FOUND.
 */
export interface SessionRecord {
  userId: string;
  allowed: boolean;
  denyReason: DenyReason | null;
  termLicenseUsage: boolean;
  status: SessionStatus;
}

/** What this pool's history recorded for a check-out id (CheckIn `recorded`), from the command side's index. */
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
 * State of one seat pool (account x product): only what decisions need.
 *
 * ACTIVE sessions and check-outs (activeSessions, activeCheckouts, holders) and the arming
 * of alert rules, nothing about ids that are no longer active: its size follows what is
 * active now, never the pool's history, so a snapshot of it is small and a pool that saw
 * a million sessions loads and decides as a new one. What the pool once decided about an
 * id that is no longer active comes with the command (SessionRecord, CheckoutRecord).
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
  alerts: Map<string, AlertRecord>;
}

/**
 * Version of the SeatPoolState shape and of what evolveSeatPool puts in it. Snapshots
 * record it; one of another version is ignored and the state rebuilt from the log. Raise
 * it with every change to the state's fields or to evolve's results (the shape test in
 * seat-pool.state.unit.spec.ts fails until it is raised). 2: records of past sessions and
 * check-outs left the state (they come from the index). 3: active sessions keep their country.
 */
export const SEAT_POOL_STATE_VERSION = 3;

export function initialSeatPoolState(): SeatPoolState {
  return {
    accountId: null,
    productId: null,
    activeSessions: new Map(),
    activeCheckouts: new Map(),
    holders: new Map(),
    alerts: new Map(),
  };
}
