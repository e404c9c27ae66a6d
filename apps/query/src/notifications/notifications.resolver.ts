import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError, isInRange, LIMITS, notFound } from '@ses/domain';
import { SES_CONFIG, type SesConfig } from '@ses/platform';
import type { ReadStore } from '@ses/read-store';
import { assertCanRead } from '../auth/access';
import type { Viewer } from '../auth/viewer';
import type { DeliveryPage, DeliveryStatus, Webhook, WebhookDelivery, WebhookStatus } from '../graphql/types';
import { positionKey } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import { Deliverer } from './deliverer';
import { NOTIFY, type DeliveryDoc, type WebhookDoc, type WebhookHealthDoc } from './notification-docs';
import { NOTIFICATIONS_STORE } from './notifications.tokens';

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];

/**
 * Contract extension "notifications": an account's webhooks and their deliveries, for its
 * administrators, co-administrators and auditors, and the operator. Another account's
 * webhook is NOT_FOUND, as one that never existed.
 */
@Resolver()
export class NotificationsResolver {
  constructor(
    @Inject(NOTIFICATIONS_STORE) private readonly store: ReadStore,
    private readonly deliverer: Deliverer,
    @Inject(SES_CONFIG) private readonly config: SesConfig,
  ) {}

  @Query()
  async webhooks(@Args('accountId') accountId: string, @Context() ctx: QueryContext): Promise<Webhook[]> {
    const viewer = await this.fresh(ctx);
    assertCanRead(viewer, accountId, 'manager');
    const docs = await this.store.find<WebhookDoc>(NOTIFY.webhooks, { accountId });
    const health = await this.store.find<WebhookHealthDoc>(NOTIFY.webhookHealth, { _id: { $in: docs.map((doc) => doc._id) } });
    const disabled = new Set(health.filter((h) => h.disabled).map((h) => h._id));
    return docs
      .sort((a, b) => compareKeys(positionKey(BigInt(a.setPosition)), positionKey(BigInt(b.setPosition))))
      .map((doc) => ({
        id: doc._id,
        accountId: doc.accountId,
        url: doc.url,
        eventTypes: doc.eventTypes,
        description: doc.description,
        status: (doc.removed ? 'REMOVED' : disabled.has(doc._id) ? 'DISABLED' : 'ACTIVE') satisfies WebhookStatus,
        createdAt: doc.createdAt,
      }));
  }

  /** Newest first (by the position of the event delivered); the cursor is the last position of a page. */
  @Query()
  async webhookDeliveries(
    @Args('webhookId') webhookId: string,
    @Args('status') status: DeliveryStatus | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Context() ctx: QueryContext,
  ): Promise<DeliveryPage> {
    const viewer = await this.fresh(ctx);
    const size = first ?? 50;
    const problems: string[] = [];
    if (!isInRange(size, LIMITS.deliveriesPage)) problems.push('first');
    if (after != null && !/^\d{1,20}$/.test(after)) problems.push('after');
    if (status != null && !DELIVERY_STATUSES.includes(status)) problems.push('status');
    if (problems.length > 0) {
      const [min, max] = LIMITS.deliveriesPage;
      throw new DomainError('BAD_USER_INPUT', `invalid ${problems.join(', ')} (first: ${min}..${max}; after: a cursor from a previous page)`, problems);
    }
    const webhook = await this.store.findOne<WebhookDoc>(NOTIFY.webhooks, { _id: webhookId });
    // Whether an id exists in another account is nobody else's business: NOT_FOUND either way.
    if (!webhook || !mayLearnOfAccount(viewer, webhook.accountId)) throw notFound('webhook');
    assertCanRead(viewer, webhook.accountId, 'manager');
    const filter: Record<string, unknown> = status ? { webhookStatus: `${webhookId}|${status}` } : { webhookId };
    if (after != null) filter.positionKey = { $lt: positionKey(BigInt(after)) };
    const docs = await this.store.find<DeliveryDoc>(NOTIFY.deliveries, filter, { sort: { positionKey: -1 }, limit: size + 1, readOnly: true });
    const page = docs.slice(0, size);
    return {
      deliveries: page.map((doc): WebhookDelivery => ({
        id: doc._id,
        webhookId: doc.webhookId,
        eventType: doc.eventType,
        eventPosition: doc.eventPosition,
        status: doc.status,
        attempts: doc.attempts,
        lastAttemptAt: doc.lastAttemptAt,
        lastResponseStatus: doc.lastResponseStatus,
        lastError: doc.lastError,
        nextAttemptAt: doc.nextAttemptAt,
      })),
      nextCursor: docs.length > size ? page[page.length - 1].eventPosition : null,
    };
  }

  /** The viewer, once the deliverer too has caught up with the request's x-ses-min-position. */
  private async fresh(ctx: QueryContext): Promise<Viewer> {
    const viewer = await ctx.viewer();
    const min = ctx.minPosition?.();
    if (min !== undefined) await this.deliverer.engine.waitFor(min, this.config.minPositionTimeoutMs);
    return viewer;
  }
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The operator sees every account; a user only their own; anyone else none. */
function mayLearnOfAccount(viewer: Viewer, accountId: string): boolean {
  return viewer.kind === 'operator' || (viewer.kind === 'user' && viewer.accountId === accountId);
}
