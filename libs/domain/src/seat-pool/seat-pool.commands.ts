import type { AlertAction } from '@ses/events';
import type { Acting } from '../authorization/authorization';
import type { CheckoutRecord, SessionRecord } from './seat-pool.state';

export type PoolEligibilityDenyReason = 'NOT_REGISTERED' | 'USER_DEACTIVATED' | 'NOT_ENTITLED' | 'GROUP_RESTRICTED';

export interface AlertRuleFacts {
  ruleId: string;
  thresholdSeats: number;
  action: AlertAction;
  notifyUserIds: string[];
}

/** The account's facts about the pool itself, taken from the account aggregate (poolFactsOf). */
export interface PoolFacts {
  accountId: string;
  productId: string;
  /** Whether the account exists (the operator may name one that does not). */
  accountExists: boolean;
  /** Sum of seats of ACTIVE entitlements of the product. */
  seatsOwned: number;
  /** The alert rules of this product. */
  alertRules: AlertRuleFacts[];
}

/** The account's facts about one user and this product (userFactsOf). */
export interface UserFacts {
  /** Decided by the account: registered, active, entitled in the user's country, group. */
  eligibility: { allowed: true } | { allowed: false; denyReason: PoolEligibilityDenyReason };
  /** For check-out: the entitlement that applies (ACTIVE, product, user's country), or null. */
  entitlement: { entitlementId: string; endsAt: string; checkoutAllowed: boolean; maxCheckoutDays: number } | null;
}

export type PoolContext = PoolFacts & UserFacts;

/**
 * A registered user opens the product (placeUsageStart decided that this pool, the
 * user's account's, decides it). A deactivated user's start is recorded as denied.
 */
export interface StartUsage {
  type: 'StartUsage';
  now: string;
  sessionId: string;
  /** The user starting: the actor. */
  userId: string;
  machineId: string;
  productVersion?: string | null;
  /** The user's country, recorded on the session. */
  country: string;
  /** The session id is already a session of another product of this account. */
  sessionIdTakenInAccount: boolean;
  /** This pool's record of the session id (from the index), null when it never saw it: a repeated start answers it. */
  recorded: SessionRecord | null;
  context: PoolContext;
}

/** From the session's own user (or the operator). */
export interface HeartbeatUsage {
  type: 'HeartbeatUsage';
  now: string;
  sessionId: string;
  actor: Acting;
  /** This pool's record of the session id (from the index), null when it never saw it: NOT_FOUND vs SESSION_NOT_ACTIVE. */
  recorded: SessionRecord | null;
}

/** The session's user, an administrator of the account, or the operator. */
export interface EndUsage {
  type: 'EndUsage';
  now: string;
  sessionId: string;
  actor: Acting;
  /** As HeartbeatUsage's. */
  recorded: SessionRecord | null;
}

/** Issued by a process manager (see nextDueAt). */
export interface TimeOutSessions {
  type: 'TimeOutSessions';
  now: string;
  ttlSeconds: number;
}

/** Issued by a process manager (see nextDueAt). */
export interface ExpireCheckouts {
  type: 'ExpireCheckouts';
  now: string;
}

/** For oneself, or (administrators, the operator) for another user of the account. */
export interface CheckOut {
  type: 'CheckOut';
  now: string;
  actor: Acting;
  checkoutId: string;
  userId: string;
  machineId: string;
  days: number;
  context: PoolContext;
}

export interface BulkCheckOutItem extends UserFacts {
  checkoutId: string;
  userId: string;
}

/** All or nothing, by an administrator or the operator. Pool facts are shared; eligibility and entitlement are per user (country). */
export interface BulkCheckOut {
  type: 'BulkCheckOut';
  now: string;
  actor: Acting;
  /** Default: 'any' (the licenses are not bound to a machine). */
  machineId?: string | null;
  days: number;
  context: PoolFacts;
  checkouts: BulkCheckOutItem[];
}

/** The holder, an administrator of the account, or the operator. */
export interface CheckIn {
  type: 'CheckIn';
  now: string;
  actor: Acting;
  checkoutId: string;
  /** This pool's record of the check-out id (from the index), null when it never saw it: NOT_FOUND vs CHECKOUT_NOT_ACTIVE. */
  recorded: CheckoutRecord | null;
}

export type SeatPoolCommand = StartUsage | HeartbeatUsage | EndUsage | TimeOutSessions | ExpireCheckouts | CheckOut | BulkCheckOut | CheckIn;
