import type { AlertAction } from '@ses/events';

export type PoolEligibilityDenyReason = 'NOT_REGISTERED' | 'USER_DEACTIVATED' | 'NOT_ENTITLED' | 'GROUP_RESTRICTED';

export interface AlertRuleFacts {
  ruleId: string;
  thresholdSeats: number;
  action: AlertAction;
  notifyUserIds: string[];
}

/** The account's facts about the pool itself, built by the shell from the account aggregate. */
export interface PoolFacts {
  accountId: string;
  productId: string;
  /** Sum of seats of ACTIVE entitlements of the product. */
  seatsOwned: number;
  /** The alert rules of this product. */
  alertRules: AlertRuleFacts[];
}

/** The account's facts about one user and this product. */
export interface UserFacts {
  /** Decided by the account: registered, active, entitled in the user's country, group. */
  eligibility: { allowed: true } | { allowed: false; denyReason: PoolEligibilityDenyReason };
  /** For check-out: the entitlement that applies (ACTIVE, product, user's country), or null. */
  entitlement: { entitlementId: string; endsAt: string; checkoutAllowed: boolean; maxCheckoutDays: number } | null;
}

export type PoolContext = PoolFacts & UserFacts;

export interface StartUsage {
  type: 'StartUsage';
  now: string;
  sessionId: string;
  userId: string;
  machineId: string;
  productVersion?: string | null;
  /** The user's country, recorded on the session. */
  country: string;
  context: PoolContext;
}

export interface HeartbeatUsage {
  type: 'HeartbeatUsage';
  now: string;
  sessionId: string;
  /** When given, the session must belong to this user (FORBIDDEN otherwise). Omit for administrators. */
  userId?: string;
}

export interface EndUsage {
  type: 'EndUsage';
  now: string;
  sessionId: string;
  /** When given, the session must belong to this user (FORBIDDEN otherwise). Omit for administrators. */
  userId?: string;
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

export interface CheckOut {
  type: 'CheckOut';
  now: string;
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

/** All or nothing. Pool facts are shared; eligibility and entitlement are per user (country). */
export interface BulkCheckOut {
  type: 'BulkCheckOut';
  now: string;
  machineId: string;
  days: number;
  context: PoolFacts;
  checkouts: BulkCheckOutItem[];
}

export interface CheckIn {
  type: 'CheckIn';
  now: string;
  checkoutId: string;
}

export type SeatPoolCommand = StartUsage | HeartbeatUsage | EndUsage | TimeOutSessions | ExpireCheckouts | CheckOut | BulkCheckOut | CheckIn;
