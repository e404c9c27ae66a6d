import type { ReadStore } from '@ses/read-store';
import { resolveViewer, type Viewer } from '../../auth/viewer';
import { directoryProjection } from '../../projections/directory.projection';
import { licensingProjection } from '../../projections/licensing.projection';
import type { Projection } from '../../projections/projection';
import { ProjectionTestKit } from '../../projections/testing/projection-test-kit';
import type { QueryContext } from '../../shared/query-context';

const directoryAndLicensing: Projection = {
  name: 'directory+licensing',
  version: 1,
  collections: [...directoryProjection.collections, ...licensingProjection.collections],
  project: (event) => [...directoryProjection.project(event), ...licensingProjection.project(event)],
};

export const A1 = 'acc-1';
export const A2 = 'acc-2';
export const FAR_FUTURE = '2099-01-01T00:00:00.000Z';
const LONG_AGO = '2020-01-01T00:00:00.000Z';

/**
 * Account A1 (US) as the projections store it, "now" being any instant between 2026 and 2098:
 * - products: p-civil (US, 2 seats, 7 offline days, check-out up to 30), p-road (US, 1 seat,
 *   3 offline days, DENY rule at 1 seat), p-de (DE only), p-old (revoked), p-next (starts 2098);
 * - users: u-admin (ACCOUNT_ADMINISTRATOR), u-aud (AUDITOR), u-ann (SOFTWARE_DOWNLOAD),
 *   u-bob (group g-civil: p-civil only), u-carl (group g-none: nothing), u-gone (deactivated);
 * - seats in use: p-civil by u-ann (sessions s1, s2 and check-out c4) and u-bob (check-out c1);
 *   p-road by u-admin (session s3). Not holding: s4 (ended), s6 (timed out), s7 (denied),
 *   c2 (ACTIVE but past expiresAt), c3 (checked in).
 * Account A2: u-zed (ACCOUNT_ADMINISTRATOR) holds p-civil there (session s5).
 */
