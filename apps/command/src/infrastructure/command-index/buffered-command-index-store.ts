import type { CheckoutRecord, SessionRecord } from '@ses/domain';
import type { PoolRef, RecordedResult } from '../lookups/lookups';
import type { CommandIndexStore, IndexedSession, IndexWrite, Snapshot } from './command-index-store.port';
import { IndexOverlay, poolKey, resolveEntry, type PooledCheckout } from './index-overlay';

export interface BufferedIndexOptions {
  /** Writes are stored at most this long after they came (default 200 ms)... */
  flushAfterMs?: number;
  /** ...or once this many are waiting (default 2,000). */
  flushAtWrites?: number;
  /** Past this many waiting writes (the store failing meanwhile), `apply` waits for them to be stored (default 100,000). */
  maxWaitingWrites?: number;
  /** The first failure of a run of failed flushes (they are retried; the writes stay answered from memory). */
  onFlushError?: (error: unknown) => void;
}

/**
 * A CommandIndexStore that stores the index's writes in batches, answering from memory what
 * is not stored yet. Every usage start made the index follow the log and store a few writes
 * in a transaction of their own: 9% of the command app's main thread under load, and with
 * those transactions left out startUsage served 13% more requests per second
 * (BENCHMARKS.md). Batched, a few transactions a second hold the same writes.
 *
 * The answers do not change: a lookup reads the unstored writes (IndexOverlay) over the
 * store. Nothing is lost: the store's checkpoint moves only with the writes it completes, so
 * a process killed before a flush reads those events from the log again when it restarts.
 * Another process feeding the same store (MongoDB, several command apps) is noticed at
 * `checkpoint()`: when the store is ahead of what waits here, this flushes (the store skips
 * what it holds) and answers from the store.
 *
 * pools() and duePools() ask the store across records: they flush first. Snapshots pass through.
 */
export class BufferedCommandIndexStore implements CommandIndexStore {
  private current = new IndexOverlay();
  /** The writes being stored, answered from here until the store has them (and kept when storing them failed). */
  private storing?: IndexOverlay;
  /** The store's checkpoint as last read or moved here; undefined until read. */
  private stored: bigint | null | undefined;
  private flushes: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private failing = false;
  private closed = false;
  private readonly flushAfterMs: number;
  private readonly flushAtWrites: number;
  private readonly maxWaitingWrites: number;

  constructor(
    private readonly inner: CommandIndexStore,
    private readonly options: BufferedIndexOptions = {},
  ) {
    this.flushAfterMs = options.flushAfterMs ?? 200;
    this.flushAtWrites = options.flushAtWrites ?? 2000;
    this.maxWaitingWrites = options.maxWaitingWrites ?? 100_000;
  }

  async checkpoint(): Promise<bigint | null> {
    const stored = await this.readStored();
    const waiting = this.waitingUpTo();
    if (waiting === undefined) return stored;
    if (stored !== null && stored >= waiting) {
      // Another process stored all this and more: what waits here adds nothing.
      await this.flushAll();
      return this.stored ?? stored;
    }
    return waiting;
  }

  async apply(writes: readonly IndexWrite[], upTo: bigint): Promise<void> {
    // Writes at or below what is stored or waits are known already (the store skips them likewise). A floor read
    // earlier is at most lower than the store's now (another process storing meanwhile): more is kept, nothing skipped.
    const floor = this.waitingUpTo() ?? (this.stored !== undefined ? this.stored : await this.readStored());
    const layer = this.current;
    for (const write of writes) {
      if (floor !== null && write.position <= floor) continue;
      layer.add(write);
      if (layer.upTo === undefined || write.position > layer.upTo) layer.upTo = write.position;
    }
    if ((floor === null || upTo > floor) && (layer.upTo === undefined || upTo > layer.upTo)) layer.upTo = upTo;
    if (this.waitingWrites >= this.maxWaitingWrites) await this.flushAll();
    else if (this.current.writes.length >= this.flushAtWrites) this.flushInBackground();
    else if (!this.current.empty) this.scheduleFlush();
  }

  async reset(): Promise<void> {
    await this.flushes.catch(() => undefined);
    this.clearTimer();
    this.current = new IndexOverlay();
    this.storing = undefined;
    this.stored = null;
    await this.inner.reset();
  }

