import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TokenVerifier } from '@ses/auth';
import { createEventStore, EVENT_STORE, type EventStore } from '@ses/event-store';
import { createReadStore, READ_STORE, type ReadStore } from '@ses/read-store';
import { createLogger, LOGGER, loadConfig, READINESS, SES_CONFIG, type Readiness, type SesConfig } from '@ses/platform';
import type { Logger } from 'pino';
import { directoryProjection } from '../projections/directory.projection';
import { historyProjection } from '../projections/history.projection';
import { ProjectionEngine } from '../projections/projection-engine';
import { ANALYTICS_PROJECTIONS } from '../analytics/analytics.projections';
import { AUDIT_PROJECTIONS } from '../audit/audit.projections';

export const PROJECTIONS = [directoryProjection, historyProjection, ...ANALYTICS_PROJECTIONS, ...AUDIT_PROJECTIONS];

/** Adapters and process-wide services of the query app, chosen by configuration only. */
@Global()
@Module({
  providers: [
    { provide: SES_CONFIG, useFactory: () => loadConfig() },
    { provide: LOGGER, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createLogger('query', config.logLevel) },
    { provide: EVENT_STORE, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir }) },
    { provide: READ_STORE, inject: [SES_CONFIG], useFactory: (config: SesConfig) => createReadStore({ url: config.readStoreUrl, dataDir: config.dataDir }) },
    { provide: TokenVerifier, inject: [SES_CONFIG], useFactory: (config: SesConfig) => new TokenVerifier(config.auth) },
    {
      provide: ProjectionEngine,
      inject: [EVENT_STORE, READ_STORE, LOGGER],
      useFactory: (events: EventStore, reads: ReadStore, logger: Logger) => new ProjectionEngine(events, reads, PROJECTIONS, logger),
    },
    {
      provide: READINESS,
      inject: [ProjectionEngine],
      useFactory: (engine: ProjectionEngine): Readiness => ({
        check: async () => ({ ready: !engine.failed, details: { projectedPosition: engine.position.toString(), ...(engine.failed ? { error: engine.failed.message } : {}) } }),
      }),
    },
  ],
  exports: [SES_CONFIG, LOGGER, EVENT_STORE, READ_STORE, TokenVerifier, ProjectionEngine, READINESS],
})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
    await this.events.close();
    await this.reads.close();
  }
}
