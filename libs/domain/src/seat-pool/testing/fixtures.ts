import type { EventOf, Role } from '@ses/events';
import type { Acting } from '../../authorization/authorization';
import type { SeatPoolEvent } from '../seat-pool.events';
import type { AlertRuleFacts, PoolContext, StartUsage, CheckOut } from '../seat-pool.commands';
import type { CheckoutRecord, CheckoutStatus, SessionRecord, SessionStatus } from '../seat-pool.state';

export const ACCOUNT = 'acc-1';
export const PRODUCT = 'prod-1';
export const T0 = '2025-01-01T00:00:00.000Z';
/** T0 plus `minutes`. */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
export const days = (n: number): number => n * 24 * 60;

export const notifyRule = (ruleId: string, thresholdSeats: number): AlertRuleFacts => ({ ruleId, thresholdSeats, action: 'NOTIFY', notifyUserIds: ['admin'] });
export const denyRule = (ruleId: string, thresholdSeats: number): AlertRuleFacts => ({ ruleId, thresholdSeats, action: 'DENY', notifyUserIds: [] });

export function context(overrides: Partial<PoolContext> = {}): PoolContext {
  return {
    accountId: ACCOUNT,
    productId: PRODUCT,
    accountExists: true,
    seatsOwned: 10,
    eligibility: { allowed: true },
    entitlement: { entitlementId: 'ent-1', endsAt: '2026-01-01T00:00:00.000Z', checkoutAllowed: true, maxCheckoutDays: 30 },
    alertRules: [],
    ...overrides,
  };
}

const ids = (sessionId: string, userId: string) => ({ accountId: ACCOUNT, sessionId, userId, productId: PRODUCT });

export const started = (sessionId: string, userId: string, startedAt = T0, termLicenseUsage = false): EventOf<'UsageStarted'> => ({
  type: 'UsageStarted',
  data: { ...ids(sessionId, userId), machineId: 'm-1', productVersion: null, termLicenseUsage, country: 'DE', startedAt },
});
export const denied = (sessionId: string, userId: string, denyReason: EventOf<'UsageDenied'>['data']['denyReason'], deniedAt = T0): EventOf<'UsageDenied'> => ({
  type: 'UsageDenied',
  data: { ...ids(sessionId, userId), machineId: 'm-1', denyReason, deniedAt },
});
export const heartbeat = (sessionId: string, userId: string, beatAt: string): EventOf<'UsageHeartbeat'> => ({
  type: 'UsageHeartbeat',
  data: { ...ids(sessionId, userId), at: beatAt },
});
export const ended = (sessionId: string, userId: string, endedAt = T0): EventOf<'UsageEnded'> => ({
  type: 'UsageEnded',
  data: { ...ids(sessionId, userId), endedAt },
});
export const timedOut = (sessionId: string, userId: string, lastHeartbeatAt: string, timedOutAt: string): EventOf<'UsageTimedOut'> => ({
  type: 'UsageTimedOut',
  data: { ...ids(sessionId, userId), lastHeartbeatAt, timedOutAt },
});

const checkoutIds = (checkoutId: string, userId: string) => ({ accountId: ACCOUNT, checkoutId, userId, productId: PRODUCT });
export const checkedOut = (checkoutId: string, userId: string, checkedOutAt = T0, expiresAt = at(days(7))): EventOf<'LicenseCheckedOut'> => ({
  type: 'LicenseCheckedOut',
  data: { ...checkoutIds(checkoutId, userId), machineId: 'm-1', checkedOutAt, expiresAt },
});
export const checkedIn = (checkoutId: string, userId: string, checkedInAt = T0): EventOf<'LicenseCheckedIn'> => ({
  type: 'LicenseCheckedIn',
  data: { ...checkoutIds(checkoutId, userId), checkedInAt },
});
export const expired = (checkoutId: string, userId: string, expiredAt: string): EventOf<'CheckoutExpired'> => ({
  type: 'CheckoutExpired',
  data: { ...checkoutIds(checkoutId, userId), expiredAt },
});

export const alertRaised = (ruleId: string, n: number, seatsInUse: number, thresholdSeats: number, raisedAt = T0, seats = 10): EventOf<'AlertRaised'> => ({
  type: 'AlertRaised',
  data: { accountId: ACCOUNT, alertId: `${ruleId}:${n}`, ruleId, productId: PRODUCT, seatsInUse, thresholdSeats, seats, raisedAt },
});

export const startUsage = (sessionId: string, userId: string, overrides: Partial<Omit<StartUsage, 'type'>> = {}): StartUsage => ({
  type: 'StartUsage',
  now: T0,
  sessionId,
  userId,
  machineId: 'm-1',
  country: 'DE',
  sessionIdTakenInAccount: false,
  recorded: null,
  context: context(),
  ...overrides,
});

/**
 * What the command side's index records for a session id no longer active (the state keeps
 * active ones only): an allowed start by default, or a denial.
 */
export const sessionRecord = (
  userId: string,
  status: SessionStatus,
  decision: Partial<Pick<SessionRecord, 'allowed' | 'denyReason' | 'termLicenseUsage'>> = {},
): SessionRecord => ({
  userId,
  allowed: status !== 'DENIED',
  denyReason: null,
  termLicenseUsage: false,
  status,
  ...decision,
});

/** What the index records for a check-out id no longer active. */
export const checkoutRecord = (userId: string, status: CheckoutStatus): CheckoutRecord => ({ userId, status });

export const checkOut = (checkoutId: string, userId: string, overrides: Partial<Omit<CheckOut, 'type'>> = {}): CheckOut => ({
  type: 'CheckOut',
  now: T0,
  checkoutId,
  userId,
  machineId: 'm-1',
  days: 7,
  actor: member(userId),
  context: context(),
  ...overrides,
});

/** Who acts: an active user of the account (with roles), the operator, a user of another account. */
export const member = (userId: string, roles: Role[] = [], active = true): Acting => ({ kind: 'member', accountId: ACCOUNT, userId, roles, active });
export const administrator = (userId = 'admin'): Acting => member(userId, ['CO_ADMINISTRATOR']);
export const operator: Acting = { kind: 'operator' };
export const outsider: Acting = { kind: 'outsider' };

/**
 * The event as the pool stores it: with the seats in use it leaves, and for an ended or
 * timed-out session where and since when it ran.
 */
export function seats<E extends SeatPoolEvent>(
  seatsInUse: number,
  event: E,
  origin?: { startedAt: string | null; machineId: string | null; country: string | null },
): E {
  return { ...event, data: { ...event.data, seatsInUse, ...origin } };
}
