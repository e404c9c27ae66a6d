import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { TokenVerifier } from '@ses/auth';
import { HealthController, LOGGER, ObservabilityModule, RateLimitModule, SES_CONFIG, sharedGraphqlOptions, type SesConfig } from '@ses/platform';
import { AccountsResolver } from './accounts/accounts.resolver';
import { GrantEntitlementHandler } from './accounts/grant-entitlement/grant-entitlement.handler';
import { OpenAccountHandler } from './accounts/open-account/open-account.handler';
import { RevokeEntitlementHandler } from './accounts/revoke-entitlement/revoke-entitlement.handler';
import { AlertsResolver } from './alerts/alerts.resolver';
import { RemoveAlertRuleHandler, SetAlertRuleHandler } from './alerts/manage-alert-rules/alert-rule-commands.handler';
import { commandSchemaOptions } from './graphql/schema';
import { GroupsResolver } from './groups/groups.resolver';
import { AddGroupMemberHandler, CreateGroupHandler, RemoveGroupMemberHandler, SetGroupProductsHandler } from './groups/manage-groups/group-commands.handler';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { PortalCorsModule } from './portal/portal-cors.module';
import { AccountCommands } from './application/account-commands';
import { ActorResolver } from './application/actor-resolver';
import { CommandRunner } from './application/command-runner';
import { EmailRegistration } from './application/email-registration';
import { requestContextFactory } from './application/request-context';
import { GrantRoleHandler, RevokeRoleHandler } from './users/change-role/change-role.handler';
import { DeactivateUserHandler } from './users/deactivate-user/deactivate-user.handler';
import { RegisterUserHandler } from './users/register-user/register-user.handler';
import { UsersResolver } from './users/users.resolver';
import { CheckInHandler } from './checkouts/check-in/check-in.handler';
import { BulkCheckOutHandler, CheckOutHandler } from './checkouts/check-out/check-out.handler';
import { CheckoutsResolver } from './checkouts/checkouts.resolver';
import { LicenseSigner } from './checkouts/license-signer';
import { SeatPoolCommands } from './application/seat-pool-commands';
import { CommandHandling } from './application/command-handling';
import { UsageTimers } from './timers/usage-timers';
import { EndUsageHandler, HeartbeatUsageHandler } from './usage/session-lifecycle/session-lifecycle.handler';
import { StartUsageHandler } from './usage/start-usage/start-usage.handler';
import { UsageResolver } from './usage/usage.resolver';
import { DomainClaims } from './onboarding/domain-claims';
import { OnboardingResolver } from './onboarding/onboarding.resolver';
import { RegisterUsersHandler } from './onboarding/register-users.handler';
import { ApproveRegistrationHandler, RegistrationRequests, RejectRegistrationHandler, RequestRegistrationHandler } from './onboarding/registration.handlers';
import { SetAccountDomainsHandler } from './onboarding/set-account-domains.handler';
import { RemoveWebhookHandler, SetWebhookHandler } from './webhooks/manage-webhooks/webhook-commands.handler';
import { WebhookUrlFacts } from './webhooks/webhook-url-facts';
import { WebhooksResolver } from './webhooks/webhooks.resolver';
import { LivenessController } from './operations/liveness.controller';

const handlers = [
  OpenAccountHandler,
  GrantEntitlementHandler,
  RevokeEntitlementHandler,
  RegisterUserHandler,
  DeactivateUserHandler,
  GrantRoleHandler,
  RevokeRoleHandler,
  CreateGroupHandler,
  SetGroupProductsHandler,
  AddGroupMemberHandler,
  RemoveGroupMemberHandler,
  SetAlertRuleHandler,
  RemoveAlertRuleHandler,
  StartUsageHandler,
  HeartbeatUsageHandler,
  EndUsageHandler,
  CheckOutHandler,
  BulkCheckOutHandler,
  CheckInHandler,
  SetAccountDomainsHandler,
  RequestRegistrationHandler,
  ApproveRegistrationHandler,
  RejectRegistrationHandler,
  RegisterUsersHandler,
  SetWebhookHandler,
  RemoveWebhookHandler,
];

@Module({
  imports: [
    InfrastructureModule,
    PortalCorsModule,
    // After CORS (a 429 still carries its headers to the portal) and the request's span, before GraphQL.
    ObservabilityModule,
    RateLimitModule,
    CqrsModule.forRoot(),
    // HealthController logs changes of readiness once; Terminus would log every failed probe at error.
    TerminusModule.forRoot({ logger: false }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [SES_CONFIG, LOGGER, TokenVerifier],
      useFactory: (config: SesConfig, logger: Logger, verifier: TokenVerifier) => ({
        ...sharedGraphqlOptions(logger, config.production),
        ...commandSchemaOptions(),
        context: requestContextFactory(verifier),
      }),
    }),
  ],
  controllers: [HealthController, LivenessController],
  providers: [
    CommandRunner,
    CommandHandling,
    ActorResolver,
    AccountCommands,
    EmailRegistration,
    SeatPoolCommands,
    LicenseSigner,
    UsageTimers,
    ...handlers,
    AccountsResolver,
    UsersResolver,
    GroupsResolver,
    AlertsResolver,
    UsageResolver,
    CheckoutsResolver,
    DomainClaims,
    RegistrationRequests,
    OnboardingResolver,
    WebhookUrlFacts,
    WebhooksResolver,
  ],
})
export class AppModule {}
