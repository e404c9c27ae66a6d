import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { getComplexity, simpleEstimator, fieldExtensionsEstimator } from 'graphql-query-complexity';
import type { Logger } from 'pino';
import { DomainError } from '@ses/domain';

export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_COMPLEXITY = 2000;
export const MAX_BODY_BYTES = '1mb';

/**
 * Complexity is checked in a plugin rather than as a validation rule because only
 * here are the operation's variables known (list sizes can come from them).
 */
export function complexityLimitPlugin(maximum = MAX_QUERY_COMPLEXITY): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const complexity = getComplexity({
            schema: schema as GraphQLSchema,
            operationName: request.operationName,
            query: document,
            variables: request.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > maximum) {
            throw new GraphQLError(`query complexity ${complexity} exceeds the limit of ${maximum}`, {
              extensions: { code: 'BAD_USER_INPUT', fields: [] },
            });
          }
        },
      };
    },
  };
}

export function validationRules(): ValidationRule[] {
  return [depthLimit(MAX_QUERY_DEPTH) as ValidationRule];
}

const PASS_THROUGH_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'NOT_CAUGHT_UP', 'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Maps domain errors to the contract's `extensions.code` (+ `fields` for bad input),
 * keeps Apollo's own request-level codes, and hides anything unexpected behind a
 * generic INTERNAL_SERVER_ERROR (logged with its stack, never sent to clients).
 */
export function formatErrorWith(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...(original.fields.length ? { fields: original.fields } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      // Apollo's input coercion errors (bad enum, missing field) are BAD_USER_INPUT: name the fields we can.
      return { ...formatted, extensions: { ...formatted.extensions, ...(production ? { stacktrace: undefined } : {}) } };
    }
    logger.error({ err: original instanceof Error ? { message: original.message, stack: original.stack } : String(original) }, 'unexpected error');
    return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

export function productionPlugins(production: boolean): ApolloServerPlugin[] {
  return production ? [ApolloServerPluginLandingPageDisabled()] : [];
}
