import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TokenVerifier } from '@ses/auth';
import { createEventStore, EVENT_STORE, EVENT_STORE_OBSERVER, logSkippedEvents, type EventStore, type EventStoreObserver } from '@ses/event-store';
import { createReadStoreCatalog, READ_STORE, type ReadStoreCatalog } from '@ses/read-store';
import { createLogger, eventStoreMetrics, LOGGER, loadConfig, READINESS, SES_CONFIG, type Readiness, type SesConfig } from '@ses/platform';
import { queryReadiness } from './query-readiness';
import { projectionMetrics } from '../observability/projection-metrics';
import type { Logger } from 'pino';
import { ALL_PROJECTIONS } from '../projections/all-projections';
import { PROJECTION_ENGINE_OBSERVER, ProjectionEngine, type ProjectionEngineObserver } from '../projections/projection-engine';
import { GenerationSwitcher } from '../read-models/generation-switcher';
import { openCurrentGeneration } from '../read-models/current-generation';
import { SwappableReadStore } from '../read-models/swappable-read-store';

const READ_STORE_CATALOG = Symbol('READ_STORE_CATALOG');

/** Adapters and process-wide services of the query app, chosen by configuration only. */
@Global()
@Module({
  providers: [
    { provide: SES_CONFIG, useFactory: () => loadConfig() },
    { provide: LOGGER, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createLogger('query', config.logLevel) },
    { provide: EVENT_STORE_OBSERVER, useValue: eventStoreMetrics },
    { provide: PROJECTION_ENGINE_OBSERVER, useValue: projectionMetrics },
    {
      provide: EVENT_STORE,
      inject: [SES_CONFIG, LOGGER, { token: EVENT_STORE_OBSERVER, optional: true }],
      useFactory: (config: SesConfig, logger: Logger, observer?: EventStoreObserver) =>
        createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir, onSkipped: logSkippedEvents(logger), observer }),
    },
    {
      provide: READ_STORE_CATALOG,
      inject: [SES_CONFIG, LOGGER],
      useFactory: (config: SesConfig, logger: Logger) => createReadStoreCatalog({ url: config.readStoreUrl, dataDir: config.dataDir, logger }),
    },
    {
      // Queries and projections always use the active read-model generation (see read-models/).
      provide: READ_STORE,
      inject: [READ_STORE_CATALOG, EVENT_STORE, LOGGER],
      useFactory: async (catalog: ReadStoreCatalog, events: EventStore, logger: Logger) => {
        const { store, generation } = await openCurrentGeneration(catalog, events, ALL_PROJECTIONS, logger);
        return new SwappableReadStore(store, generation);
      },
    },
    { provide: TokenVerifier, inject: [SES_CONFIG], useFactory: (config: SesConfig) => new TokenVerifier(config.auth) },
    {
      provide: ProjectionEngine,
      inject: [EVENT_STORE, READ_STORE, LOGGER, { token: PROJECTION_ENGINE_OBSERVER, optional: true }],
      useFactory: (events: EventStore, reads: SwappableReadStore, logger: Logger, observer?: ProjectionEngineObserver) =>
        new ProjectionEngine(events, reads, ALL_PROJECTIONS, logger, { observer }),
    },
    {
      provide: GenerationSwitcher,
      inject: [READ_STORE_CATALOG, READ_STORE, ProjectionEngine, LOGGER],
      useFactory: (catalog: ReadStoreCatalog, reads: SwappableReadStore, engine: ProjectionEngine, logger: Logger) =>
        new GenerationSwitcher(catalog, reads, engine, logger),
    },
    {
      provide: READINESS,
      inject: [ProjectionEngine, EVENT_STORE, READ_STORE],
      useFactory: (engine: ProjectionEngine, events: EventStore, reads: SwappableReadStore): Readiness => queryReadiness(engine, events, reads),
    },
  ],
  exports: [SES_CONFIG, LOGGER, EVENT_STORE, READ_STORE, TokenVerifier, ProjectionEngine, READINESS],
})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly switcher: GenerationSwitcher,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: SwappableReadStore,
    @Inject(READ_STORE_CATALOG) private readonly catalog: ReadStoreCatalog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
    this.switcher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.switcher.stop();
    await this.engine.stop();
    await this.events.close();
    await this.reads.close();
    await this.catalog.close();
  }
}
