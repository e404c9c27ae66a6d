import { randomUUID } from 'node:crypto';
import { DomainError } from '@ses/domain';
import { backoffDelay, type BackoffOptions, type EventStore, type StoredEvent, type Subscription } from '@ses/event-store';
import type { ReadStore, WriteOp } from '@ses/read-store';
import type { Logger } from 'pino';
import type { ProjectedEvent, Projection } from './projection';

/** The one checkpoint all projections share (they commit together). */
export const PROJECTION_CHECKPOINT = 'read-models';
/**
 * The most events one commit takes (catching up; live, a batch is what arrived before the next
 * turn of the event loop). 2,000 rather than 500: a commit rewrites each document it touches
 * whole, and a month's usage document is written by most of a batch's events (measured on 2M
 * events: 24,100 events/s at 500, 27,400-28,100 at 2,000, no better at 5,000: garbage grows with
 * the batch). The price: a commit holds the event loop about 70 ms instead of 20 while catching up.
 */
export const PROJECTION_MAX_BATCH = 2_000;
/** Restarts after a failed commit or a throwing projection: from 200 ms up to 30 s apart. */
const DEFAULT_RESTART_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000 };

export type CommitListener = (events: readonly ProjectedEvent[]) => void;

/**
 * Where the engine stands. `running`: delivering (the event store may still be retrying
 * underneath: `sourceDown`); `restarting`: a commit or a projection failed, it resumes
 * after its last committed position at `retryAt`; `stopped`: before start() / after stop().
 */
export interface ProjectionEngineStatus {
  state: 'stopped' | 'running' | 'restarting';
  checkpoint: string;
  /** Every event up to here is in the read models. */
  position: bigint;
  /** Restarts since the engine last committed (0 when healthy). */
  restarts: number;
  /** Why it is restarting, or why the event store subscription is retrying. */
  lastError?: { cause: FailureCause | 'event-store'; message: string; at: Date };
  /** Since when the event store subscription cannot read (it retries by itself). */
  sourceDownSince?: Date;
  /** 'writer' commits the read models; 'follower' waits for another instance's commits (several query apps on one MongoDB). */
  role: 'writer' | 'follower';
  retryAt?: Date;
}

/** 'read-store': a commit failed (a MongoDB blip, a full disk...); 'projection': a projection threw on an event. */
export type FailureCause = 'read-store' | 'projection';

/**
 * Told what the engine does, for metrics (branch `ops`) and logs: all optional, all
 * synchronous and cheap; an observer that throws is logged and ignored.
 */
export interface ProjectionEngineObserver {
  /** A batch is in the read models (written by this instance, or by the writer a follower waited for): lag in events = head - position, in time = now - lastRecordedAt. */
  committed?(batch: { checkpoint: string; position: bigint; events: number; writes: number; wrote: boolean; lastRecordedAt: Date; commitMs: number }): void;
  /** This instance became the writer, or a follower of another one. */
  roleChanged?(change: { checkpoint: string; role: 'writer' | 'follower' }): void;
  /** A commit or a projection failed: the engine resumes after `after` in `delayMs`. */
  restarting?(restart: { checkpoint: string; cause: FailureCause; error: Error; attempt: number; delayMs: number; after: bigint }): void;
  /** The event store subscription lost its source (store restarting or unreachable) and retries by itself. */
  sourceRetrying?(retry: { checkpoint: string; error: Error; attempt: number; delayMs: number }): void;
  /** Delivering again: after restarts (the first commit that worked) or after the source came back. */
  recovered?(recovery: { checkpoint: string; from: 'restart' | 'event-store'; attempts: number; downMs: number; position: bigint }): void;
}

/** Nest token: an app that provides a ProjectionEngineObserver (metrics) gets it plugged into its engine. */
export const PROJECTION_ENGINE_OBSERVER = Symbol('PROJECTION_ENGINE_OBSERVER');

