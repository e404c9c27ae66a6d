import type { WriteOp } from '@ses/read-store';
import { COLLECTIONS as C, poolKey, sessionKey, unhandled, type ProjectedEvent, type Projection } from './projection';

/**
 * Sessions, check-outs and alerts. While a session or check-out holds a seat it carries
 * `activeKey` (account|product), so seat holders are found through one index without
 * scanning history; ending it unsets the key.
 */
export const licensingProjection: Projection = {
  name: 'licensing',
  // 2: sessions keyed by account and session (sessionKey), with their sessionId.
  version: 2,
  collections: [C.sessions, C.checkouts, C.alerts],
  indexes: [
    { collection: C.sessions, fields: { activeKey: 1 } },
    { collection: C.checkouts, fields: { activeKey: 1 } },
    { collection: C.checkouts, fields: { accountId: 1 } },
    { collection: C.alerts, fields: { accountId: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    const position = event.position;
    const upsert = (collection: string, id: string, update: Record<string, unknown>): WriteOp[] => [{ kind: 'upsert', collection, id, update, position }];
    switch (event.type) {
      case 'UsageStarted': {
        const { seatsInUse: _level, ...d } = event.data;
        return upsert(C.sessions, sessionKey(d.accountId, d.sessionId), {
          $set: { ...d, lastHeartbeatAt: d.startedAt, endedAt: null, status: 'ACTIVE', denyReason: null, activeKey: poolKey(d.accountId, d.productId) },
        });
      }
      case 'UsageDenied': {
        const d = event.data;
        return upsert(C.sessions, sessionKey(d.accountId, d.sessionId), { $set: { ...d, startedAt: d.deniedAt, status: 'DENIED', termLicenseUsage: false } });
      }
      case 'UsageHeartbeat': {
        const d = event.data;
        return upsert(C.sessions, sessionKey(d.accountId, d.sessionId), { $set: { lastHeartbeatAt: d.at } });
      }
      case 'UsageEnded': {
        const d = event.data;
        return upsert(C.sessions, sessionKey(d.accountId, d.sessionId), { $set: { status: 'ENDED', endedAt: d.endedAt }, $unset: { activeKey: '' } });
      }
      case 'UsageTimedOut': {
        const d = event.data;
        // A timed-out session's minutes run to its last heartbeat.
        return upsert(C.sessions, sessionKey(d.accountId, d.sessionId), {
          $set: { status: 'TIMED_OUT', endedAt: d.lastHeartbeatAt, timedOutAt: d.timedOutAt },
          $unset: { activeKey: '' },
        });
      }
      case 'LicenseCheckedOut': {
        const { checkoutId, ...d } = event.data;
        return upsert(C.checkouts, checkoutId, { $set: { ...d, checkedInAt: null, status: 'ACTIVE', activeKey: poolKey(d.accountId, d.productId) } });
      }
      case 'LicenseCheckedIn': {
        const d = event.data;
        return upsert(C.checkouts, d.checkoutId, { $set: { status: 'CHECKED_IN', checkedInAt: d.checkedInAt }, $unset: { activeKey: '' } });
      }
      case 'CheckoutExpired': {
        const d = event.data;
        return upsert(C.checkouts, d.checkoutId, { $set: { status: 'EXPIRED' }, $unset: { activeKey: '' } });
      }
      case 'AlertRaised': {
        const { alertId, ...d } = event.data;
        return upsert(C.alerts, alertId, { $set: d });
      }
      case 'AccountOpened':
      case 'EntitlementGranted':
      case 'EntitlementRevoked':
      case 'UserRegistered':
      case 'UserDeactivated':
      case 'RoleGranted':
      case 'RoleRevoked':
      case 'GroupCreated':
      case 'GroupProductsSet':
      case 'GroupMemberAdded':
      case 'GroupMemberRemoved':
      case 'AlertRuleSet':
      case 'AlertRuleRemoved':
      case 'EmailReserved':
      case 'EmailReleased':
      case 'AccountDomainsSet':
      case 'RegistrationRequested':
      case 'RegistrationApproved':
      case 'RegistrationRejected':
      case 'DomainClaimed':
      case 'DomainReleased':
      case 'WebhookSet':
      case 'WebhookRemoved':
        return [];
      default:
        return unhandled(event);
    }
  },
};
