import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { Logger } from 'pino';
import { DEFAULT_LIVE_LIMITS, LOGGER, SES_CONFIG, type LiveLimits, type SesConfig } from '@ses/platform';
import type { Alert, UsageEvent, UsageEventType } from '../graphql/types';
import type { ProjectedEvent } from '../projections/projection';
import { ProjectionEngine } from '../projections/projection-engine';
import { COLLECTIONS as C, sessionKey } from '../projections/projection';
import type { SessionDoc } from '../seats/seat-docs';
import { LiveSubscription, type RenderedEvent } from './live-subscription';

export const usageTopic = (accountId: string) => `usage:${accountId}`;
export const alertTopic = (accountId: string) => `alerts:${accountId}`;

/** Fan-out gives the event loop back after this much work, so queries are answered between slices. */
const SLICE_MS = 4;

export interface LiveStats {
  subscriptions: number;
  principals: number;
  topics: number;
  /** Events published since start, and how many times one was rendered + serialized (once per event and selection). */
  published: number;
  serializations: number;
  deliveries: number;
  /** Time spent rendering and handing messages to connections (wall time of the synchronous slices), ms. */
  fanOutMs: number;
}

/**
 * Fan-out to graphql-ws subscribers from the projection of the global log: an event is
 * published once the read models hold it, in log order, whichever process appended it.
 *
 * Costs are kept flat in the number of subscribers:
 * - limits: at most `maxSubscriptionsPerPrincipal` open subscriptions per principal (token
 *   `sub`) and `maxSubscriptions` in the app; the next one is refused with FORBIDDEN;
 * - each event is executed against a selection and serialized once for every subscriber
 *   with that selection (`LiveRoute.key`), then written to each connection as is;
 * - the work is cut into slices of a few milliseconds with the event loop given back in
 *   between, so queries keep their latency while subscribers are served;
 * - a closed subscription is forgotten at once (nothing per subscriber outlives it).
 * Bounded buffers per connection are LiveServer's (slow readers are closed).
 */
