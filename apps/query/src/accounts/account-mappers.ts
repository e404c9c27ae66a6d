import { entitlementStatus } from '@ses/domain';
import type { UserDoc } from '../auth/viewer';
import {
  type AlertAction,
  type AlertRule,
  type Entitlement,
  type EntitlementStatus,
  type Group,
  type Role,
  type User,
  type UserStatus,
} from '../graphql/types';
import type { AlertRuleDoc, EntitlementDoc, GroupDoc } from './account-docs';

export function toEntitlement(doc: EntitlementDoc): Entitlement {
  const { _id, revoked, revokedReason: _r, ...fields } = doc;
  const status = entitlementStatus({ startsAt: fields.startsAt, endsAt: fields.endsAt, revoked }, new Date().toISOString());
  return { ...fields, id: _id, status: status as EntitlementStatus } as Entitlement;
}

export function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    accountId: doc.accountId,
    email: doc.email,
    displayName: doc.displayName,
    country: doc.country,
    status: doc.status as UserStatus,
    roles: (doc.roles ?? []) as Role[],
    registeredAt: doc.registeredAt,
  } as User;
}

export function toGroup(doc: GroupDoc): Group {
  return { id: doc._id, accountId: doc.accountId, name: doc.name, productIds: doc.productIds ?? [] } as Group;
}

export function toAlertRule(doc: AlertRuleDoc): AlertRule {
  return {
    id: doc._id,
    accountId: doc.accountId,
    productId: doc.productId,
    thresholdSeats: doc.thresholdSeats,
    action: doc.action as AlertAction,
    notifyUserIds: doc.notifyUserIds ?? [],
  };
}
