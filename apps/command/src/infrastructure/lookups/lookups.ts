/*
 * Command-side lookups that no single aggregate answers, behind small interfaces so that
 * handlers never know how they are answered. One implementation, LogIndex
 * (infrastructure/command-index), answers them all from a persistent index of the log
 * (CommandIndexStore: SQLite in the data directory, or MongoDB) that it keeps exactly
 * in step with the log. Every answer includes everything appended before the question
 * was asked (an id the service handed out is always found).
 */
import type { CheckoutRecord, SessionRecord } from '@ses/domain';

/** A seat pool: one account's sessions, check-outs and alerts of one product. */
export interface PoolRef {
  accountId: string;
  productId: string;
}

/** Which account or seat pool an id belongs to. */
export interface EntityLocator {
  /** The account of an account, user, group, alert rule, entitlement, registration request or webhook id; undefined when never issued. */
  accountOf(entityId: string): Promise<string | undefined>;
  /**
   * Every pool, of any account, that holds a session with this (client-chosen) id: session ids are scoped by account.
   * `freshSince`: a ticket of the command asking (RunContext.freshSince); "before the question" then means before the ticket.
   */
  poolsOfSession(sessionId: string, freshSince?: number): Promise<PoolRef[]>;
  /** The pool of a check-out id (ids the service issued, unique across accounts); undefined when never issued. */
  poolOfCheckout(checkoutId: string): Promise<PoolRef | undefined>;
  /** Every pool that has had a session or a check-out. */
  knownPools(): Promise<PoolRef[]>;
}

export const ENTITY_LOCATOR = Symbol('ENTITY_LOCATOR');

/** The result a command recorded in its events' metadata, and the position of its last event. */
export interface RecordedResult {
  result: unknown;
  position: bigint;
}

/** Results of commands already handled, by idempotency key: a repeated commandId answers the first result, at any age. */
export interface CommandResults {
  find(idempotencyKey: string): Promise<RecordedResult | undefined>;
}

export const COMMAND_RESULTS = Symbol('COMMAND_RESULTS');

/**
 * What a seat pool's history recorded about an id (the pool's state keeps active sessions
 * and check-outs only). `seenPosition`: the position of the pool's state the answer
 * completes (Loaded.position); the answer reflects at least everything up to it.
 */
export interface PoolRecords {
  session(pool: PoolRef, sessionId: string, seenPosition: bigint): Promise<SessionRecord | null>;
  checkout(pool: PoolRef, checkoutId: string, seenPosition: bigint): Promise<CheckoutRecord | null>;
}

export const POOL_RECORDS = Symbol('POOL_RECORDS');

/** Seat pools with a session time-out or a check-out expiry due, found by due time (a tick costs what is due). */
export interface DueTimers {
  /**
   * Pools with an active session whose last activity (heartbeat, else start) is at least
   * `ttlSeconds` before `nowMs`, or an active check-out that expires at or before `nowMs`;
   * earliest first, at most `limit`.
   */
  duePools(nowMs: number, ttlSeconds: number, limit: number): Promise<PoolRef[]>;
}

export const DUE_TIMERS = Symbol('DUE_TIMERS');
