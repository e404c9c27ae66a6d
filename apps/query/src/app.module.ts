import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { TokenVerifier } from '@ses/auth';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { HealthController, LOGGER, ObservabilityModule, SES_CONFIG, sharedGraphqlOptions, type SesConfig } from '@ses/platform';
import { AccountResolver } from './accounts/account.resolver';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { GroupResolver, UserResolver } from './accounts/user.resolver';
import { querySchemaOptions } from './graphql/schema';
import { HistoryResolver } from './history/history.resolver';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { ProjectionEngine } from './projections/projection-engine';
import { contextFactory } from './shared/query-context';
import { LiveModule } from './live/live.module';
import { NotificationsModule } from './notifications/notifications.module';
import { QueryObservability } from './observability/query-observability';
import { PortalModule } from './portal/portal.module';
import { SeatsModule } from './seats/seats.module';
import { OnboardingModule } from './onboarding/onboarding.module';

@Module({
  imports: [
    InfrastructureModule,
    AnalyticsModule,
    AuditModule,
    SeatsModule,
    LiveModule,
    NotificationsModule,
    PortalModule,
    OnboardingModule,
    ObservabilityModule,
    // HealthController logs changes of readiness once; Terminus would log every failed probe at error.
    TerminusModule.forRoot({ logger: false }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [SES_CONFIG, LOGGER, TokenVerifier, READ_STORE, ProjectionEngine],
      useFactory: (config: SesConfig, logger: Logger, verifier: TokenVerifier, readStore: ReadStore, engine: ProjectionEngine) => ({
        ...sharedGraphqlOptions(logger, config.production, config.graphql),
        ...querySchemaOptions(),
        context: contextFactory({ verifier, readStore, engine, minPositionTimeoutMs: config.minPositionTimeoutMs }),
        // graphql-ws (subscriptions) is served by live/live-server.ts, with the same request limits and its own.
      }),
    }),
  ],
  controllers: [HealthController],
  providers: [AccountResolver, UserResolver, GroupResolver, HistoryResolver, QueryObservability],
})
export class AppModule {}
