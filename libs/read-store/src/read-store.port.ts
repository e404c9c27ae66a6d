/**
 * The read store port: document collections queried and updated in the MongoDB
 * dialect, so projections and queries are written once. Two adapters implement it
 * (embedded: mingo in memory, persisted in SQLite; MongoDB: the official driver)
 * and pass one contract suite (read-store.contract.ts).
 */

export interface Doc {
  _id: string;
  [field: string]: unknown;
}

/** A MongoDB query filter, e.g. `{ accountId: 'a1', status: { $in: ['ACTIVE'] } }`. */
export type Filter = Record<string, unknown>;
/** MongoDB update operators: $set $unset $inc $push $pull $addToSet $max $min. */
export type Update = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

/**
 * One write of a projection, tagged with the global position of the event that
 * caused it. A write to a document is applied only if the document has not yet
 * seen a write at this position or later, so re-applying a batch after a crash
 * changes nothing (idempotent, guarded by position).
 */
export type WriteOp =
  | { kind: 'upsert'; collection: string; id: string; update: Update; position: bigint }
  | { kind: 'update'; collection: string; filter: Filter; update: Update; position: bigint }
  | { kind: 'delete'; collection: string; filter: Filter; position: bigint };

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  skip?: number;
  /**
   * The caller promises not to modify the documents returned, nor anything in
   * them: an adapter may then hand out what it holds instead of deep copies (the
   * embedded store does; what a caller sees is the same).
   */
  readOnly?: boolean;
}

export interface ReadStore {
  find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions): Promise<T[]>;
  findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Applies `ops` in order and sets the projection's checkpoint to `position`:
   * in one transaction (embedded), or in ordered bulk writes guarded by position then
   * the checkpoint, which never moves back (MongoDB). Either way a crash never
   * double-applies or skips.
   */
  commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void>;
  /** The last position committed by the projection, or null if it never committed. */
  checkpoint(projection: string): Promise<bigint | null>;
  /** Creates a secondary index (no-op where the adapter needs none). */
  ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void>;
  /**
   * Several query apps on one store (MongoDB): claims the lease `name` for `owner` for
   * `ttlMs`, or renews it; true when `owner` holds it now. The projection engine commits
   * only while it holds its checkpoint's lease, so one app writes and the others follow the
   * checkpoint. Absent where only one process opens the store (embedded): it always writes.
   */
  claimLease?(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Removes every document of these collections and the projections' checkpoints. */
  reset(collections: readonly string[], projections: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');
