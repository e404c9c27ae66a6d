import type { AlertAction, Role } from '@ses/events';

export interface EntitlementState {
  entitlementId: string;
  productId: string;
  productName: string;
  seats: number;
  startsAt: string;
  endsAt: string;
  country: string;
  offlineDays: number;
  checkoutAllowed: boolean;
  maxCheckoutDays: number;
  revoked: boolean;
  revokedReason: string | null;
}

export interface UserState {
  userId: string;
  /** As registered (original case). */
  email: string;
  emailNormalized: string;
  displayName: string;
  country: string;
  active: boolean;
  roles: Role[];
  registeredAt: string;
  groupIds: string[];
}

export interface GroupState {
  groupId: string;
  name: string;
  productIds: string[];
  memberIds: string[];
}

export interface AlertRuleState {
  ruleId: string;
  productId: string;
  thresholdSeats: number;
  action: AlertAction;
  notifyUserIds: string[];
}

export interface WebhookState {
  webhookId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
}

/** The organisation's directory: one aggregate, the consistency boundary of the last-administrator rule. */
export interface AccountState {
  exists: boolean;
  accountId: string;
  name: string;
  entitlementCountry: string;
  openedAt: string;
  entitlements: Record<string, EntitlementState>;
  users: Record<string, UserState>;
  groups: Record<string, GroupState>;
  alertRules: Record<string, AlertRuleState>;
  /** Webhooks that are set (removed ones are gone). */
  webhooks: Record<string, WebhookState>;
}

export const initialAccountState = (): AccountState => ({
  exists: false,
  accountId: '',
  name: '',
  entitlementCountry: '',
  openedAt: '',
  entitlements: {},
  users: {},
  groups: {},
  alertRules: {},
  webhooks: {},
});
