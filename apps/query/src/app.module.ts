import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { TokenVerifier } from '@ses/auth';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { formatErrorWith, HealthController, LOGGER, SES_CONFIG, sharedGraphqlOptions, type SesConfig } from '@ses/platform';
import type { GraphQLError } from 'graphql';
import { AccountResolver } from './accounts/account.resolver';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { GroupResolver, UserResolver } from './accounts/user.resolver';
import { DateTimeScalar } from './graphql/types';
import { HistoryResolver } from './history/history.resolver';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { ProjectionEngine } from './projections/projection-engine';
import { authorizationFromConnectionParams, contextFactory } from './shared/query-context';
import { LiveModule } from './live/live.module';
import { PortalModule } from './portal/portal.module';
import { SeatsModule } from './seats/seats.module';

@Module({
  imports: [
    InfrastructureModule,
    AnalyticsModule,
    AuditModule,
    SeatsModule,
    LiveModule,
    PortalModule,
    TerminusModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [SES_CONFIG, LOGGER, TokenVerifier, READ_STORE, ProjectionEngine],
      useFactory: (config: SesConfig, logger: Logger, verifier: TokenVerifier, readStore: ReadStore, engine: ProjectionEngine) => {
        // graphql-ws answers errors itself: give them the same contract codes as HTTP.
        const formatError = formatErrorWith(logger, config.production);
        const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
        return {
          ...sharedGraphqlOptions(logger, config.production),
          buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
          context: contextFactory({ verifier, readStore, engine, minPositionTimeoutMs: config.minPositionTimeoutMs }),
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              // A connection without a valid token is refused (4403) before any subscription.
              onConnect: async (ctx: { connectionParams?: Record<string, unknown> }) => {
                try {
                  await verifier.verify(authorizationFromConnectionParams(ctx.connectionParams));
                  return true;
                } catch {
                  return false;
                }
              },
              onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => format(errors),
              onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: { data?: unknown; errors?: readonly GraphQLError[] }) =>
                result.errors ? { ...result, errors: format(result.errors) } : undefined,
              // onError is a graphql-ws option that Nest passes through but does not type.
            } as GraphQLWsSubscriptionsConfig,
          },
        };
      },
    }),
  ],
  controllers: [HealthController],
  providers: [AccountResolver, UserResolver, GroupResolver, HistoryResolver],
})
export class AppModule {}
