import type { Doc } from '@ses/read-store';

/** Keyed by sessionKey(accountId, sessionId): session ids are scoped by account. */
export interface SessionDoc extends Doc {
  sessionId: string;
  accountId: string;
  userId: string;
  productId: string;
  machineId: string;
  startedAt: string;
  lastHeartbeatAt?: string;
  endedAt: string | null;
  status: 'ACTIVE' | 'ENDED' | 'TIMED_OUT' | 'DENIED';
  termLicenseUsage: boolean;
  denyReason: string | null;
}

export interface CheckoutDoc extends Doc {
  accountId: string;
  userId: string;
  productId: string;
  machineId: string;
  checkedOutAt: string;
  expiresAt: string;
  checkedInAt: string | null;
  status: 'ACTIVE' | 'CHECKED_IN' | 'EXPIRED';
}

export interface AlertDoc extends Doc {
  accountId: string;
  ruleId: string;
  productId: string;
  raisedAt: string;
  seatsInUse: number;
  thresholdSeats: number;
  seats: number;
}

/** A check-out past expiresAt no longer holds a seat, even before CheckoutExpired is recorded. */
export const checkoutStatusAt = (doc: CheckoutDoc, now: string): CheckoutDoc['status'] =>
  doc.status === 'ACTIVE' && Date.parse(doc.expiresAt) <= Date.parse(now) ? 'EXPIRED' : doc.status;
