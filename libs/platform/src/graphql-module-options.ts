import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Logger } from 'pino';
import { graphqlLimitsFrom, type GraphqlLimits } from './config';
import { formatErrorWith, productionPlugins } from './graphql-hardening';
import { observabilityPlugin } from './metrics/graphql-observability';
import { requestLimitsRule } from './request-limits';
import { storeUnavailablePlugin } from './store-unavailable';

/**
 * GraphQL settings both apps share: request limits, error mapping, production switches.
 * `limits` defaults to the SES_GRAPHQL_* environment (what SES_CONFIG holds).
 */
export function sharedGraphqlOptions(logger: Logger, production: boolean, limits: GraphqlLimits = graphqlLimitsFrom()): ApolloDriverConfig {
  return {
    path: '/graphql',
    sortSchema: true,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    playground: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // graphql-js stops lexing at the token limit: a huge document costs what its first tokens cost.
    parseOptions: { maxTokens: limits.maxTokens },
    // Runs first among the custom rules and skips the rest of validation for a refused document.
    validationRules: [requestLimitsRule(limits)],
    plugins: [...productionPlugins(production), observabilityPlugin(), storeUnavailablePlugin()],
    // Nest's driver would set every response with data back to 200 after our plugins ran; no resolver here sets its own status.
    preserveHttpStatusForExecutionErrors: false,
    formatError: formatErrorWith(logger, production),
  };
}
