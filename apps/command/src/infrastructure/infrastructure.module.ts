import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEventStore, EVENT_STORE, logSkippedEvents, type EventStore } from '@ses/event-store';
import { loadSigningKey, TokenVerifier } from '@ses/auth';
import { SIGNING_KEY } from '../checkouts/license-signer';
import { createLogger, LOGGER, loadConfig, READINESS, SES_CONFIG, type Readiness, type SesConfig } from '@ses/platform';
import type { Logger } from 'pino';
import { AggregateStore } from './aggregate-store';
import { CLOCK, systemClock } from './clock';
import { Directory } from './directory';

/** Adapters and process-wide services of the command app, chosen by configuration only. */
@Global()
@Module({
  providers: [
    { provide: SES_CONFIG, useFactory: () => loadConfig() },
    { provide: LOGGER, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createLogger('command', config.logLevel) },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: EVENT_STORE,
      inject: [SES_CONFIG, LOGGER],
      useFactory: (config: SesConfig, logger: Logger) =>
        createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir, onSkipped: logSkippedEvents(logger) }),
    },
    { provide: AggregateStore, inject: [EVENT_STORE], useFactory: (store: EventStore) => new AggregateStore(store) },
    { provide: Directory, inject: [EVENT_STORE], useFactory: (store: EventStore) => new Directory(store) },
    { provide: SIGNING_KEY, inject: [SES_CONFIG], useFactory: (config: SesConfig) => loadSigningKey({ pem: config.signingKeyPem, dataDir: config.dataDir }) },
    { provide: TokenVerifier, inject: [SES_CONFIG], useFactory: (config: SesConfig) => new TokenVerifier(config.auth) },
    {
      provide: READINESS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore): Readiness => ({
        check: async () => ({ ready: true, details: { eventStorePosition: (await store.headPosition()).toString() } }),
      }),
    },
  ],
  exports: [SIGNING_KEY, SES_CONFIG, LOGGER, CLOCK, EVENT_STORE, AggregateStore, Directory, TokenVerifier, READINESS],
})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly directory: Directory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.directory.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.directory.stop();
    await this.store.close();
  }
}
