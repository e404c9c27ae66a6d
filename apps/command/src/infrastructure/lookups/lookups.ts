/*
 * Command-side lookups that no single aggregate answers, behind two small interfaces so
 * that their implementation (today an in-memory index rebuilt by tailing the log,
 * InMemoryLogIndex) can be replaced by a persistent one without touching handlers.
 * Every answer must include everything appended before the question was asked
 * (an id the service handed out is always found).
 */

/** A seat pool: one account's sessions, check-outs and alerts of one product. */
export interface PoolRef {
  accountId: string;
  productId: string;
}

/** Which account or seat pool an id belongs to. */
export interface EntityLocator {
  /** The account of an account, user, group, alert rule, entitlement or webhook id; undefined when never issued. */
  accountOf(entityId: string): Promise<string | undefined>;
  /** Every pool, of any account, that holds a session with this (client-chosen) id: session ids are scoped by account. */
  poolsOfSession(sessionId: string): Promise<PoolRef[]>;
  /** The pool of a check-out id (ids the service issued, unique across accounts); undefined when never issued. */
  poolOfCheckout(checkoutId: string): Promise<PoolRef | undefined>;
  /** Every pool that has had a session or a check-out (the usage timers visit them). */
  knownPools(): Promise<PoolRef[]>;
}

export const ENTITY_LOCATOR = Symbol('ENTITY_LOCATOR');

/** The result a command recorded in its events' metadata, and the position of its last event. */
export interface RecordedResult {
  result: unknown;
  position: bigint;
}

/** Results of commands already handled, by idempotency key: a repeated commandId answers the first result. */
export interface CommandResults {
  find(idempotencyKey: string): Promise<RecordedResult | undefined>;
}

export const COMMAND_RESULTS = Symbol('COMMAND_RESULTS');
