import { signWebhook, type SigningKey } from '@ses/auth';
import { afterAttempt, type AttemptResult, type DeliveryState, type WebhookUrlPolicy } from '@ses/domain';
import type { EventStore } from '@ses/event-store';
import type { ReadStore } from '@ses/read-store';
import type { Logger } from 'pino';
import { sesMetrics } from '@ses/platform';
import { ProjectionEngine } from '../projections/projection-engine';
import { AttemptRecords } from './attempt-records';
import { DeliveryLanes, type AttemptOutcome, type LaneItem } from './delivery-lanes';
import { MAIL_TEMPLATES } from './mail-templates';
import { MailTransport } from './mail-transport';
import {
  DELIVERER_CHECKPOINT,
  NOTIFY,
  type AttemptedDoc,
  type DeliveryDoc,
  type DirectoryRuleDoc,
  type DirectoryUserDoc,
  type MailDoc,
  type WebhookDoc,
  type WebhookHealthDoc,
} from './notification-docs';
import { MAIL_LANE, NotificationsProjection } from './notifications.projection';
import { WebhookHttp } from './webhook-http';
import { WebhookRegistry } from './webhook-registry';

export interface DelivererOptions {
  retryScheduleSeconds: readonly number[];
  urlPolicy: WebhookUrlPolicy;
  /** Per attempt, webhooks and mail alike. */
  timeoutMs: number;
  signingKey: Pick<SigningKey, 'privateKey'>;
  /** Unset: nothing is mailed (and no mail records are made). */
  mail?: { smtpUrl: string; from: string };
}

const DONE: AttemptOutcome = { done: true };
/** ses_webhook_deliveries_total's outcome of an attempt, by the state it left the delivery in. */
const DELIVERY_OUTCOME = { DELIVERED: 'delivered', PENDING: 'retrying', FAILED: 'failed' } as const;
const MAIL_CONCURRENCY = 2;
const ADMINISTRATOR_ROLES = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'];

/**
 * Webhooks and email, delivered at least once from the event log. A checkpointed
 * consumer of the global log (a ProjectionEngine of its own, with its own checkpoint in
 * its own store): each batch of events commits, with that checkpoint, the records to
 * deliver (notifications.projection.ts); only then do the senders see them. Senders work
 * in lanes (one per webhook, one for mail), record every attempt on its record, retry by
 * the schedule, and pick up whatever is still PENDING after a restart.
 */
export class Deliverer {
  readonly registry = new WebhookRegistry();
  readonly engine: ProjectionEngine;
  private readonly projection: NotificationsProjection;
  private readonly lanes: DeliveryLanes;
  private readonly http: WebhookHttp;
  private readonly mail?: MailTransport;
  private readonly records: AttemptRecords;
  private unsubscribe?: () => void;
  private stopping = false;

  constructor(
    events: EventStore,
    private readonly store: ReadStore,
    private readonly options: DelivererOptions,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.records = new AttemptRecords(store);
    this.projection = new NotificationsProjection(this.registry, { mail: options.mail !== undefined });
    this.engine = new ProjectionEngine(events, store, [this.projection], logger, { checkpoint: DELIVERER_CHECKPOINT });
    this.lanes = new DeliveryLanes(
      (lane, item) => (lane === MAIL_LANE ? this.attemptMail(item) : this.attemptWebhook(item)),
      (lane) => (lane === MAIL_LANE ? MAIL_CONCURRENCY : 1),
      (lane, id, error) => this.logger.error({ lane, id, err: String(error) }, 'a delivery attempt could not be recorded; retrying'),
      clock,
    );
    this.http = new WebhookHttp(options.urlPolicy, options.timeoutMs);
    if (options.mail) this.mail = new MailTransport(options.mail.smtpUrl, options.mail.from, options.timeoutMs);
  }

  /** Loads the webhooks and every record still PENDING, then follows the log from the checkpoint. */
  async start(): Promise<void> {
    const [webhooks, health] = await Promise.all([this.store.find<WebhookDoc>(NOTIFY.webhooks), this.store.find<WebhookHealthDoc>(NOTIFY.webhookHealth)]);
    this.registry.load(webhooks, health);
    const pending = { status: 'PENDING' };
    for (const doc of await this.store.find<DeliveryDoc>(NOTIFY.deliveries, pending, { readOnly: true })) this.lanes.add(doc.webhookId, this.itemOf(doc));
    if (this.mail) for (const doc of await this.store.find<MailDoc>(NOTIFY.mails, pending, { readOnly: true })) this.lanes.add(MAIL_LANE, this.itemOf(doc));
    this.unsubscribe = this.engine.onCommitted((events) => {
      for (const record of this.projection.takeCommitted(events[events.length - 1].position)) {
        this.lanes.add(record.lane, { id: record.id, positionKey: record.positionKey, dueAt: 0 });
      }
      for (const event of events) if (event.type === 'WebhookRemoved') this.lanes.expedite(event.data.webhookId);
    });
    await this.engine.start();
  }

  /**
   * Stops following the log and cuts attempts under way short (their connections are
   * closed): such an attempt is not recorded, so its record stays as it was, PENDING, and
   * is attempted again after the restart. A stop never waits for a slow endpoint.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    await this.engine.stop();
    this.http.close();
    this.mail?.close();
    await this.lanes.stop();
  }

  /** Records waiting in lanes (being attempted or waiting for a retry). */
  get pending(): number {
    return this.lanes.pending;
  }

  private itemOf(doc: AttemptedDoc): LaneItem {
    return { id: doc._id, positionKey: doc.positionKey, dueAt: doc.nextAttemptAt ? Date.parse(doc.nextAttemptAt) : 0 };
  }

