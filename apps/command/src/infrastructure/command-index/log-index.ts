import type { CheckoutRecord, SessionRecord } from '@ses/domain';
import type { EventStore, StoredEvent } from '@ses/event-store';
import type { Logger } from 'pino';
import type { StreamChangeListener, StreamChanges } from '../stream-changes';
import type { CommandResults, DueTimers, EntityLocator, PoolRecords, PoolRef, RecordedResult } from '../lookups/lookups';
import { CoalescedRun } from './coalesced-run';
import type { CommandIndexStore } from './command-index-store.port';
import { indexWritesOf } from './index-writes';

/** Told about every event of a build from the start of the log (e.g. to fold snapshots), then once at the end. */
export interface BuildListener {
  onEvent(event: StoredEvent): Promise<void> | void;
  finish(): Promise<Record<string, unknown>>;
}

export interface LogIndexOptions {
  /** Events read from the log per page (and stored per `apply`); default 5000. */
  pageSize?: number;
  /** How often the index follows the log in the background (it also catches up on every miss); default 500 ms, 0 for never. */
  followIntervalMs?: number;
  /** Folds what a first build (from the start of the log) sees, e.g. into snapshots. */
  buildListener?: () => BuildListener;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * The command side's lookups, answered from a persistent index of the log
 * (CommandIndexStore) instead of maps rebuilt at every start.
 *
 * Exactness: the index is checkpointed (it holds every event up to its checkpoint), and
 * an answer that might be incomplete first catches the index up to the log's head: a miss
 * (an id not found), and every question where a hit is not final (poolsOfSession, due
 * timers). So whatever was appended before a question is in its answer, with no replay
 * at start: a restart reads only the events after the checkpoint. A pool's records are
 * asked with the position of the pool's state they complete (the index catches up only
 * when it is behind it).
 *
 * First start on a log that has no index (a data directory from before it, a new MongoDB
 * database, or a deleted index file): the index is built from the whole log, once,
 * before the app serves, and it is logged; `buildListener` sees those events too.
 */
export class LogIndex implements EntityLocator, CommandResults, PoolRecords, DueTimers, StreamChanges {
  /** Everything up to here is in the store (as far as this process knows; other processes may have stored more). */
  private indexed = -1n;
  private readonly pageSize: number;
  private readonly catchingUp = new CoalescedRun(() => this.catchUpOnce());
  private listener?: BuildListener;
  private readonly changeListeners: StreamChangeListener[] = [];
  /**
   * Session ids poolsOfSession found in no pool, with the index position that answer held
   * (the latest few hundred): a pool's record of one asked with a position at or below it is
   * known absent without asking the store (every usage start asks both questions of a new id).
   */
  private readonly absentSessions = new Map<string, bigint>();
  private follow?: NodeJS.Timeout;
  /** Events read from the log by this index (tests assert what a start reads). */
  eventsRead = 0;
  /** Settles when start() has built or caught up the index: no answer is given before. */
  private readonly started: Promise<void>;
  private settleStart!: (error?: unknown) => void;

