import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEventStore, EVENT_STORE, EVENT_STORE_OBSERVER, logSkippedEvents, type EventStore, type EventStoreObserver } from '@ses/event-store';
import { loadSigningKey, TokenVerifier } from '@ses/auth';
import { SIGNING_KEY } from '../checkouts/license-signer';
import {
  createLogger,
  eventStoreMetrics,
  instrumentEventStore,
  LOGGER,
  loadConfig,
  probeStore,
  READINESS,
  SES_CONFIG,
  type Readiness,
  type SesConfig,
} from '@ses/platform';
import type { Logger } from 'pino';
import { AggregateStore } from './aggregate-store';
import { CLOCK, systemClock } from './clock';
import { COMMAND_INDEX_STORE, type CommandIndexStore } from './command-index/command-index-store.port';
import { createCommandIndexStore } from './command-index/create-command-index-store';
import { LogIndex } from './command-index/log-index';
import { COMMAND_RESULTS, DUE_TIMERS, ENTITY_LOCATOR, POOL_RECORDS } from './lookups/lookups';
import { SnapshotBuilder } from './snapshots';

/** Adapters and process-wide services of the command app, chosen by configuration only. */
@Global()
@Module({
  providers: [
    { provide: SES_CONFIG, useFactory: () => loadConfig() },
    { provide: LOGGER, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createLogger('command', config.logLevel) },
    { provide: CLOCK, useValue: systemClock },
    { provide: EVENT_STORE_OBSERVER, useValue: eventStoreMetrics },
    {
      provide: EVENT_STORE,
      inject: [SES_CONFIG, LOGGER, { token: EVENT_STORE_OBSERVER, optional: true }],
      useFactory: (config: SesConfig, logger: Logger, observer?: EventStoreObserver) =>
        instrumentEventStore(createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir, onSkipped: logSkippedEvents(logger), observer })),
    },
    // The command index (lookups, due timers, snapshots): SQLite in the data directory, or MongoDB with SES_READ_STORE.
    {
      provide: COMMAND_INDEX_STORE,
      inject: [SES_CONFIG, LOGGER],
      useFactory: (config: SesConfig, logger: Logger) =>
        createCommandIndexStore(
          { readStoreUrl: config.readStoreUrl, dataDir: config.dataDir },
          {
            onFlushError: (error) =>
              logger.warn(
                { err: error instanceof Error ? error.message : String(error) },
                'command index: storing its writes failed; retrying (lookups answer from memory meanwhile)',
              ),
          },
        ),
    },
    {
      provide: AggregateStore,
      inject: [EVENT_STORE, COMMAND_INDEX_STORE, LOGGER, LogIndex],
      useFactory: (store: EventStore, index: CommandIndexStore, logger: Logger, lookups: LogIndex) =>
        new AggregateStore(store, index, {
          // The command index reads every event of the log: it tells the cache which streams moved.
          changes: lookups,
          onSnapshotError: (streamId, error) =>
            logger.warn(
              { streamId, err: error instanceof Error ? error.message : String(error) },
              'snapshot not stored or not read (the stream is folded from the log)',
            ),
        }),
    },
    {
      provide: LogIndex,
      inject: [EVENT_STORE, COMMAND_INDEX_STORE, LOGGER],
      useFactory: (store: EventStore, index: CommandIndexStore, logger: Logger) =>
        new LogIndex(store, index, { logger, buildListener: () => new SnapshotBuilder(index) }),
    },
    { provide: ENTITY_LOCATOR, useExisting: LogIndex },
    { provide: COMMAND_RESULTS, useExisting: LogIndex },
    { provide: POOL_RECORDS, useExisting: LogIndex },
    { provide: DUE_TIMERS, useExisting: LogIndex },
    { provide: SIGNING_KEY, inject: [SES_CONFIG], useFactory: (config: SesConfig) => loadSigningKey({ pem: config.signingKeyPem, dataDir: config.dataDir }) },
    { provide: TokenVerifier, inject: [SES_CONFIG], useFactory: (config: SesConfig) => new TokenVerifier(config.auth) },
    {
      provide: READINESS,
      inject: [EVENT_STORE],
      // Degraded (503) while the event store does not answer: commands would fail. Recovers by itself.
      useFactory: (store: EventStore): Readiness => ({
        check: async () => {
          let position: bigint | undefined;
          const eventStore = await probeStore(async () => (position = await store.headPosition()));
          return {
            ready: eventStore.reachable,
            details: {
              readiness: eventStore.reachable ? 'ok' : 'degraded',
              ...(!eventStore.reachable && { degraded: ['event store unreachable'] }),
              ...(position !== undefined && { eventStorePosition: position.toString() }),
              eventStore,
            },
          };
        },
      }),
    },
  ],
  exports: [
    SIGNING_KEY,
    SES_CONFIG,
    LOGGER,
    CLOCK,
    EVENT_STORE,
    AggregateStore,
    ENTITY_LOCATOR,
    COMMAND_RESULTS,
    POOL_RECORDS,
    DUE_TIMERS,
    TokenVerifier,
    READINESS,
  ],
})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly lookups: LogIndex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_INDEX_STORE) private readonly index: CommandIndexStore,
  ) {}

  /** Before the app serves: the index is built from the log once (a data directory from before it), else caught up from its checkpoint. */
  async onApplicationBootstrap(): Promise<void> {
    await this.lookups.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lookups.stop();
    await this.index.close();
    await this.store.close();
  }
}
