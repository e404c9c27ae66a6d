/**
 * The GraphQL operations the portal sends (query.graphql and command.graphql of the
 * contract), with the shapes of their answers.
 */
import type { Role } from '../app/viewer';

export type EntitlementStatus = 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'REVOKED';
export type UsageDimension = 'PRODUCT' | 'USER' | 'GROUP' | 'COUNTRY' | 'MACHINE' | 'DAY';
export type AlertAction = 'NOTIFY' | 'DENY';
export type CheckoutStatus = 'ACTIVE' | 'CHECKED_IN' | 'EXPIRED';

export interface Entitlement {
  id: string;
  productId: string;
  productName: string;
  seats: number;
  status: EntitlementStatus;
  startsAt: string;
  endsAt: string;
  country: string;
  checkoutAllowed: boolean;
  maxCheckoutDays: number;
  offlineDays: number;
}
export interface GroupRef {
  id: string;
  name: string;
}
export interface User {
  id: string;
  email: string;
  displayName: string;
  country: string;
  status: 'ACTIVE' | 'DEACTIVATED';
  roles: Role[];
  registeredAt: string;
  groups: GroupRef[];
}
export interface Group {
  id: string;
  name: string;
  productIds: string[];
  members: { id: string; email: string; displayName: string }[];
}
export interface AlertRule {
  id: string;
  productId: string;
  thresholdSeats: number;
  action: AlertAction;
  notifyUserIds: string[];
}
export interface Account {
  id: string;
  name: string;
  entitlementCountry: string;
  openedAt: string;
  entitlements: Entitlement[];
}
export interface Alert {
  id: string;
  ruleId: string;
  productId: string;
  raisedAt: string;
  seatsInUse: number;
  thresholdSeats: number;
  seats: number;
}
export interface ConcurrencyPoint {
  bucketStart: string;
  peakInUse: number;
  seats: number;
}
export interface UsageReportRow {
  productId: string | null;
  userId: string | null;
  groupId: string | null;
  country: string | null;
  machineId: string | null;
  day: string | null;
  sessions: number;
  usageMinutes: number;
  distinctUsers: number;
  peakConcurrent: number;
}
export interface TermUsageRow {
  productId: string;
  day: string;
  peakInUse: number;
  seats: number;
  overage: number;
}
export interface SeatHolder {
  userId: string;
  sessionIds: string[];
  checkoutId: string | null;
  since: string;
}
export interface Checkout {
  id: string;
  userId: string;
  productId: string;
  machineId: string;
  checkedOutAt: string;
  expiresAt: string;
  checkedInAt: string | null;
  status: CheckoutStatus;
}
export interface RecordedEvent {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface PolicyProduct {
  productId: string;
  productName: string;
  allowed: boolean;
  denyReason: string | null;
  offlineDays: number;
  checkoutAllowed: boolean;
  maxCheckoutDays: number;
  termLicenseUsageLikely: boolean;
}
export interface UsageEvent {
  type: 'STARTED' | 'ENDED' | 'TIMED_OUT' | 'DENIED';
  sessionId: string;
  userId: string;
  productId: string;
  machineId: string;
  at: string;
  termLicenseUsage: boolean;
  denyReason: string | null;
}

const ENTITLEMENT = 'id productId productName seats status startsAt endsAt country checkoutAllowed maxCheckoutDays offlineDays';
const USER = 'id email displayName country status roles registeredAt groups { id name }';

export const ME = `query Me { me { id accountId email displayName status roles } }`;
export interface MeData {
  me: { id: string; accountId: string; email: string; displayName: string; status: 'ACTIVE' | 'DEACTIVATED'; roles: Role[] } | null;
}

export const ACCOUNT_SUMMARY = `query AccountSummary($id: ID!) { account(id: $id) { id name entitlementCountry openedAt entitlements { ${ENTITLEMENT} } } }`;
export interface AccountSummaryData {
  account: Account | null;
}

export const ACCOUNT_DIRECTORY = `query AccountDirectory($id: ID!) {
  account(id: $id) {
    id name entitlementCountry
    entitlements { ${ENTITLEMENT} }
    users { ${USER} }
    groups { id name productIds members { id email displayName } }
    alertRules { id productId thresholdSeats action notifyUserIds }
  }
}`;
export interface AccountDirectoryData {
  account: (Account & { users: User[]; groups: Group[]; alertRules: AlertRule[] }) | null;
}

export const OVERVIEW_FIGURES = `query OverviewFigures($accountId: ID!, $quarterFrom: DateTime!, $now: DateTime!) {
  termLicenseUsage(accountId: $accountId, from: $quarterFrom, to: $now) { productId day peakInUse seats overage }
}`;
export interface OverviewFiguresData {
  termLicenseUsage: TermUsageRow[];
}

export const CONCURRENCY = `query Concurrency($accountId: ID!, $productId: ID!, $from: DateTime!, $to: DateTime!, $interval: Interval!) {
  concurrency(accountId: $accountId, productId: $productId, from: $from, to: $to, interval: $interval) { bucketStart peakInUse seats }
}`;
export interface ConcurrencyData {
  concurrency: ConcurrencyPoint[];
}

export const USAGE_REPORT = `query UsageReport($accountId: ID!, $from: DateTime!, $to: DateTime!, $groupBy: [UsageDimension!]!, $productId: ID) {
  usageReport(accountId: $accountId, from: $from, to: $to, groupBy: $groupBy, productId: $productId) {
    productId userId groupId country machineId day sessions usageMinutes distinctUsers peakConcurrent
  }
}`;
export interface UsageReportData {
  usageReport: UsageReportRow[];
}

export const TERM_USAGE = `query TermUsage($accountId: ID!, $from: DateTime!, $to: DateTime!) {
  termLicenseUsage(accountId: $accountId, from: $from, to: $to) { productId day peakInUse seats overage }
}`;
export interface TermUsageData {
  termLicenseUsage: TermUsageRow[];
}

export const SEAT_HOLDERS = `query SeatHolders($accountId: ID!, $productId: ID!) { seatHolders(accountId: $accountId, productId: $productId) { userId sessionIds checkoutId since } }`;
export interface SeatHoldersData {
  seatHolders: SeatHolder[];
}

export const CHECKOUTS = `query Checkouts($accountId: ID!, $productId: ID, $status: CheckoutStatus) {
  checkouts(accountId: $accountId, productId: $productId, status: $status) { id userId productId machineId checkedOutAt expiresAt checkedInAt status }
}`;
export interface CheckoutsData {
  checkouts: Checkout[];
}

export const ALERTS = `query Alerts($accountId: ID!, $from: DateTime, $to: DateTime) {
  alerts(accountId: $accountId, from: $from, to: $to) { id ruleId productId raisedAt seatsInUse thresholdSeats seats }
}`;
export interface AlertsData {
  alerts: Alert[];
}

export const EVENT_HISTORY = `query EventHistory($accountId: ID!, $after: String, $first: Int, $types: [String!]) {
  eventHistory(accountId: $accountId, after: $after, first: $first, types: $types) {
    events { position streamId revision type occurredAt data metadata }
    nextCursor
  }
}`;
export interface EventHistoryData {
  eventHistory: { events: RecordedEvent[]; nextCursor: string | null };
}

export const VERIFY_HISTORY = `query VerifyHistory($accountId: ID!) { verifyHistory(accountId: $accountId) { ok eventsChecked firstBrokenPosition } }`;
export interface VerifyHistoryData {
  verifyHistory: { ok: boolean; eventsChecked: number; firstBrokenPosition: string | null };
}

export const ACCOUNT_AS_OF = `query AccountAsOf($accountId: ID!, $at: DateTime!) {
  accountAsOf(accountId: $accountId, at: $at) {
    at
    account {
      id name entitlementCountry openedAt
      entitlements { id productId productName seats status startsAt endsAt country }
      users { id email displayName status roles }
      groups { id name productIds }
      alertRules { id productId thresholdSeats action }
    }
  }
}`;
export interface AccountAsOfData {
  accountAsOf: {
    at: string;
    account:
      | (Omit<Account, 'entitlements'> & {
          entitlements: Pick<Entitlement, 'id' | 'productId' | 'productName' | 'seats' | 'status' | 'startsAt' | 'endsAt' | 'country'>[];
          users: Pick<User, 'id' | 'email' | 'displayName' | 'status' | 'roles'>[];
          groups: Pick<Group, 'id' | 'name' | 'productIds'>[];
          alertRules: Omit<AlertRule, 'notifyUserIds'>[];
        })
      | null;
  };
}

export const POLICY = `query Policy { policy { userId accountId issuedAt expiresAt canDownload products { productId productName allowed denyReason offlineDays checkoutAllowed maxCheckoutDays termLicenseUsageLikely } } }`;
export interface PolicyData {
  policy: { userId: string; accountId: string; issuedAt: string; expiresAt: string; canDownload: boolean; products: PolicyProduct[] };
}

// ---------- onboarding extension (query API) ----------
export type RegistrationStatus = 'PENDING' | 'APPROVED' | 'REJECTED';
export interface RegistrationRequest {
  id: string;
  accountId: string;
  email: string;
  displayName: string;
  country: string;
  status: RegistrationStatus;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  userId: string | null;
}
const REQUEST = 'id accountId email displayName country status requestedAt decidedAt decidedBy reason userId';

export const MY_ADMINISTRATORS = `query MyAdministrators { myAdministrators { userId email displayName roles } }`;
export interface MyAdministratorsData {
  myAdministrators: { userId: string; email: string; displayName: string; roles: Role[] }[];
}
export const MY_REGISTRATION_REQUESTS = `query MyRegistrationRequests { myRegistrationRequests { ${REQUEST} } }`;
export interface MyRegistrationRequestsData {
  myRegistrationRequests: RegistrationRequest[];
}
export const REGISTRATION_REQUESTS = `query RegistrationRequests($accountId: ID!, $status: RegistrationStatus) {
  registrationRequests(accountId: $accountId, status: $status) { ${REQUEST} }
}`;
export interface RegistrationRequestsData {
  registrationRequests: RegistrationRequest[];
}
export const ACCOUNT_DOMAINS = `query AccountDomains($id: ID!) { account(id: $id) { id domains autoApprove } }`;
export interface AccountDomainsData {
  account: { id: string; domains: string[]; autoApprove: boolean } | null;
}

// ---------- notifications extension (query API) ----------
export type WebhookStatus = 'ACTIVE' | 'DISABLED' | 'REMOVED';
export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';
export interface Webhook {
  id: string;
  accountId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: WebhookStatus;
  createdAt: string;
}
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventType: string;
  eventPosition: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}