  constructor(
    private readonly events: EventStore,
    private readonly store: CommandIndexStore,
    private readonly options: LogIndexOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 5000;
    this.started = new Promise<void>((resolve, reject) => {
      this.settleStart = (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error))));
    });
    this.started.catch(() => undefined); // observed by every caller; no unhandled rejection meanwhile
  }

  /** Builds the index when it has never been built for this log, else catches up from its checkpoint; then follows the log. */
  async start(): Promise<void> {
    try {
      await this.buildOrCatchUp();
      this.settleStart();
    } catch (error) {
      this.settleStart(error);
      throw error;
    }
  }

  private async buildOrCatchUp(): Promise<void> {
    const logger = this.options.logger;
    const checkpoint = await this.store.checkpoint();
    const head = await this.events.headPosition();
    let rebuild: string | undefined;
    if (checkpoint === null && head >= 0n) rebuild = 'the command index does not exist yet (first start with it on this data, or it was deleted)';
    if (checkpoint !== null && checkpoint > head) {
      rebuild = `the command index is ahead of the event store (index at ${checkpoint}, log head ${head}): it was built from another log`;
      await this.store.reset();
    }
    if (rebuild) {
      logger?.info({ reason: rebuild, logHead: head.toString() }, 'command index: building it from the log, once');
      const started = Date.now();
      this.listener = this.options.buildListener?.();
      try {
        await this.catchingUp.run();
        const folded = (await this.listener?.finish()) ?? {};
        logger?.info(
          { events: this.eventsRead, indexedUpTo: this.indexed.toString(), ms: Date.now() - started, ...folded },
          'command index: built from the log',
        );
      } finally {
        this.listener = undefined;
      }
    } else {
      await this.catchingUp.run();
    }
    // Nothing to index (an empty log): record that the index is complete, so the next start does not build it again.
    if ((await this.store.checkpoint()) === null) await this.store.apply([], -1n);
    const interval = this.options.followIntervalMs ?? 500;
    if (interval > 0) {
      this.follow = setInterval(() => {
        this.catchUp().catch((error: unknown) =>
          logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'command index: catch-up failed'),
        );
      }, interval);
      this.follow.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.follow);
    // Let a catch-up in progress finish before the stores close.
    await this.catchingUp.idle();
  }

  /** Reads and stores whatever the log holds beyond the index (a run that starts after this call). */
  async catchUp(): Promise<void> {
    await this.started;
    return this.catchingUp.run();
  }

  /** Names "now" for `since`. */
  ticket(): number {
    return this.catchingUp.ticket();
  }

  /** As catchUp, satisfied by any catch-up that started after `ticket` was taken (the lookups of one command share one). */
  async since(ticket: number): Promise<void> {
    await this.started;
    return this.catchingUp.since(ticket);
  }

  /** `listener` is told the stream and revision of every event the index reads from now on, and of every stretch of the log it skips. */
  listen(listener: StreamChangeListener): void {
    this.changeListeners.push(listener);
  }

  async accountOf(entityId: string): Promise<string | undefined> {
    await this.started;
    return (await this.store.accountOf(entityId)) ?? (await this.catchUp(), await this.store.accountOf(entityId));
  }

  /** Always caught up first (since `freshSince`, a ticket, when given): a hit in one account says nothing about the others. */
  async poolsOfSession(sessionId: string, freshSince?: number): Promise<PoolRef[]> {
    await (freshSince === undefined ? this.catchUp() : this.since(freshSince));
    const indexedBefore = this.indexed;
    const found = await this.store.sessions(sessionId);
    if (found.length === 0) this.rememberAbsent(sessionId, indexedBefore);
    const pools = new Map<string, PoolRef>();
    for (const { accountId, productId } of found) pools.set(JSON.stringify([accountId, productId]), { accountId, productId });
    return [...pools.values()];
  }

  async poolOfCheckout(checkoutId: string): Promise<PoolRef | undefined> {
    await this.started;
    const found = (await this.store.checkout(checkoutId)) ?? (await this.catchUp(), await this.store.checkout(checkoutId));
    return found?.pool;
  }

  async knownPools(): Promise<PoolRef[]> {
    await this.catchUp();
    return this.store.pools();
  }

  async find(idempotencyKey: string): Promise<RecordedResult | undefined> {
    await this.started;
    return (await this.store.result(idempotencyKey)) ?? (await this.catchUp(), await this.store.result(idempotencyKey));
  }

  async session(pool: PoolRef, sessionId: string, seenPosition: bigint): Promise<SessionRecord | null> {
    await this.started;
    const absentAt = this.absentSessions.get(sessionId);
    if (absentAt !== undefined && absentAt >= seenPosition) return null;
    await this.reach(seenPosition);
    const found = await this.store.session(pool, sessionId);
    return (
      found && { userId: found.userId, allowed: found.allowed, denyReason: found.denyReason, termLicenseUsage: found.termLicenseUsage, status: found.status }
    );
  }

  async checkout(pool: PoolRef, checkoutId: string, seenPosition: bigint): Promise<CheckoutRecord | null> {
    await this.started;
    await this.reach(seenPosition);
    const found = await this.store.checkout(checkoutId);
    if (!found || found.pool.accountId !== pool.accountId || found.pool.productId !== pool.productId) return null;
    return { userId: found.userId, status: found.status };
  }

  async duePools(nowMs: number, ttlSeconds: number, limit: number): Promise<PoolRef[]> {
    await this.catchUp();
    return this.store.duePools(nowMs, ttlSeconds * 1000, limit);
  }

  private rememberAbsent(sessionId: string, indexed: bigint): void {
    this.absentSessions.delete(sessionId);
    this.absentSessions.set(sessionId, indexed);
    if (this.absentSessions.size > 512) this.absentSessions.delete(this.absentSessions.keys().next().value!);
  }

  /** Catches up unless the index already holds everything up to `position`. */
  private async reach(position: bigint): Promise<void> {
    if (this.indexed < position) await this.catchUp();
  }

  private async catchUpOnce(): Promise<void> {
    const stored = await this.store.checkpoint();
    let after = this.indexed;
    if (stored !== null && stored > this.indexed) {
      // Another process indexed (stored > indexed) events this one will not read: whoever follows the log through it hears so.
      after = stored;
      for (const listener of this.changeListeners) listener.skipped();
    }
    for (;;) {
      const page = await this.events.readAll({ after: after < 0n ? undefined : after, maxCount: this.pageSize });
      if (page.length === 0) break;
      this.eventsRead += page.length;
      const writes = [];
      for (const event of page) {
        for (const listener of this.changeListeners) listener.changed(event.streamId, event.revision);
        writes.push(...indexWritesOf(event));
        if (this.listener) await this.listener.onEvent(event);
      }
      after = page[page.length - 1]!.position;
      await this.store.apply(writes, after);
      this.indexed = after;
      if (page.length < this.pageSize) break;
    }
    if (after > this.indexed) this.indexed = after;
  }
}
