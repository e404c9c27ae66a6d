import { streams } from '@ses/events';
import { ChainedWriter } from './chained-writer';

export const A1 = 'acc-audit-1';
export const A2 = 'acc-audit-2';
export const PRODUCT = 'MSTN';

/** Positions of the events the tests refer to. */
export interface AuditHistory {
  auditorGranted: bigint;
  firstV1UsageStarted: bigint;
  coAdminGranted: bigint;
  /** Events of A1's streams (account stream + seat pool). */
  a1Events: number;
}

/**
 * A realistic history of account A1 (and a little of A2, interleaved):
 *  01-10 opened (admin), 01-11 MSTN entitlement, 01-12 bob registered, 01-13 bob AUDITOR,
 *  01-14 bob's session (stored as UsageStarted v1, without productVersion/country) started and ended,
 *  01-15 group with bob, 01-20 bob CO_ADMINISTRATOR, 01-21 admin's session (v1) still open,
 *  01-21 bob denied a product never granted (its own seat-pool stream), 01-22 alert rule, 02-01 entitlement revoked, 02-02 bob's AUDITOR revoked and bob left the group,
 *  02-03 domain acme.test claimed and set, 02-04 pat asked to join, 02-05 approved (pat registered), 02-06 a second domain and auto-approval.
 */