  async accountOf(entityId: string): Promise<string | undefined> {
    for (const layer of this.layers()) {
      const accountId = layer.entities.get(entityId);
      if (accountId !== undefined) return accountId;
    }
    return this.inner.accountOf(entityId);
  }

  async sessions(sessionId: string): Promise<IndexedSession[]> {
    const stored = await this.inner.sessions(sessionId);
    const layers = this.layers().filter((layer) => layer.sessions.has(sessionId));
    if (layers.length === 0) return stored;
    const byPool = new Map(stored.map((session) => [poolKey(session), session]));
    for (const layer of layers.reverse()) {
      for (const [key, entry] of layer.sessions.get(sessionId)!) {
        if ('record' in entry) byPool.set(key, entry.record);
        else {
          const below = byPool.get(key);
          if (below) byPool.set(key, { ...below, status: entry.closed });
        }
      }
    }
    return [...byPool.values()];
  }

  session(pool: PoolRef, sessionId: string): Promise<SessionRecord | null> {
    const key = poolKey(pool);
    return resolveEntry(
      this.layers().map((layer) => layer.sessions.get(sessionId)?.get(key)),
      () => this.inner.session(pool, sessionId),
    );
  }

  checkout(checkoutId: string): Promise<PooledCheckout | null> {
    return resolveEntry<PooledCheckout, Exclude<CheckoutRecord['status'], 'ACTIVE'>>(
      this.layers().map((layer) => layer.checkouts.get(checkoutId)),
      () => this.inner.checkout(checkoutId),
    );
  }

  async result(idempotencyKey: string): Promise<RecordedResult | undefined> {
    let latest = await this.inner.result(idempotencyKey);
    for (const layer of this.layers()) {
      const waiting = layer.results.get(idempotencyKey);
      if (waiting && (!latest || waiting.position > latest.position)) latest = waiting;
    }
    return latest;
  }

  async pools(): Promise<PoolRef[]> {
    await this.flushAll();
    return this.inner.pools();
  }

  async duePools(nowMs: number, ttlMs: number, limit: number): Promise<PoolRef[]> {
    await this.flushAll();
    return this.inner.duePools(nowMs, ttlMs, limit);
  }

  loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.inner.loadSnapshot(streamId);
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.inner.saveSnapshot(snapshot);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    try {
      await this.flushAll();
    } finally {
      await this.inner.close();
    }
  }

  /** Stores everything that waits now (the writes being stored, then the rest). */
  async flushAll(): Promise<void> {
    this.clearTimer();
    await this.flushOnce();
    if (this.storing || !this.current.empty) await this.flushOnce();
  }

  /** Writes not stored yet. */
  get waitingWrites(): number {
    return this.current.writes.length + (this.storing?.writes.length ?? 0);
  }

  /** Newest first: what lookups read before the store. */
  private layers(): IndexOverlay[] {
    return this.storing ? [this.current, this.storing] : [this.current];
  }

  private waitingUpTo(): bigint | undefined {
    return this.current.upTo ?? this.storing?.upTo;
  }

  private async readStored(): Promise<bigint | null> {
    const stored = await this.inner.checkpoint();
    this.stored = stored;
    return stored;
  }

  /** One flush at a time, in order: the layer that failed before is stored before anything newer. */
  private flushOnce(): Promise<void> {
    const flush = this.flushes.catch(() => undefined).then(() => this.flushStep());
    this.flushes = flush;
    return flush;
  }

  private async flushStep(): Promise<void> {
    if (!this.storing) {
      if (this.current.empty) return;
      this.storing = this.current;
      this.current = new IndexOverlay();
    }
    const layer = this.storing;
    await this.inner.apply(layer.writes, layer.upTo!);
    if (this.storing === layer) this.storing = undefined;
    if (this.stored === undefined || this.stored === null || layer.upTo! > this.stored) this.stored = layer.upTo!;
  }

  private flushInBackground(): void {
    this.clearTimer();
    this.flushOnce().then(
      () => {
        this.failing = false;
        if (!this.current.empty) this.scheduleFlush();
      },
      (error: unknown) => {
        if (!this.failing) this.options.onFlushError?.(error);
        this.failing = true;
        this.scheduleFlush();
      },
    );
  }

  /** A flush within flushAfterMs, unless one is planned already or the store is closed (a flush failing at close is not retried). */
  private scheduleFlush(): void {
    if (!this.closed) this.timer ??= setTimeout(() => this.flushInBackground(), this.flushAfterMs).unref();
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