@Injectable()
export class LiveEvents implements OnModuleInit {
  private readonly topics = new Map<string, Set<LiveSubscription>>();
  private readonly perPrincipal = new Map<string, number>();
  private subscriptionCount = 0;
  private publishing: Promise<void> = Promise.resolve();
  private sliceStartedAt = 0;
  private readonly counters = { published: 0, serializations: 0, deliveries: 0, fanOutMs: 0 };
  readonly limits: LiveLimits;

  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SES_CONFIG) config?: SesConfig,
  ) {
    this.limits = config?.live ?? DEFAULT_LIVE_LIMITS;
  }

  onModuleInit(): void {
    this.engine.onCommitted((events) => {
      this.publishing = this.publishing.then(() => this.publish(events)).catch((error) => this.logger.error({ err: String(error) }, 'live fan-out failed'));
    });
  }

  /** Opens a subscription of `owner` (a principal's `sub`) to `topic`, within the limits. */
  open<T>(topic: string, owner: string): LiveSubscription<T> {
    const ownerCount = this.perPrincipal.get(owner) ?? 0;
    if (ownerCount >= this.limits.maxSubscriptionsPerPrincipal) {
      throw new DomainError(
        'FORBIDDEN',
        `at most ${this.limits.maxSubscriptionsPerPrincipal} open subscriptions per principal (SES_LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL): close one first`,
      );
    }
    if (this.subscriptionCount >= this.limits.maxSubscriptions) {
      throw new DomainError('FORBIDDEN', `this query app serves at most ${this.limits.maxSubscriptions} subscriptions (SES_LIVE_MAX_SUBSCRIPTIONS): try later`);
    }
    const subscription = new LiveSubscription<T>(topic, owner, (s) => this.release(s as LiveSubscription));
    let subscribers = this.topics.get(topic);
    if (!subscribers) this.topics.set(topic, (subscribers = new Set()));
    subscribers.add(subscription as LiveSubscription);
    this.perPrincipal.set(owner, ownerCount + 1);
    this.subscriptionCount += 1;
    return subscription;
  }

  stats(): LiveStats {
    return {
      subscriptions: this.subscriptionCount,
      principals: this.perPrincipal.size,
      topics: this.topics.size,
      ...this.counters,
      fanOutMs: Math.round(this.counters.fanOutMs),
    };
  }

  /** Ends every subscription (shutdown). */
  closeAll(): void {
    for (const subscribers of [...this.topics.values()]) for (const subscription of [...subscribers]) subscription.end();
  }

  private release(subscription: LiveSubscription): void {
    const subscribers = this.topics.get(subscription.topic);
    if (!subscribers?.delete(subscription)) return;
    if (subscribers.size === 0) this.topics.delete(subscription.topic);
    const left = (this.perPrincipal.get(subscription.owner) ?? 1) - 1;
    if (left > 0) this.perPrincipal.set(subscription.owner, left);
    else this.perPrincipal.delete(subscription.owner);
    this.subscriptionCount -= 1;
  }

  private async publish(events: readonly ProjectedEvent[]): Promise<void> {
    this.sliceStartedAt = performance.now();
    for (const event of events) {
      if (!this.topics.size) return;
      const usage = await this.toUsageEvent(event);
      if (usage) await this.fanOut(usageTopic(usage.accountId), usage);
      if (event.type === 'AlertRaised') {
        const { alertId, ...d } = event.data;
        const alert: Alert = { id: alertId, ...d };
        await this.fanOut(alertTopic(alert.accountId), alert);
      }
    }
  }

  /** One event to every subscriber of its topic: rendered once per selection, written as is. */
  private async fanOut(topic: string, payload: unknown): Promise<void> {
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    this.counters.published += 1;
    const rendered = new Map<string, RenderedEvent>();
    let sliceStart = performance.now();
    for (const subscription of [...subscribers]) {
      const route = subscription.route;
      if (!subscription.open) continue;
      if (!route) {
        subscription.push(payload);
        continue;
      }
      let rendering = rendered.get(route.key);
      if (rendering === undefined) {
        const result = route.render(payload);
        let json: string;
        if (typeof result === 'string') json = result;
        else {
          this.counters.fanOutMs += performance.now() - sliceStart;
          json = await result;
          sliceStart = performance.now();
        }
        rendering = { json, messages: new Map() };
        rendered.set(route.key, rendering);
        this.counters.serializations += 1;
      }
      if (!subscription.open) continue;
      route.send(rendering);
      this.counters.deliveries += 1;
      const now = performance.now();
      if (now - this.sliceStartedAt > SLICE_MS) {
        this.counters.fanOutMs += now - sliceStart;
        await new Promise((resolve) => setImmediate(resolve));
        this.sliceStartedAt = sliceStart = performance.now();
      }
    }
    this.counters.fanOutMs += performance.now() - sliceStart;
  }

  private async toUsageEvent(event: ProjectedEvent): Promise<UsageEvent | null> {
    const base = (
      type: string,
      d: { accountId: string; sessionId: string; userId: string; productId: string },
      machineId: string,
      at: string,
      termLicenseUsage = false,
      denyReason: string | null = null,
    ): UsageEvent => ({
      type: type as UsageEventType,
      sessionId: d.sessionId,
      accountId: d.accountId,
      userId: d.userId,
      productId: d.productId,
      machineId,
      at,
      termLicenseUsage,
      denyReason,
    });
    switch (event.type) {
      case 'UsageStarted': {
        const d = event.data;
        return base('STARTED', d, d.machineId, d.startedAt, d.termLicenseUsage);
      }
      case 'UsageDenied': {
        const d = event.data;
        return base('DENIED', d, d.machineId, d.deniedAt, false, d.denyReason);
      }
      case 'UsageEnded':
      case 'UsageTimedOut': {
        const d = event.data;
        if (!this.topics.has(usageTopic(d.accountId))) return null;
        const session = await this.store.findOne<SessionDoc>(C.sessions, { _id: sessionKey(d.accountId, d.sessionId) });
        const at = event.type === 'UsageEnded' ? event.data.endedAt : event.data.timedOutAt;
        return base(event.type === 'UsageEnded' ? 'ENDED' : 'TIMED_OUT', d, session?.machineId ?? '', at, session?.termLicenseUsage ?? false);
      }
      default:
        return null;
    }
  }
}
