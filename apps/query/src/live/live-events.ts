import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { PubSub } from 'graphql-subscriptions';
import type { Logger } from 'pino';
import { LOGGER } from '@ses/platform';
import type { Alert, UsageEvent, UsageEventType } from '../graphql/types';
import type { ProjectedEvent } from '../projections/projection';
import { ProjectionEngine } from '../projections/projection-engine';
import { COLLECTIONS as C, sessionKey } from '../projections/projection';
import type { SessionDoc } from '../seats/seat-docs';

export const usageTopic = (accountId: string) => `usage:${accountId}`;
export const alertTopic = (accountId: string) => `alerts:${accountId}`;

/**
 * Fan-out to graphql-ws subscribers from the projection of the global log: an event is
 * published once the read models hold it, in log order, whichever process appended it.
 */
@Injectable()
export class LiveEvents implements OnModuleInit {
  readonly pubsub = new PubSub();
  private publishing: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.engine.onCommitted((events) => {
      this.publishing = this.publishing.then(() => this.publish(events)).catch((error) => this.logger.error({ err: String(error) }, 'live fan-out failed'));
    });
  }

  private async publish(events: readonly ProjectedEvent[]): Promise<void> {
    for (const event of events) {
      const usage = await this.toUsageEvent(event);
      if (usage) await this.pubsub.publish(usageTopic(usage.accountId), usage);
      if (event.type === 'AlertRaised') {
        const { alertId, ...d } = event.data;
        const alert: Alert = { id: alertId, ...d };
        await this.pubsub.publish(alertTopic(alert.accountId), alert);
      }
    }
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
        const session = await this.store.findOne<SessionDoc>(C.sessions, { _id: sessionKey(d.accountId, d.sessionId) });
        const at = event.type === 'UsageEnded' ? event.data.endedAt : event.data.timedOutAt;
        return base(event.type === 'UsageEnded' ? 'ENDED' : 'TIMED_OUT', d, session?.machineId ?? '', at, session?.termLicenseUsage ?? false);
      }
      default:
        return null;
    }
  }
}