export async function licensingFixture(): Promise<ProjectionTestKit> {
  const kit = await ProjectionTestKit.open();
  const e = kit.event.bind(kit);
  const entitlement = (
    accountId: string,
    entitlementId: string,
    productId: string,
    country: string,
    seats: number,
    offlineDays: number,
    extra: { startsAt?: string; checkoutAllowed?: boolean } = {},
  ) =>
    e('EntitlementGranted', {
      accountId,
      entitlementId,
      productId,
      productName: productId.toUpperCase(),
      seats,
      startsAt: extra.startsAt ?? LONG_AGO,
      endsAt: FAR_FUTURE,
      country,
      offlineDays,
      checkoutAllowed: extra.checkoutAllowed ?? true,
      maxCheckoutDays: extra.checkoutAllowed === false ? 0 : 30,
    });
  const user = (accountId: string, userId: string, country = 'US') =>
    e('UserRegistered', { accountId, userId, email: `${userId}@example.com`, displayName: userId, country, registeredAt: LONG_AGO });
  const session = (accountId: string, sessionId: string, userId: string, productId: string, startedAt: string) =>
    e('UsageStarted', {
      accountId,
      sessionId,
      userId,
      productId,
      machineId: `m-${sessionId}`,
      productVersion: '1.0',
      termLicenseUsage: false,
      country: 'US',
      startedAt,
    });
  const checkout = (checkoutId: string, userId: string, checkedOutAt: string, expiresAt: string) =>
    e('LicenseCheckedOut', { accountId: A1, checkoutId, userId, productId: 'p-civil', machineId: `laptop-${userId}`, checkedOutAt, expiresAt });
  const ids = (userId: string, productId: string) => ({ accountId: A1, userId, productId });

  await kit.apply(
    directoryAndLicensing,
    e('AccountOpened', { accountId: A1, name: 'Acme', entitlementCountry: 'US', openedAt: LONG_AGO }),
    entitlement(A1, 'e1', 'p-civil', 'US', 2, 7),
    entitlement(A1, 'e2', 'p-road', 'US', 1, 3, { checkoutAllowed: false }),
    entitlement(A1, 'e3', 'p-de', 'DE', 5, 1),
    entitlement(A1, 'e4', 'p-old', 'US', 5, 1),
    e('EntitlementRevoked', { accountId: A1, entitlementId: 'e4', productId: 'p-old', reason: 'refund' }),
    entitlement(A1, 'e5', 'p-next', 'US', 5, 1, { startsAt: '2098-01-01T00:00:00.000Z' }),
    ...['u-admin', 'u-aud', 'u-ann', 'u-bob', 'u-carl', 'u-gone'].map((id) => user(A1, id)),
    e('RoleGranted', { accountId: A1, userId: 'u-admin', role: 'ACCOUNT_ADMINISTRATOR' }),
    e('RoleGranted', { accountId: A1, userId: 'u-aud', role: 'AUDITOR' }),
    e('RoleGranted', { accountId: A1, userId: 'u-ann', role: 'SOFTWARE_DOWNLOAD' }),
    e('UserDeactivated', { accountId: A1, userId: 'u-gone' }),
    e('GroupCreated', { accountId: A1, groupId: 'g-civil', name: 'Civil', productIds: ['p-civil'] }),
    e('GroupMemberAdded', { accountId: A1, groupId: 'g-civil', userId: 'u-bob' }),
    e('GroupCreated', { accountId: A1, groupId: 'g-none', name: 'Nothing', productIds: [] }),
    e('GroupMemberAdded', { accountId: A1, groupId: 'g-none', userId: 'u-carl' }),
    e('AlertRuleSet', { accountId: A1, ruleId: 'r-deny', productId: 'p-road', thresholdSeats: 1, action: 'DENY', notifyUserIds: [] }),
    e('AlertRuleSet', { accountId: A1, ruleId: 'r-notify', productId: 'p-civil', thresholdSeats: 1, action: 'NOTIFY', notifyUserIds: [] }),
    session(A1, 's1', 'u-ann', 'p-civil', '2026-11-23T10:00:00.000Z'),
    session(A1, 's2', 'u-ann', 'p-civil', '2026-11-23T09:00:00.000Z'),
    session(A1, 's3', 'u-admin', 'p-road', '2026-11-23T09:30:00.000Z'),
    session(A1, 's4', 'u-bob', 'p-civil', '2026-11-23T07:00:00.000Z'),
    e('UsageEnded', { ...ids('u-bob', 'p-civil'), sessionId: 's4', endedAt: '2026-11-23T07:30:00.000Z' }),
    session(A1, 's6', 'u-carl', 'p-civil', '2026-11-23T06:00:00.000Z'),
    e('UsageTimedOut', { ...ids('u-carl', 'p-civil'), sessionId: 's6', lastHeartbeatAt: '2026-11-23T06:10:00.000Z', timedOutAt: '2026-11-23T06:25:00.000Z' }),
    e('UsageDenied', { ...ids('u-carl', 'p-road'), sessionId: 's7', machineId: 'm-s7', denyReason: 'GROUP_RESTRICTED', deniedAt: '2026-11-23T06:30:00.000Z' }),
    checkout('c1', 'u-bob', '2026-11-23T08:00:00.000Z', FAR_FUTURE),
    checkout('c2', 'u-aud', '2026-11-20T08:00:00.000Z', '2026-11-21T08:00:00.000Z'),
    checkout('c3', 'u-ann', '2026-11-22T08:00:00.000Z', FAR_FUTURE),
    e('LicenseCheckedIn', { ...ids('u-ann', 'p-civil'), checkoutId: 'c3', checkedInAt: '2026-11-22T18:00:00.000Z' }),
    checkout('c4', 'u-ann', '2026-11-23T11:00:00.000Z', FAR_FUTURE),
    e('AlertRaised', {
      accountId: A1,
      alertId: 'al-2',
      ruleId: 'r-notify',
      productId: 'p-civil',
      seatsInUse: 2,
      thresholdSeats: 1,
      seats: 2,
      raisedAt: '2026-11-22T10:00:00.000Z',
    }),
    e('AlertRaised', {
      accountId: A1,
      alertId: 'al-1',
      ruleId: 'r-notify',
      productId: 'p-civil',
      seatsInUse: 1,
      thresholdSeats: 1,
      seats: 2,
      raisedAt: '2026-11-20T10:00:00.000Z',
    }),
    e('AccountOpened', { accountId: A2, name: 'Other', entitlementCountry: 'US', openedAt: LONG_AGO }),
    entitlement(A2, 'e-a2', 'p-civil', 'US', 1, 7),
    user(A2, 'u-zed'),
    e('RoleGranted', { accountId: A2, userId: 'u-zed', role: 'ACCOUNT_ADMINISTRATOR' }),
    session(A2, 's5', 'u-zed', 'p-civil', '2026-11-23T08:30:00.000Z'),
    e('AlertRaised', {
      accountId: A2,
      alertId: 'al-a2',
      ruleId: 'r-a2',
      productId: 'p-civil',
      seatsInUse: 1,
      thresholdSeats: 1,
      seats: 1,
      raisedAt: '2026-11-21T10:00:00.000Z',
    }),
  );
  return kit;
}

/** A request context for the user registered as `<userId>@example.com`, or the operator, or a stranger. */
export function contextOf(store: ReadStore, who: string | { operator: true } | { unregistered: true }): QueryContext {
  const principal =
    typeof who === 'string'
      ? { sub: who, email: `${who}@example.com`, operator: false }
      : 'operator' in who
        ? { sub: 'back-office', operator: true }
        : { sub: 'stranger', email: 'nobody@example.com', operator: false };
  let viewer: Promise<Viewer> | undefined;
  return { viewer: () => (viewer ??= resolveViewer(principal, store)) };
}
