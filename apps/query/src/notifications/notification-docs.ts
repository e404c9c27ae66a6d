import { sha256 } from '@ses/events';
import type { Doc } from '@ses/read-store';
import type { ProjectedEvent } from '../projections/projection';
import { positionKey } from '../projections/projection';

/**
 * The notifications store's collections: its own store (not a read-model generation, since
 * attempts and DISABLED are operational records that no rebuild could recreate), written
 * by the deliverer's engine (webhooks, new deliveries, the mail directory) and by the
 * senders (attempts, health).
 */
export const NOTIFY = {
  webhooks: 'webhooks',
  /** Written by the sender only: a webhook whose endpoint answered 410. */
  webhookHealth: 'webhookHealth',
  deliveries: 'webhookDeliveries',
  mails: 'mailDeliveries',
  /** Users (email, roles, active) and alert rules (notifyUserIds) of every account: whom to mail. */
  mailDirectory: 'mailDirectory',
} as const;

/** The deliverer's checkpoint in the notifications store. */
export const DELIVERER_CHECKPOINT = 'notifications';
/**
 * Attempts are recorded through the store's commit too, under a checkpoint of their own that
 * nothing reads: a record's writes are guarded by its `rev` (see delivery-records.ts).
 */
export const SENDER_CHECKPOINT = 'notification-attempts';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookDoc extends Doc {
  accountId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  createdAt: string;
  /** Position of its WebhookSet: events after it are delivered. */
  setPosition: string;
  removed: boolean;
  /** Position of its WebhookRemoved: events from it on are not delivered. */
  removedPosition?: string;
}

export interface WebhookHealthDoc extends Doc {
  disabled: boolean;
  disabledAt: string;
  reason: string;
}

/** What every attempted record (webhook delivery or mail) has. */
export interface AttemptedDoc extends Doc {
  accountId: string;
  eventType: string;
  eventPosition: string;
  /** Zero-padded eventPosition: string order is position order. */
  positionKey: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  /** A position strictly above every write this record has seen: the next write guards on it (delivery-records.ts). */
  rev: string;
}

export interface DeliveryDoc extends AttemptedDoc {
  webhookId: string;
  /** `${webhookId}|${status}`: one indexed equality finds a webhook's deliveries in a status. */
  webhookStatus: string;
  /** The JSON POSTed, byte for byte (signatures cover it); dropped once DELIVERED or FAILED. */
  body?: string;
}

export interface MailDoc extends AttemptedDoc {
  /** The event's data (what the mail says). */
  data: Record<string, unknown>;
  /** Who it goes to: resolved at the first attempt from the mail directory, then kept for retries. */
  recipients: string[] | null;
}

export interface DirectoryUserDoc extends Doc {
  kind: 'user';
  accountId: string;
  email: string;
  displayName: string;
  roles: string[];
  active: boolean;
}

export interface DirectoryRuleDoc extends Doc {
  kind: 'rule';
  accountId: string;
  productId: string;
  notifyUserIds: string[];
}

/** The `webhook-id` of the message of one event to one webhook: the same on every attempt, every restart and every replay. */
export const deliveryId = (webhookId: string, position: bigint): string => `msg_${sha256(`${webhookId}\u0000${position}`).slice(0, 32)}`;
export const mailId = (eventType: string, position: bigint): string => `mail_${sha256(`${eventType}\u0000${position}`).slice(0, 32)}`;

/** The JSON a webhook receives (contract extension "notifications"). */
export function webhookPayload(event: ProjectedEvent): string {
  const m = event.metadata;
  return JSON.stringify({
    type: event.type,
    position: event.position.toString(),
    streamId: event.streamId,
    occurredAt: m.occurredAt ?? event.recordedAt.toISOString(),
    data: event.data,
    metadata: { actor: m.actor, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId },
  });
}

/** The fields a new record of `event` starts with. */
export function newRecordFields(event: ProjectedEvent, accountId: string): Omit<AttemptedDoc, '_id'> {
  const occurredAt = String(event.metadata.occurredAt ?? event.recordedAt.toISOString());
  return {
    accountId,
    eventType: event.type,
    eventPosition: event.position.toString(),
    positionKey: positionKey(event.position),
    status: 'PENDING',
    attempts: 0,
    createdAt: occurredAt,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    // Due at once: the time it happened is already past.
    nextAttemptAt: occurredAt,
    rev: event.position.toString(),
  };
}
