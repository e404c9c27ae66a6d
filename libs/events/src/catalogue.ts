// The event catalogue of the contract (../shared/contract/README.md, "Events").
// Data shapes are part of the public contract: add fields, never change them;
// a changed shape gets a new schema version and an upcaster (see upcasters.ts).

export type Role = 'ACCOUNT_ADMINISTRATOR' | 'CO_ADMINISTRATOR' | 'SOFTWARE_DOWNLOAD' | 'AUDITOR';
export const ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD', 'AUDITOR'];
export type AlertAction = 'NOTIFY' | 'DENY';
export const ALERT_ACTIONS: readonly AlertAction[] = ['NOTIFY', 'DENY'];
export type DenyReason = 'NOT_REGISTERED' | 'USER_DEACTIVATED' | 'NOT_ENTITLED' | 'GROUP_RESTRICTED' | 'THRESHOLD_REACHED';
export const DENY_REASONS: readonly DenyReason[] = ['NOT_REGISTERED', 'USER_DEACTIVATED', 'NOT_ENTITLED', 'GROUP_RESTRICTED', 'THRESHOLD_REACHED'];

// Type aliases, not interfaces: event data must be assignable to a plain JSON record.
/** Added by the seat pool to seat-changing events so analytics needs no reads: seats in use right after the event. */
type SeatLevel = {
  seatsInUse?: number;
};

/** Added to ended and timed-out sessions: where and since when the session ran (country: absent on events recorded before it was added). */
type SessionOrigin = {
  startedAt?: string | null;
  machineId?: string | null;
  country?: string | null;
};

export interface EventDataByType {
  AccountOpened: { accountId: string; name: string; entitlementCountry: string; openedAt: string };
  EntitlementGranted: {
    accountId: string;
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
  };
  EntitlementRevoked: { accountId: string; entitlementId: string; productId: string; reason: string | null };
  /** `requestId`: set when the user joined through a registration request (approved or auto-approved). */
  UserRegistered: { accountId: string; userId: string; email: string; displayName: string; country: string; registeredAt: string; requestId?: string };
  UserDeactivated: { accountId: string; userId: string };
  RoleGranted: { accountId: string; userId: string; role: Role };
  RoleRevoked: { accountId: string; userId: string; role: Role };
  GroupCreated: { accountId: string; groupId: string; name: string; productIds: string[] };
  GroupProductsSet: { accountId: string; groupId: string; productIds: string[] };
  GroupMemberAdded: { accountId: string; groupId: string; userId: string };
  GroupMemberRemoved: { accountId: string; groupId: string; userId: string };
  AlertRuleSet: { accountId: string; ruleId: string; productId: string; thresholdSeats: number; action: AlertAction; notifyUserIds: string[] };
  AlertRuleRemoved: { accountId: string; ruleId: string; productId: string };
  AlertRaised: {
    accountId: string;
    alertId: string;
    ruleId: string;
    productId: string;
    seatsInUse: number;
    thresholdSeats: number;
    seats: number;
    raisedAt: string;
  };
  UsageStarted: {
    accountId: string;
    sessionId: string;
    userId: string;
    productId: string;
    machineId: string;
    productVersion: string | null;
    termLicenseUsage: boolean;
    country: string;
    startedAt: string;
  } & SeatLevel;
  UsageDenied: { accountId: string; sessionId: string; userId: string; productId: string; machineId: string; denyReason: DenyReason; deniedAt: string };
  UsageHeartbeat: { accountId: string; sessionId: string; userId: string; productId: string; at: string };
  UsageEnded: { accountId: string; sessionId: string; userId: string; productId: string; endedAt: string } & SeatLevel & SessionOrigin;
  UsageTimedOut: { accountId: string; sessionId: string; userId: string; productId: string; lastHeartbeatAt: string; timedOutAt: string } & SeatLevel &
    SessionOrigin;
  LicenseCheckedOut: {
    accountId: string;
    checkoutId: string;
    userId: string;
    productId: string;
    machineId: string;
    checkedOutAt: string;
    expiresAt: string;
  } & SeatLevel;
  LicenseCheckedIn: { accountId: string; checkoutId: string; userId: string; productId: string; checkedInAt: string } & SeatLevel;
  CheckoutExpired: { accountId: string; checkoutId: string; userId: string; productId: string; expiredAt: string } & SeatLevel;
  /** Service-internal: the email-reservation stream that keeps emails unique across accounts. `requestId`: held for a registration request. */
  EmailReserved: { email: string; accountId: string; userId: string; requestId?: string };
  /** Service-internal: a reservation given back because its registration did not complete. */
  EmailReleased: { email: string; accountId: string; userId: string; requestId?: string };
  /** The account's email domains (lower-case host names) and whether a person of those domains who asks to join is registered at once. */
  AccountDomainsSet: { accountId: string; domains: string[]; autoApprove: boolean };
  /** A person (token email not registered) asks to join the account claiming their email's domain. */
  RegistrationRequested: { accountId: string; requestId: string; email: string; displayName: string; country: string; requestedAt: string };
  /** `decidedBy`: the deciding user's id ('operator' for the operator), null when auto-approved; always followed by UserRegistered (with requestId). */
  RegistrationApproved: { accountId: string; requestId: string; userId: string; decidedBy: string | null; decidedByName: string | null; decidedAt: string };
  RegistrationRejected: { accountId: string; requestId: string; reason: string | null; decidedBy: string; decidedByName: string; decidedAt: string };
  /** Service-internal: the domain-claim stream that keeps a domain with at most one account. */
  DomainClaimed: { domain: string; accountId: string };
  /** Service-internal: a claim given back (dropped by the account, or its setAccountDomains did not complete). */
  DomainReleased: { domain: string; accountId: string };
  /** Events of the account whose type is listed are POSTed to `url` (contract extension "notifications"). */
  WebhookSet: { accountId: string; webhookId: string; url: string; eventTypes: string[]; description: string | null };
  WebhookRemoved: { accountId: string; webhookId: string };
}

