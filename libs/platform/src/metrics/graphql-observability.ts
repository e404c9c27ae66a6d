import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { SpanStatusCode } from '@opentelemetry/api';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { activeSpan } from '../tracing/tracing';
import { sesMetrics } from './metrics';

/**
 * The operation label of a request: its root field when it has one (`checkOut`, `me`),
 * `multiple` for several, `(none)` for a document that never resolved to an operation
 * (malformed, refused by the request limits). Root fields come from the schema, so the label
 * set is small; a client-chosen operation name would not be.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return '(none)';
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else return 'multiple';
  }
  if (names.size === 1) return [...names][0];
  return names.size === 0 ? '(none)' : 'multiple';
}

/** `ok`, or the `extensions.code` of the first error answered (after error mapping: a contract code or a GraphQL request code). */
export function outcomeLabel(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  if (!errors || errors.length === 0) return 'ok';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo plugin of both apps: the latency histogram of every GraphQL request over HTTP by
 * operation and outcome, and, when tracing is on, the request's span named after its
 * operation (`mutation checkOut`) with the outcome as an attribute.
 */
export function observabilityPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async didResolveOperation({ operation }) {
          const span = activeSpan();
          if (span && operation) span.updateName(`${operation.operation} ${operationLabel(operation)}`);
        },
        async willSendResponse({ operation, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const outcome = outcomeLabel(errors);
          const type = operation?.operation ?? 'unknown';
          const name = operationLabel(operation);
          sesMetrics.graphqlRequest(type, name, outcome, (performance.now() - startedAt) / 1000);
          const span = activeSpan();
          if (span) {
            span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name, 'ses.outcome': outcome });
            if (outcome === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR });
          }
        },
      };
    },
  };
}