  private async attemptWebhook(item: LaneItem): Promise<AttemptOutcome> {
    const doc = await this.store.findOne<DeliveryDoc>(NOTIFY.deliveries, { _id: item.id });
    if (!doc || doc.status !== 'PENDING') return DONE;
    const refusal = this.registry.refusal(doc.webhookId);
    const webhook = this.registry.get(doc.webhookId);
    if (refusal !== null || !webhook) {
      await this.write(NOTIFY.deliveries, doc, { status: 'FAILED', webhookStatus: `${doc.webhookId}|FAILED`, lastError: refusal, nextAttemptAt: null }, [
        'body',
      ]);
      return DONE;
    }
    // Added again by a replay after a restart while it waits for a retry: it keeps its schedule.
    const due = doc.nextAttemptAt ? Date.parse(doc.nextAttemptAt) : 0;
    if (doc.attempts > 0 && due > this.clock()) return { retryAt: due };
    const body = doc.body ?? '';
    const started = performance.now();
    const result = await this.http.post(webhook.url, { ...signWebhook(this.options.signingKey, doc._id, this.clock() / 1000, body) }, body);
    if (this.stopping) return { retryAt: 0 };
    const state = await this.recordResult(NOTIFY.deliveries, doc, result, (status) => ({ webhookStatus: `${doc.webhookId}|${status}` }));
    sesMetrics.webhookDelivery(DELIVERY_OUTCOME[state.status], (performance.now() - started) / 1000);
    if (state.status === 'FAILED' && state.gone) await this.disable(doc.webhookId);
    if (state.status === 'FAILED')
      this.logger.warn({ webhookId: doc.webhookId, deliveryId: doc._id, attempts: doc.attempts + 1, gone: state.gone }, 'webhook delivery failed');
    return state.status === 'PENDING' ? { retryAt: Date.parse(state.nextAttemptAt) } : DONE;
  }

  private async attemptMail(item: LaneItem): Promise<AttemptOutcome> {
    const doc = await this.store.findOne<MailDoc>(NOTIFY.mails, { _id: item.id });
    if (!doc || doc.status !== 'PENDING' || !this.mail) return DONE;
    const template = MAIL_TEMPLATES[doc.eventType];
    const recipients = doc.recipients ?? (await this.recipientsOf(doc, template?.notifyRuleField));
    if (!template || recipients.length === 0) {
      await this.write(NOTIFY.mails, doc, { status: 'FAILED', recipients, lastError: template ? 'nobody to mail' : 'no template', nextAttemptAt: null });
      return DONE;
    }
    const result = await this.mail.send({ id: doc._id, to: recipients, subject: template.subject(doc.data), text: template.text(doc.data) });
    if (this.stopping) return { retryAt: 0 };
    const state = await this.recordResult(NOTIFY.mails, doc, result, () => ({ recipients }));
    if (state.status === 'FAILED') this.logger.warn({ mailId: doc._id, eventType: doc.eventType, attempts: doc.attempts + 1 }, 'mail failed');
    return state.status === 'PENDING' ? { retryAt: Date.parse(state.nextAttemptAt) } : DONE;
  }

  /** The account's active administrators and co-administrators, and the active users the alert rule notifies: their emails, once each. */
  private async recipientsOf(doc: MailDoc, ruleField: string | undefined): Promise<string[]> {
    const users = await this.store.find<DirectoryUserDoc>(NOTIFY.mailDirectory, { accountId: doc.accountId, kind: 'user' });
    const ruleId = ruleField ? doc.data[ruleField] : undefined;
    const rule = typeof ruleId === 'string' ? await this.store.findOne<DirectoryRuleDoc>(NOTIFY.mailDirectory, { _id: `rule:${ruleId}` }) : null;
    const notified = new Set((rule?.notifyUserIds ?? []).map((userId) => `user:${userId}`));
    const emails = users
      .filter((user) => user.active && (user.roles.some((role) => ADMINISTRATOR_ROLES.includes(role)) || notified.has(user._id)))
      .map((user) => user.email);
    return [...new Set(emails)].sort();
  }

  private async recordResult(
    collection: string,
    doc: AttemptedDoc,
    result: AttemptResult,
    extra: (status: DeliveryState['status']) => Record<string, unknown>,
  ): Promise<DeliveryState> {
    const attempts = doc.attempts + 1;
    const at = new Date(this.clock()).toISOString();
    const state = afterAttempt(result, attempts, this.options.retryScheduleSeconds, at);
    await this.write(
      collection,
      doc,
      {
        ...extra(state.status),
        status: state.status,
        attempts,
        lastAttemptAt: at,
        lastResponseStatus: result.answered && collection === NOTIFY.deliveries ? result.status : null,
        lastError: result.answered ? (state.status === 'DELIVERED' ? null : `answered ${result.status}`) : result.error,
        nextAttemptAt: state.status === 'PENDING' ? state.nextAttemptAt : null,
      },
      state.status === 'PENDING' ? [] : ['body'],
    );
    return state;
  }

  private write(collection: string, doc: AttemptedDoc, set: Record<string, unknown>, unset: readonly string[] = []): Promise<void> {
    return this.records.write(collection, doc, set, unset);
  }

  /** 410 Gone: the webhook is DISABLED (nothing more is recorded or sent for it) and what waits for it fails now. */
  private async disable(webhookId: string): Promise<void> {
    this.registry.disable(webhookId);
    await this.records.create(NOTIFY.webhookHealth, webhookId, {
      disabled: true,
      disabledAt: new Date(this.clock()).toISOString(),
      reason: 'the endpoint answered 410 Gone',
    });
    this.logger.warn({ webhookId }, 'webhook disabled: its endpoint answered 410 Gone');
    this.lanes.expedite(webhookId);
  }
}