export type EventType = keyof EventDataByType;
export type DomainEvent<T extends EventType = EventType> = T extends EventType ? { type: T; data: EventDataByType[T] } : never;
export type EventOf<T extends EventType> = { type: T; data: EventDataByType[T] };

export const EVENT_TYPES = [
  'AccountOpened',
  'EntitlementGranted',
  'EntitlementRevoked',
  'UserRegistered',
  'UserDeactivated',
  'RoleGranted',
  'RoleRevoked',
  'GroupCreated',
  'GroupProductsSet',
  'GroupMemberAdded',
  'GroupMemberRemoved',
  'AlertRuleSet',
  'AlertRuleRemoved',
  'AlertRaised',
  'UsageStarted',
  'UsageDenied',
  'UsageHeartbeat',
  'UsageEnded',
  'UsageTimedOut',
  'LicenseCheckedOut',
  'LicenseCheckedIn',
  'CheckoutExpired',
  'EmailReserved',
  'EmailReleased',
  'AccountDomainsSet',
  'RegistrationRequested',
  'RegistrationApproved',
  'RegistrationRejected',
  'DomainClaimed',
  'DomainReleased',
  'WebhookSet',
  'WebhookRemoved',
] as const satisfies readonly EventType[];

export const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

/**
 * The account an event concerns, or null for the service-internal email-reservation
 * and domain-claim streams (shared by accounts over time: an email or a domain released
 * by one account may be reserved or claimed by another), which are no account's history.
 */
export function accountOfEvent(event: DomainEvent): string | null {
  switch (event.type) {
    case 'EmailReserved':
    case 'EmailReleased':
    case 'DomainClaimed':
    case 'DomainReleased':
      return null;
    default:
      return event.data.accountId;
  }
}

/**
 * Current schema version of each event type's data; bump it together with an upcaster.
 * UsageStarted v2 added productVersion and country (v1 lacked them; see upcasters.ts).
 */
export const SCHEMA_VERSIONS: Record<EventType, number> = {
  ...(Object.fromEntries(EVENT_TYPES.map((t) => [t, 1])) as Record<EventType, number>),
  UsageStarted: 2,
};
