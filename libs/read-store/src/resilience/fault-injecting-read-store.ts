import type { Doc, Filter, FindOptions, ReadStore, WriteOp } from '../read-store.port';

/** What a failed MongoDB round trip looks like to the engine (the driver's errors carry labels; this one is plain). */
export class ReadStoreUnreachableError extends Error {
  constructor(message = 'read store unreachable (injected fault)') {
    super(message);
    this.name = 'ReadStoreUnreachableError';
  }
}

/** The checkpoint a partly applied commit's writes go under, so that the real one does not move. */
const PARTIAL = '__injected-partial-commit';

/**
 * Wraps a ReadStore for tests: commits that fail (after applying some of their writes, as a
 * MongoDB commit cut off between its writes and its checkpoint), a store that is unreachable
 * for a while, slow commits. Everything else passes through.
 */
export class FaultInjectingReadStore implements ReadStore {
  /** Every call fails while set. */
  unreachable = false;
  /** Commits wait this long first. */
  commitDelayMs = 0;
  /** Commits that went through, in order. */
  readonly committed: { projection: string; position: bigint; writes: number }[] = [];
  /** Commits refused so far. */
  failures = 0;
  private failing: { remaining: number; partial: boolean } = { remaining: 0, partial: false };

  constructor(
    private readonly inner: ReadStore,
    /** Leases shared by the wrappers that stand for several apps on one database (default: the inner store's, if any). */
    private readonly leases?: InMemoryLeases,
  ) {}

  async claimLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.check();
    if (this.leases) return this.leases.claim(name, owner, ttlMs);
    return this.inner.claimLease ? this.inner.claimLease(name, owner, ttlMs) : true;
  }

  /** The next `count` commits fail; with `partial`, each applies the first half of its writes first. */
  failNextCommits(count: number, options: { partial?: boolean } = {}): void {
    this.failing = { remaining: count, partial: options.partial ?? false };
  }

  async commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    if (this.commitDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.commitDelayMs));
    this.check();
    if (this.failing.remaining > 0) {
      this.failing.remaining -= 1;
      this.failures += 1;
      if (this.failing.partial && ops.length > 0) await this.inner.commit(PARTIAL, position, ops.slice(0, Math.ceil(ops.length / 2)));
      throw new ReadStoreUnreachableError('connection reset during commit (injected fault)');
    }
    await this.inner.commit(projection, position, ops);
    this.committed.push({ projection, position, writes: ops.length });
  }

  async find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions): Promise<T[]> {
    this.check();
    return this.inner.find<T>(collection, filter, options);
  }

  async findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null> {
    this.check();
    return this.inner.findOne<T>(collection, filter);
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    this.check();
    return this.inner.count(collection, filter);
  }

  async checkpoint(projection: string): Promise<bigint | null> {
    this.check();
    return this.inner.checkpoint(projection);
  }

  async ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void> {
    this.check();
    return this.inner.ensureIndex(collection, fields);
  }

  async reset(collections: readonly string[], projections: readonly string[]): Promise<void> {
    this.check();
    return this.inner.reset(collections, projections);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private check(): void {
    if (this.unreachable) throw new ReadStoreUnreachableError();
  }
}

/** Leases as MongoReadStore keeps them (taken when free or expired, renewed by the owner), in memory. */
export class InMemoryLeases {
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  claim(name: string, owner: string, ttlMs: number): boolean {
    const lease = this.leases.get(name);
    const now = Date.now();
    if (lease && lease.owner !== owner && lease.expiresAt >= now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  /** Who holds `name` now, if anyone. */
  holder(name: string): string | undefined {
    const lease = this.leases.get(name);
    return lease && lease.expiresAt >= Date.now() ? lease.owner : undefined;
  }
}
