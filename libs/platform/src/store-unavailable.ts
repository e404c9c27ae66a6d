import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { EVENT_STORE_UNAVAILABLE_ERRORS, isEventStoreUnavailable } from '@ses/event-store';
import { READ_STORE_UNAVAILABLE_ERRORS, isReadStoreUnavailable } from '@ses/read-store';

/**
 * The `extensions.code` of a request refused because a store the service needs could not be
 * reached just now (this service's addition to the contract's codes, like RATE_LIMITED):
 * HTTP 503 with `Retry-After`, and `extensions.retryAfterSeconds`.
 */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** What clients are told to wait: the stores' clients reconnect by themselves within about this. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

type Store = 'event store' | 'read store';

/** Which store `error` says could not be reached, if it says so (the adapters' libraries know their drivers' errors). */
export function unavailableStoreOf(error: unknown): Store | undefined {
  if (isEventStoreUnavailable(error)) return 'event store';
  if (isReadStoreUnavailable(error)) return 'read store';
  return undefined;
}

const unavailableMessage = (store: Store) => `the ${store} cannot be reached just now; retry after ${STORE_UNAVAILABLE_RETRY_AFTER_SECONDS} s`;

/** The answer to a request refused for an unreachable store (by formatErrorWith). */
export function storeUnavailableError(store: Store, formatted: GraphQLFormattedError): GraphQLFormattedError {
  const retryAfterSeconds = STORE_UNAVAILABLE_RETRY_AFTER_SECONDS;
  return {
    message: `${unavailableMessage(store)} (a command retried with the same commandId, or sessionId for startUsage, takes effect at most once)`,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: SERVICE_UNAVAILABLE, retryAfterSeconds },
  };
}

/**
 * An unreachable store is an outage, not a defect: logged once at warn with what failed
 * (Nest's default filter would log each such request at error with a stack), then passed
 * on to the GraphQL layer, which answers SERVICE_UNAVAILABLE. A plain HTTP route (none
 * reads a store today) is answered 503 with Retry-After here.
 */
@Catch(...EVENT_STORE_UNAVAILABLE_ERRORS, ...READ_STORE_UNAVAILABLE_ERRORS)
export class StoreUnavailableFilter implements ExceptionFilter<Error> {
  constructor(private readonly logger: Logger) {}

  catch(error: Error, host: ArgumentsHost): void {
    const store = unavailableStoreOf(error) ?? 'event store';
    this.logger.warn({ store, err: error.message }, 'request refused: a store cannot be reached');
    if (host.getType<string>() !== 'http') throw error;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(503)
      .setHeader('Retry-After', String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS))
      .json({ statusCode: 503, code: SERVICE_UNAVAILABLE, message: unavailableMessage(store) });
  }
}

/**
 * Apollo plugin of both apps: a response that failed only for an unreachable store (no data,
 * every error SERVICE_UNAVAILABLE) is HTTP 503, and any response with such an error carries
 * `Retry-After`, so that proxies and HTTP clients see the outage without reading the body.
 */
export function storeUnavailablePlugin(): ApolloServerPlugin<BaseContext> {
  // One listener for every request: it keeps nothing per request.
  const listener: GraphQLRequestListener<BaseContext> = {
    async willSendResponse({ response }) {
      if (response.body.kind !== 'single') return;
      const { errors, data } = response.body.singleResult;
      if (!errors?.some((error) => error.extensions?.code === SERVICE_UNAVAILABLE)) return;
      response.http.headers.set('retry-after', String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS));
      const nothingAnswered = !data || Object.values(data).every((value) => value === null);
      if (nothingAnswered && errors.every((error) => error.extensions?.code === SERVICE_UNAVAILABLE)) response.http.status = 503;
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