export async function writeAuditHistory(writer: ChainedWriter): Promise<AuditHistory> {
  const acc = streams.account(A1);
  const pool = streams.seatPool(A1, PRODUCT);
  let a1Events = 0;
  const a1 = async (stream: string, at: string, type: Parameters<ChainedWriter['append']>[2], data: Record<string, unknown>, version?: number) => {
    a1Events++;
    return writer.append(stream, at, type, { accountId: A1, ...data }, version);
  };
  await a1(acc, '2025-01-10T09:00:00.000Z', 'AccountOpened', { name: 'Acme Audit', entitlementCountry: 'US', openedAt: '2025-01-10T09:00:00.000Z' });
  await a1(acc, '2025-01-10T09:00:00.000Z', 'UserRegistered', {
    userId: 'u-admin',
    email: 'admin@acme.test',
    displayName: 'Admin',
    country: 'US',
    registeredAt: '2025-01-10T09:00:00.000Z',
  });
  await a1(acc, '2025-01-10T09:00:00.000Z', 'RoleGranted', { userId: 'u-admin', role: 'ACCOUNT_ADMINISTRATOR' });
  await writer.append(streams.account(A2), '2025-01-10T10:00:00.000Z', 'AccountOpened', {
    accountId: A2,
    name: 'Other',
    entitlementCountry: 'DE',
    openedAt: '2025-01-10T10:00:00.000Z',
  });
  await a1(acc, '2025-01-11T09:00:00.000Z', 'EntitlementGranted', {
    entitlementId: 'ent-1',
    productId: PRODUCT,
    productName: 'MicroStation',
    seats: 5,
    startsAt: '2025-01-01T00:00:00.000Z',
    endsAt: '2026-01-01T00:00:00.000Z',
    country: 'US',
    offlineDays: 7,
    checkoutAllowed: true,
    maxCheckoutDays: 30,
  });
  await a1(acc, '2025-01-12T09:00:00.000Z', 'UserRegistered', {
    userId: 'u-bob',
    email: 'bob@acme.test',
    displayName: 'Bob',
    country: 'US',
    registeredAt: '2025-01-12T09:00:00.000Z',
  });
  const auditorGranted = await a1(acc, '2025-01-13T09:00:00.000Z', 'RoleGranted', { userId: 'u-bob', role: 'AUDITOR' });
  const session = { userId: 'u-bob', productId: PRODUCT };
  const firstV1UsageStarted = await a1(
    pool,
    '2025-01-14T10:00:00.000Z',
    'UsageStarted',
    { sessionId: 's-1', ...session, machineId: 'm-1', termLicenseUsage: false, startedAt: '2025-01-14T10:00:00.000Z' },
    1,
  );
  await a1(pool, '2025-01-14T10:05:00.000Z', 'UsageHeartbeat', { sessionId: 's-1', ...session, at: '2025-01-14T10:05:00.000Z' });
  await a1(pool, '2025-01-14T11:00:00.000Z', 'UsageEnded', { sessionId: 's-1', ...session, endedAt: '2025-01-14T11:00:00.000Z' });
  await a1(acc, '2025-01-15T09:00:00.000Z', 'GroupCreated', { groupId: 'g-civil', name: 'Civil', productIds: [PRODUCT] });
  await a1(acc, '2025-01-15T09:01:00.000Z', 'GroupMemberAdded', { groupId: 'g-civil', userId: 'u-bob' });
  const coAdminGranted = await a1(acc, '2025-01-20T09:00:00.000Z', 'RoleGranted', { userId: 'u-bob', role: 'CO_ADMINISTRATOR' });
  await a1(
    pool,
    '2025-01-21T10:00:00.000Z',
    'UsageStarted',
    { sessionId: 's-2', userId: 'u-admin', productId: PRODUCT, machineId: 'm-2', termLicenseUsage: false, startedAt: '2025-01-21T10:00:00.000Z' },
    1,
  );
  await writer.append(streams.account(A2), '2025-01-21T11:00:00.000Z', 'UserRegistered', {
    accountId: A2,
    userId: 'u-eve',
    email: 'eve@other.test',
    displayName: 'Eve',
    country: 'DE',
    registeredAt: '2025-01-21T11:00:00.000Z',
  });
  await writer.append(streams.account(A2), '2025-01-21T11:01:00.000Z', 'EntitlementGranted', {
    accountId: A2,
    entitlementId: 'ent-2',
    productId: PRODUCT,
    productName: 'MicroStation',
    seats: 1,
    startsAt: '2025-03-01T00:00:00.000Z',
    endsAt: '2025-05-01T00:00:00.000Z',
    country: 'DE',
    offlineDays: 0,
    checkoutAllowed: false,
    maxCheckoutDays: 0,
  });
  // A pool of a product A1 was never entitled to: only a denied start (found through the accountStreams read model).
  await a1(streams.seatPool(A1, 'NOT-GRANTED'), '2025-01-21T11:30:00.000Z', 'UsageDenied', {
    sessionId: 's-3',
    userId: 'u-bob',
    productId: 'NOT-GRANTED',
    machineId: 'm-1',
    denyReason: 'NOT_ENTITLED',
    deniedAt: '2025-01-21T11:30:00.000Z',
  });
  await a1(acc, '2025-01-22T09:00:00.000Z', 'AlertRuleSet', {
    ruleId: 'r-1',
    productId: PRODUCT,
    thresholdSeats: 4,
    action: 'NOTIFY',
    notifyUserIds: ['u-admin'],
  });
  await a1(acc, '2025-02-01T09:00:00.000Z', 'EntitlementRevoked', { entitlementId: 'ent-1', productId: PRODUCT, reason: 'contract ended early' });
  await a1(acc, '2025-02-02T09:00:00.000Z', 'RoleRevoked', { userId: 'u-bob', role: 'AUDITOR' });
  await a1(acc, '2025-02-02T09:01:00.000Z', 'GroupMemberRemoved', { groupId: 'g-civil', userId: 'u-bob' });
  // Onboarding: the domain's claim is a stream of its own, shared by accounts over time (no account's history).
  await writer.append(streams.domain('acme.test'), '2025-02-03T09:00:00.000Z', 'DomainClaimed', { domain: 'acme.test', accountId: A1 });
  await a1(acc, '2025-02-03T09:00:00.000Z', 'AccountDomainsSet', { domains: ['acme.test'], autoApprove: false });
  await a1(acc, '2025-02-04T09:00:00.000Z', 'RegistrationRequested', {
    requestId: 'rq-pat',
    email: 'pat@acme.test',
    displayName: 'Pat',
    country: 'US',
    requestedAt: '2025-02-04T09:00:00.000Z',
  });
  await a1(acc, '2025-02-05T09:00:00.000Z', 'RegistrationApproved', {
    requestId: 'rq-pat',
    userId: 'u-pat',
    decidedBy: 'u-admin',
    decidedByName: 'Admin',
    decidedAt: '2025-02-05T09:00:00.000Z',
  });
  await a1(acc, '2025-02-05T09:00:00.000Z', 'UserRegistered', {
    userId: 'u-pat',
    email: 'pat@acme.test',
    displayName: 'Pat',
    country: 'US',
    registeredAt: '2025-02-05T09:00:00.000Z',
    requestId: 'rq-pat',
  });
  await writer.append(streams.domain('acme-eng.test'), '2025-02-06T09:00:00.000Z', 'DomainClaimed', { domain: 'acme-eng.test', accountId: A1 });
  await a1(acc, '2025-02-06T09:00:00.000Z', 'AccountDomainsSet', { domains: ['acme.test', 'acme-eng.test'], autoApprove: true });
  return { auditorGranted, firstV1UsageStarted, coAdminGranted, a1Events };
}