export const WEBHOOKS = `query Webhooks($accountId: ID!) { webhooks(accountId: $accountId) { id accountId url eventTypes description status createdAt } }`;
export interface WebhooksData {
  webhooks: Webhook[];
}
export const WEBHOOK_DELIVERIES = `query WebhookDeliveries($webhookId: ID!, $status: DeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(webhookId: $webhookId, status: $status, first: $first, after: $after) {
    deliveries { id webhookId eventType eventPosition status attempts lastAttemptAt lastResponseStatus lastError nextAttemptAt }
    nextCursor
  }
}`;
export interface WebhookDeliveriesData {
  webhookDeliveries: { deliveries: WebhookDelivery[]; nextCursor: string | null };
}

export const USAGE_EVENTS = `subscription UsageEvents($accountId: ID!) { usageEvents(accountId: $accountId) { type sessionId userId productId machineId at termLicenseUsage denyReason } }`;
export interface UsageEventsData {
  usageEvents: UsageEvent;
}
export const ALERT_RAISED = `subscription AlertRaised($accountId: ID!) { alertRaised(accountId: $accountId) { id ruleId productId raisedAt seatsInUse thresholdSeats seats } }`;
export interface AlertRaisedData {
  alertRaised: Alert;
}

// ---------- command API ----------
export const REGISTER_USER = `mutation RegisterUser($input: RegisterUserInput!) { registerUser(input: $input) { userId position } }`;
export const DEACTIVATE_USER = `mutation DeactivateUser($input: UserInput!) { deactivateUser(input: $input) { userId position } }`;
export const GRANT_ROLE = `mutation GrantRole($input: RoleInput!) { grantRole(input: $input) { userId position } }`;
export const REVOKE_ROLE = `mutation RevokeRole($input: RoleInput!) { revokeRole(input: $input) { userId position } }`;
export const CREATE_GROUP = `mutation CreateGroup($input: CreateGroupInput!) { createGroup(input: $input) { groupId position } }`;
export const SET_GROUP_PRODUCTS = `mutation SetGroupProducts($input: SetGroupProductsInput!) { setGroupProducts(input: $input) { groupId position } }`;
export const ADD_GROUP_MEMBER = `mutation AddGroupMember($input: GroupMemberInput!) { addGroupMember(input: $input) { groupId position } }`;
export const REMOVE_GROUP_MEMBER = `mutation RemoveGroupMember($input: GroupMemberInput!) { removeGroupMember(input: $input) { groupId position } }`;
export const SET_ALERT_RULE = `mutation SetAlertRule($input: SetAlertRuleInput!) { setAlertRule(input: $input) { ruleId position } }`;
export const REMOVE_ALERT_RULE = `mutation RemoveAlertRule($input: RemoveAlertRuleInput!) { removeAlertRule(input: $input) { ruleId position } }`;
export const END_USAGE = `mutation EndUsage($input: SessionInput!) { endUsage(input: $input) { sessionId position } }`;
export const CHECK_IN = `mutation CheckIn($input: CheckInInput!) { checkIn(input: $input) { checkoutId position } }`;

