import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Logger } from 'pino';
import { complexityLimitPlugin, formatErrorWith, productionPlugins, validationRules } from './graphql-hardening';

/** GraphQL settings both apps share: hardening, error mapping, production switches. */
export function sharedGraphqlOptions(logger: Logger, production: boolean): ApolloDriverConfig {
  return {
    path: '/graphql',
    sortSchema: true,
    introspection: !production,
    playground: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    validationRules: validationRules(),
    plugins: [complexityLimitPlugin(), ...productionPlugins(production)],
    formatError: formatErrorWith(logger, production),
  };
}
