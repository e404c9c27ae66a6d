import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEventStore, EVENT_STORE, logSkippedEvents, type EventStore } from '@ses/event-store';
import { loadSigningKey, TokenVerifier } from '@ses/auth';
import { SIGNING_KEY } from '../checkouts/license-signer';
import { createLogger, instrumentEventStore, LOGGER, loadConfig, READINESS, SES_CONFIG, type Readiness, type SesConfig } from '@ses/platform';
import type { Logger } from 'pino';
import { AggregateStore } from './aggregate-store';
import { CLOCK, systemClock } from './clock';
import { InMemoryLogIndex } from './lookups/in-memory-log-index';
import { COMMAND_RESULTS, ENTITY_LOCATOR } from './lookups/lookups';

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
        instrumentEventStore(createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir, onSkipped: logSkippedEvents(logger) })),
    },
    { provide: AggregateStore, inject: [EVENT_STORE], useFactory: (store: EventStore) => new AggregateStore(store) },
    // The lookups no aggregate answers, behind their interfaces (a persistent index may replace this one).
    { provide: InMemoryLogIndex, inject: [EVENT_STORE], useFactory: (store: EventStore) => new InMemoryLogIndex(store) },
    { provide: ENTITY_LOCATOR, useExisting: InMemoryLogIndex },
    { provide: COMMAND_RESULTS, useExisting: InMemoryLogIndex },
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
  exports: [SIGNING_KEY, SES_CONFIG, LOGGER, CLOCK, EVENT_STORE, AggregateStore, ENTITY_LOCATOR, COMMAND_RESULTS, TokenVerifier, READINESS],
})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly lookups: InMemoryLogIndex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.lookups.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lookups.stop();
    await this.store.close();
  }
}