// onboarding extension
export const SET_ACCOUNT_DOMAINS = `mutation SetAccountDomains($input: SetAccountDomainsInput!) { setAccountDomains(input: $input) { accountId domains autoApprove position } }`;
export const REQUEST_REGISTRATION = `mutation RequestRegistration($input: RequestRegistrationInput!) { requestRegistration(input: $input) { requestId accountId status userId position } }`;
export const APPROVE_REGISTRATION = `mutation ApproveRegistration($input: DecideRegistrationInput!) { approveRegistration(input: $input) { requestId status userId position } }`;
export const REJECT_REGISTRATION = `mutation RejectRegistration($input: DecideRegistrationInput!) { rejectRegistration(input: $input) { requestId status position } }`;
export const REGISTER_USERS = `mutation RegisterUsers($input: RegisterUsersInput!) {
  registerUsers(input: $input) { registered failed position results { row email userId errorCode errorMessage } }
}`;
export interface BulkUserResult {
  row: number;
  email: string;
  userId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}
export interface RegisterUsersData {
  registerUsers: { registered: number; failed: number; position: string | null; results: BulkUserResult[] };
}
export interface RequestRegistrationData {
  requestRegistration: { requestId: string; accountId: string; status: RegistrationStatus; userId: string | null; position: string };
}

// notifications extension
export const SET_WEBHOOK = `mutation SetWebhook($input: SetWebhookInput!) { setWebhook(input: $input) { webhookId position } }`;
export const REMOVE_WEBHOOK = `mutation RemoveWebhook($input: RemoveWebhookInput!) { removeWebhook(input: $input) { webhookId position } }`;

/** Event types of the contract's catalogue (the Audit page's type filter). */
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
  // onboarding extension
  'AccountDomainsSet',
  'RegistrationRequested',
  'RegistrationApproved',
  'RegistrationRejected',
  // notifications extension
  'WebhookSet',
  'WebhookRemoved',
] as const;
