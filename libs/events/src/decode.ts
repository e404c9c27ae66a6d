import { ALERT_ACTIONS, DENY_REASONS, isEventType, ROLES, SCHEMA_VERSIONS, type DomainEvent, type EventDataByType, type EventType } from './catalogue';
import { upcast } from './upcasters';

/*
 * Decoding: the one place where stored events become typed DomainEvents. Both event
 * store adapters call decodeEvent for every event they read; nothing else upcasts.
 *
 * Hand-written rather than a schema library (zod, valibot): the catalogue's TypeScript
 * types stay the one definition of each event, and the table below is checked against
 * them by the compiler (every field of every event type must be described, optional
 * fields with `optional`), so it cannot drift from them. A schema library would have us
 * define every event twice or move the public catalogue into its DSL.
 */

interface Check {
  (value: unknown): boolean;
  readonly optional: boolean;
}
type RequiredCheck = Check & { readonly optional: false };
type OptionalCheck = Check & { readonly optional: true };

const required = (test: (value: unknown) => boolean): RequiredCheck => Object.assign(test, { optional: false as const });
const optional = (check: RequiredCheck): OptionalCheck => Object.assign((value: unknown) => value === undefined || check(value), { optional: true as const });

const text = required((v) => typeof v === 'string');
const textOrNull = required((v) => v === null || typeof v === 'string');
const int = required((v) => typeof v === 'number' && Number.isFinite(v));
const flag = required((v) => typeof v === 'boolean');
const texts = required((v) => Array.isArray(v) && v.every((item) => typeof item === 'string'));
const oneOf = (values: readonly string[]) => required((v) => typeof v === 'string' && values.includes(v));

/** Every field of T with its check: required fields a RequiredCheck, optional ones an OptionalCheck. */
type FieldChecks<T> = { [K in keyof T]-?: object extends Pick<T, K> ? OptionalCheck : RequiredCheck };
type Catalogue = { [T in EventType]: FieldChecks<EventDataByType[T]> };

const seatLevel = { seatsInUse: optional(int) };
const sessionOrigin = { startedAt: optional(textOrNull), machineId: optional(textOrNull), country: optional(textOrNull) };
const sessionIds = { accountId: text, sessionId: text, userId: text, productId: text };
const checkoutIds = { accountId: text, checkoutId: text, userId: text, productId: text };

const CATALOGUE: Catalogue = {
  AccountOpened: { accountId: text, name: text, entitlementCountry: text, openedAt: text },
  EntitlementGranted: {
    accountId: text,
    entitlementId: text,
    productId: text,
    productName: text,
    seats: int,
    startsAt: text,
    endsAt: text,
    country: text,
    offlineDays: int,
    checkoutAllowed: flag,
    maxCheckoutDays: int,
  },
  EntitlementRevoked: { accountId: text, entitlementId: text, productId: text, reason: textOrNull },
  UserRegistered: { accountId: text, userId: text, email: text, displayName: text, country: text, registeredAt: text, requestId: optional(text) },
  UserDeactivated: { accountId: text, userId: text },
  RoleGranted: { accountId: text, userId: text, role: oneOf(ROLES) },
  RoleRevoked: { accountId: text, userId: text, role: oneOf(ROLES) },
  GroupCreated: { accountId: text, groupId: text, name: text, productIds: texts },
  GroupProductsSet: { accountId: text, groupId: text, productIds: texts },
  GroupMemberAdded: { accountId: text, groupId: text, userId: text },
  GroupMemberRemoved: { accountId: text, groupId: text, userId: text },
  AlertRuleSet: { accountId: text, ruleId: text, productId: text, thresholdSeats: int, action: oneOf(ALERT_ACTIONS), notifyUserIds: texts },
  AlertRuleRemoved: { accountId: text, ruleId: text, productId: text },
  AlertRaised: {
    accountId: text,
    alertId: text,
    ruleId: text,
    productId: text,
    seatsInUse: int,
    thresholdSeats: int,
    seats: int,
    raisedAt: text,
  },
  UsageStarted: { ...sessionIds, machineId: text, productVersion: textOrNull, termLicenseUsage: flag, country: text, startedAt: text, ...seatLevel },
  UsageDenied: { ...sessionIds, machineId: text, denyReason: oneOf(DENY_REASONS), deniedAt: text },
  UsageHeartbeat: { ...sessionIds, at: text },
  UsageEnded: { ...sessionIds, endedAt: text, ...seatLevel, ...sessionOrigin },
  UsageTimedOut: { ...sessionIds, lastHeartbeatAt: text, timedOutAt: text, ...seatLevel, ...sessionOrigin },
  LicenseCheckedOut: { ...checkoutIds, machineId: text, checkedOutAt: text, expiresAt: text, ...seatLevel },
  LicenseCheckedIn: { ...checkoutIds, checkedInAt: text, ...seatLevel },
  CheckoutExpired: { ...checkoutIds, expiredAt: text, ...seatLevel },
  EmailReserved: { email: text, accountId: text, userId: text, requestId: optional(text) },
  EmailReleased: { email: text, accountId: text, userId: text, requestId: optional(text) },
  AccountDomainsSet: { accountId: text, domains: texts, autoApprove: flag },
  RegistrationRequested: { accountId: text, requestId: text, email: text, displayName: text, country: text, requestedAt: text },
  RegistrationApproved: { accountId: text, requestId: text, userId: text, decidedBy: textOrNull, decidedByName: textOrNull, decidedAt: text },
  RegistrationRejected: { accountId: text, requestId: text, reason: textOrNull, decidedBy: text, decidedByName: text, decidedAt: text },
  DomainClaimed: { domain: text, accountId: text },
  DomainReleased: { domain: text, accountId: text },
  WebhookSet: { accountId: text, webhookId: text, url: text, eventTypes: texts, description: textOrNull },
  WebhookRemoved: { accountId: text, webhookId: text },
};

export type DecodeResult = { ok: true; event: DomainEvent } | { ok: false; problem: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of `candidate.data` that its type's entry in the catalogue refuses (none: it is that DomainEvent). */
function misfits(candidate: { type: EventType; data: Record<string, unknown> }): string[] {
  const checks: Record<string, Check> = CATALOGUE[candidate.type];
  return Object.entries(checks)
    .filter(([field, check]) => !check(candidate.data[field]))
    .map(([field]) => field);
}

function isDomainEvent(candidate: { type: EventType; data: Record<string, unknown> }): candidate is DomainEvent {
  return misfits(candidate).length === 0;
}

/**
 * A stored event as the service reads it: a known type, data upcast from its schema
 * version to the current one, every field of the catalogue present with its type
 * (fields the catalogue does not know are kept). Anything else is a problem, never
 * an exception: readers skip and report what does not decode.
 */
export function decodeEvent(type: string, schemaVersion: number | undefined, data: unknown): DecodeResult {
  if (!isEventType(type)) return { ok: false, problem: `unknown event type "${type}"` };
  if (!isRecord(data)) return { ok: false, problem: `${type} data is not an object` };
  const version = schemaVersion ?? 1;
  if (version > SCHEMA_VERSIONS[type]) return { ok: false, problem: `${type} schema version ${version} is newer than this service's ${SCHEMA_VERSIONS[type]}` };
  let current: Record<string, unknown>;
  try {
    current = upcast(type, version, data).data;
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const candidate = { type, data: current };
  if (isDomainEvent(candidate)) return { ok: true, event: candidate };
  return { ok: false, problem: `${type} data does not decode: ${misfits(candidate).join(', ')}` };
}
