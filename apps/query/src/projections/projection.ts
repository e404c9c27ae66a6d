import type { StoredEvent } from '@ses/event-store';
import type { WriteOp } from '@ses/read-store';

/** An event as projections see it: decoded by the event store (upcast, typed); `switch (event.type)` narrows `data`. */
export type ProjectedEvent = StoredEvent;

/** The `default` of a projection's `switch (event.type)`: the compiler makes every event type a case. */
export function unhandled(event: never): never {
  throw new Error(`no projection case for event ${JSON.stringify(event)}`);
}

/**
 * A projection is a pure function from one event to read-store writes (MongoDB
 * dialect), so it runs unchanged on both read-store adapters and in rebuilds.
 */
export interface Projection {
  readonly name: string;
  /** Raised whenever what it writes changes shape: read models of another version are rebuilt from the log. */
  readonly version: number;
  readonly collections: readonly string[];
  /** Secondary indexes the queries need: collection -> fields. */
  readonly indexes?: readonly { collection: string; fields: Record<string, 1 | -1> }[];
  project(event: ProjectedEvent): WriteOp[];
}

export const COLLECTIONS = {
  accounts: 'accounts',
  entitlements: 'entitlements',
  users: 'users',
  groups: 'groups',
  alertRules: 'alertRules',
  history: 'history',
  sessions: 'sessions',
  checkouts: 'checkouts',
  alerts: 'alerts',
} as const;

/** Set on sessions and check-outs while they hold a seat: one indexed equality finds a pool's seat holders. */
export const poolKey = (accountId: string, productId: string): string => `${accountId}|${productId}`;

/**
 * Session documents are keyed by account and session: session ids are the clients' and
 * scoped by account, so two accounts' sessions with one id are two documents. (Account
 * ids are the service's UUIDs: the first `|` ends one.)
 */
export const sessionKey = (accountId: string, sessionId: string): string => `${accountId}|${sessionId}`;

/** History documents are keyed by position, zero-padded so that string order is position order. */
export const positionKey = (position: bigint): string => position.toString().padStart(20, '0');
