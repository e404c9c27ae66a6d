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

export type RegistrationStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

/** A person's request to join the account (onboarding). */
export interface RegistrationRequestState {
  requestId: string;
  /** Normalized (the token's lower-cased email). */
  email: string;
  displayName: string;
  country: string;
  status: RegistrationStatus;
  requestedAt: string;
  /** Set once approved. */
  userId: string | null;
  decidedAt: string | null;
  /** The deciding user's id ('operator' for the operator); null while pending or when auto-approved. */
  decidedBy: string | null;
  reason: string | null;
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
  /** Email domains the account claims (lower-case host names). */
  domains: string[];
  /** A person of those domains who asks to join is registered at once. */
  autoApprove: boolean;
  registrationRequests: Record<string, RegistrationRequestState>;
  /** Webhooks that are set (removed ones are gone). */
  webhooks: Record<string, WebhookState>;
}

/**
 * Version of the AccountState shape and of what evolveAccount puts in it: the command
 * side's snapshots record it and rebuild a state of another version from the log. Raise
 * it with every such change (the shape test in account.state.unit.spec.ts fails until then).
 */
export const ACCOUNT_STATE_VERSION = 2;

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
  domains: [],
  autoApprove: false,
  registrationRequests: {},
  webhooks: {},
});
