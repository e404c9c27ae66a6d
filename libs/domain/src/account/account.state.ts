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
}

/**
 * Version of the AccountState shape and of what evolveAccount puts in it: the command
 * side's snapshots record it and rebuild a state of another version from the log. Raise
 * it with every such change (the shape test in account.state.unit.spec.ts fails until then).
 */
export const ACCOUNT_STATE_VERSION = 1;

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
});
