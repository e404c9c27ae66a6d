import type { CheckoutRecord, CheckoutStatus, SessionRecord, SessionStatus } from '@ses/domain';
import type { PoolRef, RecordedResult } from '../lookups/lookups';

/**
 * The command side's persistent index of the log, and its aggregate snapshots: the port.
 * Two adapters implement it (SqliteCommandIndexStore: a file in the data directory, the
 * embedded default; MongoCommandIndexStore: a database next to the read models when
 * SES_READ_STORE names MongoDB) and pass one contract suite (command-index.contract.ts).
 * Production code never asks which one it has.
 *
 * The index is derived data: LogIndex feeds it the writes of each page of the log
 * (indexWritesOf) with the page's last position, and `apply` stores them and moves the
 * checkpoint as one unit, skipping writes at or below the checkpoint already stored, so
 * several processes may feed one store and a re-applied page changes nothing. Deleting
 * it is safe: the next start rebuilds it from the log.
 */

/** A session as the index records it, with the pool it belongs to. */
export interface IndexedSession extends SessionRecord, PoolRef {
  sessionId: string;
}

/** One change to the index, derived from one event at `position` (index-writes.ts). */
export type IndexWrite =
  /** An account, user, group, alert rule or entitlement id and its account (never changes). */
  | { kind: 'entity'; entityId: string; accountId: string; position: bigint }
  /** A session started (active since `lastActivityMs`) or was denied (lastActivityMs null). */
  | { kind: 'session'; pool: PoolRef; sessionId: string; record: SessionRecord; lastActivityMs: number | null; position: bigint }
  /** A heartbeat of an active session. */
  | { kind: 'sessionActivity'; pool: PoolRef; sessionId: string; lastActivityMs: number; position: bigint }
  /** A session ended or timed out. */
  | { kind: 'sessionClosed'; pool: PoolRef; sessionId: string; status: Exclude<SessionStatus, 'ACTIVE' | 'DENIED'>; position: bigint }
  /** A check-out, active until `expiresMs`. */
  | { kind: 'checkout'; pool: PoolRef; checkoutId: string; userId: string; expiresMs: number; position: bigint }
  /** A check-out checked in or expired. */
  | { kind: 'checkoutClosed'; checkoutId: string; status: Exclude<CheckoutStatus, 'ACTIVE'>; position: bigint }
  /** A command's recorded result (on every event of its append; the last one's position wins). */
  | { kind: 'result'; key: string; result: unknown; position: bigint };

/** An aggregate's state at a revision of its stream, encoded (snapshots.ts). */
export interface Snapshot {
  streamId: string;
  /** The aggregate's stateVersion when it was taken: another version is ignored. */
  stateVersion: number;
  revision: bigint;
  /** Global position of the event at `revision`. */
  position: bigint;
  /** Hash of the event at `revision`: the next append chains to it. */
  lastHash: string;
  state: Uint8Array;
}

export interface CommandIndexStore {
  /** Position of the last event indexed; null when the index was never built (a new store, or a data directory from before it). */
  checkpoint(): Promise<bigint | null>;
  /**
   * Stores `writes` (in log order) and moves the checkpoint to `upTo`, as one unit where the
   * store allows (SQLite: one transaction), else write by write guarded by position
   * (MongoDB) with the checkpoint last. Writes at or below the stored checkpoint are skipped.
   */
  apply(writes: readonly IndexWrite[], upTo: bigint): Promise<void>;
  /** Forgets everything (index and snapshots): the next start rebuilds from the log. */
  reset(): Promise<void>;

  accountOf(entityId: string): Promise<string | undefined>;
  /** Every session with this id, in any pool of any account. */
  sessions(sessionId: string): Promise<IndexedSession[]>;
  session(pool: PoolRef, sessionId: string): Promise<SessionRecord | null>;
  checkout(checkoutId: string): Promise<(CheckoutRecord & { pool: PoolRef }) | null>;
  result(idempotencyKey: string): Promise<RecordedResult | undefined>;
  pools(): Promise<PoolRef[]>;
  /**
   * Pools with an active session last active at least `ttlMs` before `nowMs`, or an active
   * check-out expiring at or before `nowMs`; earliest due first, at most `limit`.
   */
  duePools(nowMs: number, ttlMs: number, limit: number): Promise<PoolRef[]>;

  loadSnapshot(streamId: string): Promise<Snapshot | undefined>;
  /** Keeps the snapshot unless one of a later revision (and the same stateVersion) is stored. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;

  close(): Promise<void>;
}

export const COMMAND_INDEX_STORE = Symbol('COMMAND_INDEX_STORE');

/** Raised when what the index stores changes shape: an index of another version is rebuilt from the log. */
export const COMMAND_INDEX_VERSION = 1;
