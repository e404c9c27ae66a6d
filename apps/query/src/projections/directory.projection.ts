import type { WriteOp } from '@ses/read-store';
import { COLLECTIONS as C, unhandled, type ProjectedEvent, type Projection } from './projection';

/** Accounts, entitlements, users (with roles and groups), groups (with members) and alert rules. */
export const directoryProjection: Projection = {
  name: 'directory',
  version: 1,
  collections: [C.accounts, C.entitlements, C.users, C.groups, C.alertRules],
  indexes: [
    { collection: C.entitlements, fields: { accountId: 1 } },
    { collection: C.users, fields: { accountId: 1 } },
    { collection: C.users, fields: { emailNormalized: 1 } },
    { collection: C.groups, fields: { accountId: 1 } },
    { collection: C.alertRules, fields: { accountId: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    const position = event.position;
    const upsert = (collection: string, id: string, update: Record<string, unknown>): WriteOp => ({ kind: 'upsert', collection, id, update, position });
    switch (event.type) {
      case 'AccountOpened': {
        const d = event.data;
        return [
          upsert(C.accounts, d.accountId, {
            $set: { name: d.name, entitlementCountry: d.entitlementCountry, openedAt: d.openedAt ?? event.metadata.occurredAt },
          }),
        ];
      }
      case 'EntitlementGranted': {
        const { entitlementId, ...rest } = event.data;
        return [upsert(C.entitlements, entitlementId, { $set: { ...rest, revoked: false, revokedReason: null } })];
      }
      case 'EntitlementRevoked': {
        const d = event.data;
        return [
          upsert(C.entitlements, d.entitlementId, {
            $set: { revoked: true, revokedReason: d.reason ?? null, revokedAt: String(event.metadata.occurredAt ?? event.recordedAt.toISOString()) },
          }),
        ];
      }
      case 'UserRegistered': {
        const { userId, email, ...rest } = event.data;
        return [
          upsert(C.users, userId, {
            $set: {
              ...rest,
              email,
              emailNormalized: email.trim().toLowerCase(),
              status: 'ACTIVE',
              registeredAt: rest.registeredAt ?? event.metadata.occurredAt,
            },
            $setOnInsert: { roles: [], groupIds: [] },
          }),
        ];
      }
      case 'UserDeactivated': {
        const d = event.data;
        return [upsert(C.users, d.userId, { $set: { status: 'DEACTIVATED' } })];
      }
      case 'RoleGranted': {
        const d = event.data;
        return [upsert(C.users, d.userId, { $addToSet: { roles: d.role } })];
      }
      case 'RoleRevoked': {
        const d = event.data;
        return [upsert(C.users, d.userId, { $pull: { roles: d.role } })];
      }
      case 'GroupCreated': {
        const d = event.data;
        return [upsert(C.groups, d.groupId, { $set: { accountId: d.accountId, name: d.name, productIds: d.productIds }, $setOnInsert: { memberIds: [] } })];
      }
      case 'GroupProductsSet': {
        const d = event.data;
        return [upsert(C.groups, d.groupId, { $set: { productIds: d.productIds } })];
      }
      case 'GroupMemberAdded': {
        const d = event.data;
        return [upsert(C.groups, d.groupId, { $addToSet: { memberIds: d.userId } }), upsert(C.users, d.userId, { $addToSet: { groupIds: d.groupId } })];
      }
      case 'GroupMemberRemoved': {
        const d = event.data;
        return [upsert(C.groups, d.groupId, { $pull: { memberIds: d.userId } }), upsert(C.users, d.userId, { $pull: { groupIds: d.groupId } })];
      }
      case 'AlertRuleSet': {
        const { ruleId, ...rest } = event.data;
        return [upsert(C.alertRules, ruleId, { $set: rest })];
      }
      case 'AlertRuleRemoved': {
        const d = event.data;
        return [{ kind: 'delete', collection: C.alertRules, filter: { _id: d.ruleId }, position }];
      }
      case 'AlertRaised':
      case 'UsageStarted':
      case 'UsageDenied':
      case 'UsageHeartbeat':
      case 'UsageEnded':
      case 'UsageTimedOut':
      case 'LicenseCheckedOut':
      case 'LicenseCheckedIn':
      case 'CheckoutExpired':
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