export interface ProjectionEngineOptions {
  /** The read store checkpoint this engine commits under (and the name of its writer lease); default PROJECTION_CHECKPOINT. */
  checkpoint?: string;
  /** This process among several on one read store (the lease's owner); default a random id. */
  instanceId?: string;
  /** How long a writer's lease lasts without renewal (a follower takes over that long after the writer died); default 10 s. */
  leaseTtlMs?: number;
  /** How often a follower looks at the writer's checkpoint; default 100 ms. */
  followPollMs?: number;
  /** Delays between restarts after failures. */
  restartBackoff?: BackoffOptions;
  observer?: ProjectionEngineObserver;
}

class ProjectionFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: StoredEvent,
    readonly reason: Error,
  ) {
    super(`projection ${projection} failed on event ${event.eventId} (${event.type}, position ${event.position}): ${reason.message}`);
    this.name = 'ProjectionFailed';
  }
}

/**
 * Feeds the global log to every projection and commits their writes together with
 * one checkpoint. Events are batched (up to PROJECTION_MAX_BATCH, or whatever arrived before
 * the next turn of the event loop) so catching up is fast and live latency small.
 * On restart it resumes after the checkpoint; writes are guarded by position, so a
 * crash between writes and checkpoint never double-applies.
 *
 * It keeps itself going: the event store subscription retries by itself when the store
 * is unreachable; when a commit fails (the read store had a blip) or a projection throws,
 * the engine drops what it had not committed and resubscribes after its last committed
 * position, with a capped exponential back-off, until a commit works again. Nothing is
 * lost (it re-reads from the log) and nothing applied twice (position guards).
 */
