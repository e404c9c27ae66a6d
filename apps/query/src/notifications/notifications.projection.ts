import { accountOfEvent } from '@ses/events';
import type { WriteOp } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projections/projection';
import { positionKey } from '../projections/projection';
import { isMailed } from './mail-templates';
import { deliveryId, mailId, newRecordFields, NOTIFY, webhookPayload } from './notification-docs';
import type { WebhookRegistry } from './webhook-registry';

/** A record (webhook delivery or mail) written by a commit, for its sender: lane = webhook id, or MAIL_LANE. */
export interface CreatedRecord {
  lane: string;
  id: string;
  positionKey: string;
  position: bigint;
}

export const MAIL_LANE = 'mail';

/**
 * The deliverer's projection: from each event, the records to deliver (a delivery per
 * matching webhook; a mail where mail is configured and the type is mailed), the webhooks
 * themselves, and the mail directory (users and alert rules, whom to mail). Its writes
 * commit with the deliverer's checkpoint, so a record exists exactly when the checkpoint
 * has passed its event. Unlike the read models' projections it reads state (the webhook
 * registry, which it keeps up to date as WebhookSet/WebhookRemoved pass); matching by
 * positions keeps it deterministic on replay.
 */
export class NotificationsProjection implements Projection {
  readonly name = 'notifications';
  readonly version = 1;
  readonly collections = [NOTIFY.webhooks, NOTIFY.deliveries, NOTIFY.mails, NOTIFY.mailDirectory];
  // Each query filters by one equality on one of these (the embedded store narrows by the first indexed field it finds).
  readonly indexes: Projection['indexes'] = [
    { collection: NOTIFY.webhooks, fields: { accountId: 1 } },
    { collection: NOTIFY.deliveries, fields: { webhookStatus: 1, positionKey: -1 } },
    { collection: NOTIFY.deliveries, fields: { webhookId: 1, positionKey: -1 } },
    { collection: NOTIFY.deliveries, fields: { status: 1 } },
    { collection: NOTIFY.mails, fields: { status: 1 } },
    { collection: NOTIFY.mailDirectory, fields: { accountId: 1 } },
  ];
  private created: CreatedRecord[] = [];

  constructor(
    private readonly registry: WebhookRegistry,
    private readonly options: { mail: boolean },
  ) {}

  project(event: ProjectedEvent): WriteOp[] {
    const ops = this.own(event);
    const accountId = accountOfEvent(event);
    if (accountId === null) return ops;
    const webhooks = this.registry.matching(accountId, event.type, event.position);
    if (webhooks.length > 0) {
      const body = webhookPayload(event);
      for (const webhook of webhooks) {
        const id = deliveryId(webhook.webhookId, event.position);
        ops.push(
          this.create(NOTIFY.deliveries, id, event, {
            ...newRecordFields(event, accountId),
            webhookId: webhook.webhookId,
            webhookStatus: `${webhook.webhookId}|PENDING`,
            body,
          }),
        );
        this.created.push({ lane: webhook.webhookId, id, positionKey: positionKey(event.position), position: event.position });
      }
    }
    if (this.options.mail && isMailed(event.type)) {
      const id = mailId(event.type, event.position);
      ops.push(this.create(NOTIFY.mails, id, event, { ...newRecordFields(event, accountId), data: event.data, recipients: null }));
      this.created.push({ lane: MAIL_LANE, id, positionKey: positionKey(event.position), position: event.position });
    }
    return ops;
  }

  /** The records created by events up to `position` (committed now), each handed over once. */
  takeCommitted(position: bigint): CreatedRecord[] {
    const ready = this.created.filter((record) => record.position <= position);
    if (ready.length > 0) this.created = this.created.filter((record) => record.position > position);
    return ready;
  }

  private create(collection: string, id: string, event: ProjectedEvent, fields: Record<string, unknown>): WriteOp {
    // Guarded by position: a replay after a crash leaves a record that was attempted since as it is.
    return { kind: 'upsert', collection, id, update: { $set: fields }, position: event.position };
  }

  /** The webhooks and the mail directory. */
  private own(event: ProjectedEvent): WriteOp[] {
    const position = event.position;
    const upsert = (collection: string, id: string, update: Record<string, unknown>): WriteOp => ({ kind: 'upsert', collection, id, update, position });
    const occurredAt = String(event.metadata.occurredAt ?? event.recordedAt.toISOString());
    switch (event.type) {
      case 'WebhookSet': {
        const d = event.data;
        this.registry.set({
          webhookId: d.webhookId,
          accountId: d.accountId,
          url: d.url,
          eventTypes: new Set(d.eventTypes),
          setPosition: position,
          disabled: false,
        });
        return [
          upsert(NOTIFY.webhooks, d.webhookId, {
            $set: {
              accountId: d.accountId,
              url: d.url,
              eventTypes: d.eventTypes,
              description: d.description,
              createdAt: occurredAt,
              setPosition: position.toString(),
              removed: false,
            },
          }),
        ];
      }
      case 'WebhookRemoved':
        this.registry.remove(event.data.webhookId, position);
        return [upsert(NOTIFY.webhooks, event.data.webhookId, { $set: { removed: true, removedPosition: position.toString(), removedAt: occurredAt } })];
      case 'UserRegistered': {
        const d = event.data;
        return [
          upsert(NOTIFY.mailDirectory, `user:${d.userId}`, {
            $set: { kind: 'user', accountId: d.accountId, email: d.email, displayName: d.displayName, active: true },
            $setOnInsert: { roles: [] },
          }),
        ];
      }
      case 'UserDeactivated':
        return [upsert(NOTIFY.mailDirectory, `user:${event.data.userId}`, { $set: { active: false } })];
      case 'RoleGranted':
        return [upsert(NOTIFY.mailDirectory, `user:${event.data.userId}`, { $addToSet: { roles: event.data.role } })];
      case 'RoleRevoked':
        return [upsert(NOTIFY.mailDirectory, `user:${event.data.userId}`, { $pull: { roles: event.data.role } })];
      case 'AlertRuleSet': {
        const d = event.data;
        // Kept after AlertRuleRemoved: an alert raised before the removal is still mailed to the users its rule named.
        return [
          upsert(NOTIFY.mailDirectory, `rule:${d.ruleId}`, {
            $set: { kind: 'rule', accountId: d.accountId, productId: d.productId, notifyUserIds: d.notifyUserIds },
          }),
        ];
      }
      default:
        return [];
    }
  }
}
