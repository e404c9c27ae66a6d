import { Client, cacheExchange, fetchExchange, makeOperation, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';
import type { Positions } from './positions';

export interface Endpoints {
  /** The command API (mutations), usually another origin: it answers CORS for the portal's origin. */
  commandUrl: string;
  /** The query API of the app that serves the portal. */
  queryUrl: string;
  wsUrl: string;
}

export type LiveState = 'connecting' | 'live' | 'offline';

/** The live connection's state, for the "Live" badge (graphql-ws connects lazily, on the first subscription). */
export class LiveStatus {
  state: LiveState = 'offline';
  private readonly listeners = new Set<() => void>();
  set(state: LiveState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  get = (): LiveState => this.state;
}

export interface ApiClient {
  client: Client;
  ws: WsClient;
  live: LiveStatus;
  dispose(): void;
}

/**
 * One urql client for both APIs: queries go to the query API with `x-ses-min-position`,
 * mutations are routed to the command API, subscriptions go over graphql-ws with the
 * token (and the position) in connection_init, as the contract says.
 */
export function createApiClient(endpoints: Endpoints, token: string, positions: Positions): ApiClient {
  const authorization = `Bearer ${token}`;
  const live = new LiveStatus();
  const ws = createWsClient({
    url: endpoints.wsUrl,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => ({ authorization, ...positions.header }),
    on: {
      connecting: () => live.set('connecting'),
      connected: () => live.set('live'),
      closed: () => live.set('offline'),
    },
  });
  const client = new Client({
    url: endpoints.queryUrl,
    // POST only: the APIs' CSRF prevention refuses GET requests without a preflight header.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization, ...positions.header } }),
    exchanges: [
      cacheExchange,
      mapExchange({
        onOperation: (operation) =>
          operation.kind === 'mutation'
            ? makeOperation('mutation', operation, {
                ...operation.context,
                url: endpoints.commandUrl,
                fetchOptions: () => ({ headers: { authorization } }),
              })
            : operation,
        onResult: (result) => {
          // Every mutation payload carries `position`: remember the highest for read-your-writes.
          if (result.operation.kind === 'mutation' && result.data) {
            for (const payload of Object.values(result.data as Record<string, unknown>)) {
              if (payload && typeof payload === 'object' && 'position' in payload) positions.note(String((payload as { position: unknown }).position));
            }
          }
        },
      }),
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
      fetchExchange,
    ],
  });
  return { client, ws, live, dispose: () => void ws.dispose() };
}

/** Endpoints relative to where the portal is served (the query app), plus the command URL from the runtime config. */
export function endpointsFor(commandUrl: string, location: Pick<Location, 'protocol' | 'host'>): Endpoints {
  return {
    commandUrl,
    queryUrl: `${location.protocol}//${location.host}/graphql`,
    wsUrl: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`,
  };
}
