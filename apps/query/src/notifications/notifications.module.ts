import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { loadSigningKey } from '@ses/auth';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import { LOGGER, SES_CONFIG, type SesConfig } from '@ses/platform';
import type { ReadStore } from '@ses/read-store';
import type { Logger } from 'pino';
import { Deliverer } from './deliverer';
import { openNotificationsStore } from './notifications-store';
import { NotificationsResolver } from './notifications.resolver';
import { NOTIFICATIONS_STORE } from './notifications.tokens';

/**
 * Contract extension "notifications" in the query app: the deliverer (a consumer of the
 * global log beside the read models' projection engine, with its own store and checkpoint)
 * and the `webhooks` / `webhookDeliveries` queries over what it records. README,
 * "Notifications", says why it runs here.
 */
@Module({
  providers: [
    { provide: NOTIFICATIONS_STORE, inject: [SES_CONFIG], useFactory: (config: SesConfig) => openNotificationsStore(config) },
    {
      provide: Deliverer,
      inject: [EVENT_STORE, NOTIFICATIONS_STORE, SES_CONFIG, LOGGER],
      useFactory: (events: EventStore, store: ReadStore, config: SesConfig, logger: Logger) => {
        const n = config.notifications;
        if (!n.smtpUrl) logger.info('SES_SMTP_URL is not set: nothing is mailed (webhooks are delivered as usual)');
        return new Deliverer(
          events,
          store,
          {
            retryScheduleSeconds: n.retryScheduleSeconds,
            urlPolicy: { production: config.production, allowPrivate: n.allowPrivateAddresses },
            timeoutMs: n.webhookTimeoutMs,
            signingKey: loadSigningKey({ pem: config.signingKeyPem, dataDir: config.dataDir }),
            mail: n.smtpUrl && n.mailFrom ? { smtpUrl: n.smtpUrl, from: n.mailFrom } : undefined,
          },
          logger.child({ component: 'notifications' }),
        );
      },
    },
    NotificationsResolver,
  ],
})
export class NotificationsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly deliverer: Deliverer,
    @Inject(NOTIFICATIONS_STORE) private readonly store: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.deliverer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deliverer.stop();
    await this.store.close();
  }
}