export class ProjectionEngine {
  private committed = -1n;
  /** Listeners have seen every event up to here; a restart on another generation does not tell them twice. */
  private published = -1n;
  private buffer: ProjectedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private subscription?: Subscription;
  /** Increases with every (re)subscription: what an older one still delivers is ignored. */
  private epoch = 0;
  private state: ProjectionEngineStatus['state'] = 'stopped';
  private failure?: { cause: FailureCause | 'event-store'; error: Error; at: Date };
  private restarts = 0;
  private failingSince = 0;
  private restartTimer?: NodeJS.Timeout;
  private retryAt?: Date;
  private sourceDownSince?: Date;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  private readonly listeners = new Set<CommitListener>();
  private readonly checkpointName: string;
  private readonly instanceId: string;
  private role: 'writer' | 'follower' = 'writer';
  /** Until then the lease claimed last is surely still ours (a third of its time to live after the claim). */
  private leaseSureUntil = 0;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly logger: Logger,
    private readonly options: ProjectionEngineOptions = {},
  ) {
    this.checkpointName = options.checkpoint ?? PROJECTION_CHECKPOINT;
    this.instanceId = options.instanceId ?? randomUUID();
  }

  get position(): bigint {
    return this.committed;
  }

  /** The error the engine is restarting after (undefined while it delivers, even if the event store is retrying underneath). */
  get failed(): Error | undefined {
    return this.state === 'restarting' ? this.failure?.error : undefined;
  }

  status(): ProjectionEngineStatus {
    return {
      state: this.state,
      checkpoint: this.checkpointName,
      position: this.committed,
      restarts: this.restarts,
      role: this.role,
      ...(this.failure && { lastError: { cause: this.failure.cause, message: this.failure.error.message, at: this.failure.at } }),
      ...(this.sourceDownSince && { sourceDownSince: this.sourceDownSince }),
      ...(this.state === 'restarting' && this.retryAt && { retryAt: this.retryAt }),
    };
  }

  /** Starts (or, after stop(), restarts) from the read store's checkpoint. */
  async start(): Promise<void> {
    this.clearRestart();
    this.failure = undefined;
    this.restarts = 0;
    for (const projection of this.projections) {
      for (const index of projection.indexes ?? []) await this.readStore.ensureIndex(index.collection, index.fields);
    }
    this.committed = (await this.readStore.checkpoint(this.checkpointName)) ?? -1n;
    this.subscribe();
    this.state = 'running';
  }

  async stop(): Promise<void> {
    this.clearRestart();
    this.state = 'stopped';
    await this.subscription?.close();
    this.subscription = undefined;
    await this.flushing.catch(() => undefined);
    if (this.buffer.length > 0) await this.flushNow();
  }

  onCommitted(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every event up to `position` is in the read models (read-your-writes). */
  waitFor(position: bigint, timeoutMs: number): Promise<void> {
    if (this.committed >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new DomainError('NOT_CAUGHT_UP', `read models have not caught up with position ${position} yet; retry`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private subscribe(): void {
    const epoch = ++this.epoch;
    this.buffer = [];
    this.flushing = Promise.resolve();
    this.subscription = this.events.subscribeToAll({
      after: this.committed,
      onEvent: (event) => (epoch === this.epoch ? this.receive(event) : undefined),
      // onEvent threw: the commit it waited for, or a projection, failed (already handled by fail()).
      onError: (error) => epoch === this.epoch && this.fail('read-store', error),
      onRetry: (error, retry) => {
        if (epoch !== this.epoch) return;
        this.sourceDownSince ??= new Date();
        if (!this.failure || this.failure.cause === 'event-store') this.failure = { cause: 'event-store', error, at: new Date() };
        if (retry.attempt === 1) this.logger.warn({ err: error.message, after: String(retry.after) }, 'projections: event store unreachable, retrying');
        this.notify('sourceRetrying', { checkpoint: this.checkpointName, error, attempt: retry.attempt, delayMs: retry.delayMs });
      },
      onRecovered: ({ attempts, downMs }) => {
        if (epoch !== this.epoch) return;
        this.sourceDownSince = undefined;
        if (this.failure?.cause === 'event-store') this.failure = undefined;
        this.logger.info({ attempts, downMs }, 'projections: event store reachable again');
        this.notify('recovered', { checkpoint: this.checkpointName, from: 'event-store', attempts, downMs, position: this.committed });
      },
    });
  }

  private async receive(event: StoredEvent): Promise<void> {
    this.buffer.push(event);
    if (this.buffer.length >= PROJECTION_MAX_BATCH) {
      await this.flushNow();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flushNow().catch(() => undefined);
      });
    }
  }

  private flushNow(): Promise<void> {
    const epoch = this.epoch;
    this.flushing = this.flushing.then(() => (epoch === this.epoch ? this.commitBuffer() : undefined));
    return this.flushing;
  }

  private async commitBuffer(): Promise<void> {
    if (this.buffer.length === 0 || this.state === 'restarting') return;
    const epoch = this.epoch;
    const batch = this.buffer;
    this.buffer = [];
    const started = Date.now();
    const position = batch[batch.length - 1].position;
    let writes = 0;
    let wrote = false;
    try {
      // Several query apps on one read store: the lease holder writes, the others wait for its checkpoint.
      for (;;) {
        if (await this.holdLease()) {
          const ops = this.project(batch);
          await this.readStore.commit(this.checkpointName, position, ops);
          writes = ops.length;
          wrote = true;
          break;
        }
        const theirs = await this.readStore.checkpoint(this.checkpointName);
        if (theirs !== null && theirs >= position) break;
        // Stopping: the next start reads these events again from the checkpoint.
        if (this.state === 'stopped') return;
        await new Promise((resolve) => setTimeout(resolve, this.options.followPollMs ?? 100));
        if (epoch !== this.epoch) return;
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.fail(failure instanceof ProjectionFailed ? 'projection' : 'read-store', failure);
      throw failure;
    }
    const last = batch[batch.length - 1];
    this.committed = last.position;
    if (this.restarts > 0) {
      this.logger.info({ restarts: this.restarts, position: String(last.position) }, 'projections: committing again after restarts');
      this.notify('recovered', {
        checkpoint: this.checkpointName,
        from: 'restart',
        attempts: this.restarts,
        downMs: Date.now() - this.failingSince,
        position: last.position,
      });
      this.restarts = 0;
      if (this.failure?.cause !== 'event-store') this.failure = undefined;
    }
    this.notify('committed', {
      checkpoint: this.checkpointName,
      position: last.position,
      events: batch.length,
      writes,
      wrote,
      lastRecordedAt: last.recordedAt,
      commitMs: Date.now() - started,
    });
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= last.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
    const fresh = batch.filter((event) => event.position > this.published);
    if (fresh.length === 0) return;
    this.published = last.position;
    for (const listener of this.listeners) {
      try {
        listener(fresh);
      } catch (error) {
        this.logger.error({ err: String(error) }, 'commit listener failed');
      }
    }
  }

  /** Whether this instance may write now: claims or renews the lease when the read store has leases (MongoDB). */
  private async holdLease(): Promise<boolean> {
    if (!this.readStore.claimLease) return true;
    const now = Date.now();
    if (now < this.leaseSureUntil) return true;
    const ttlMs = this.options.leaseTtlMs ?? 10_000;
    const held = await this.readStore.claimLease(this.checkpointName, this.instanceId, ttlMs);
    this.leaseSureUntil = held ? now + ttlMs / 3 : 0;
    const role = held ? 'writer' : 'follower';
    if (role !== this.role) {
      this.role = role;
      this.logger.info(
        { checkpoint: this.checkpointName, role },
        held ? 'projections: this instance writes the read models' : 'projections: another instance writes the read models; following it',
      );
      this.notify('roleChanged', { checkpoint: this.checkpointName, role });
    }
    return held;
  }

  private project(batch: readonly StoredEvent[]): WriteOp[] {
    const ops: WriteOp[] = [];
    for (const event of batch) {
      for (const projection of this.projections) {
        try {
          for (const op of projection.project(event)) ops.push(op);
        } catch (error) {
          throw new ProjectionFailed(projection.name, event, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
    return ops;
  }

  /** Drops what was not committed and resubscribes after the last committed position, after a back-off. */
  private fail(cause: FailureCause, error: Error): void {
    if (this.state !== 'running') return;
    this.state = 'restarting';
    if (this.restarts === 0) this.failingSince = Date.now();
    this.restarts += 1;
    this.failure = { cause, error, at: new Date() };
    const delayMs = backoffDelay(this.restarts, this.options.restartBackoff ?? DEFAULT_RESTART_BACKOFF);
    this.retryAt = new Date(Date.now() + delayMs);
    const details = { cause, err: error.message, attempt: this.restarts, delayMs, after: String(this.committed) };
    if (cause === 'projection') this.logger.error({ ...details, stack: error.stack }, 'projections: a projection failed; restarting after the last commit');
    else this.logger.warn(details, 'projections: a commit failed; restarting after the last commit');
    this.notify('restarting', { checkpoint: this.checkpointName, cause, error, attempt: this.restarts, delayMs, after: this.committed });
    // Deliveries of the old subscription are ignored from now on; it is closed without waiting here (we may be inside its onEvent).
    this.epoch += 1;
    this.buffer = [];
    const old = this.subscription;
    this.subscription = undefined;
    void old?.close().catch(() => undefined);
    this.restartTimer = setTimeout(() => this.restart(), delayMs);
  }

  private restart(): void {
    this.restartTimer = undefined;
    if (this.state !== 'restarting') return;
    this.state = 'running';
    this.sourceDownSince = undefined;
    this.subscribe();
  }

  private clearRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private notify<K extends keyof ProjectionEngineObserver>(kind: K, payload: Parameters<NonNullable<ProjectionEngineObserver[K]>>[0]): void {
    const handler = this.options.observer?.[kind] as ((payload: unknown) => void) | undefined;
    if (!handler) return;
    try {
      handler.call(this.options.observer, payload);
    } catch (error) {
      this.logger.error({ err: String(error), kind }, 'projection engine observer failed');
    }
  }
}
