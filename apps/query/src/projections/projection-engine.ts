import { DomainError } from '@ses/domain';
import type { EventStore, StoredEvent, Subscription } from '@ses/event-store';
import type { ReadStore } from '@ses/read-store';
import type { Logger } from 'pino';
import type { ProjectedEvent, Projection } from './projection';

/** The one checkpoint all projections share (they commit together). */
export const PROJECTION_CHECKPOINT = 'read-models';
const MAX_BATCH = 500;

export type CommitListener = (events: readonly ProjectedEvent[]) => void;

/**
 * Feeds the global log to every projection and commits their writes together with
 * one checkpoint. Events are batched (up to MAX_BATCH, or whatever arrived before
 * the next turn of the event loop) so catching up is fast and live latency small.
 * On restart it resumes after the checkpoint; writes are guarded by position, so a
 * crash between writes and checkpoint never double-applies.
 */
export class ProjectionEngine {
  private committed = -1n;
  /** Listeners have seen every event up to here; a restart on another generation does not tell them twice. */
  private published = -1n;
  private buffer: ProjectedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private subscription?: Subscription;
  private failure?: Error;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  private readonly listeners = new Set<CommitListener>();

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly logger: Logger,
    /** Another consumer of the log with a store of its own (the notifications deliverer) names its own checkpoint. */
    private readonly checkpointName: string = PROJECTION_CHECKPOINT,
  ) {}

  get position(): bigint {
    return this.committed;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Starts (or, after stop(), restarts) from the read store's checkpoint. */
  async start(): Promise<void> {
    this.failure = undefined;
    for (const projection of this.projections) {
      for (const index of projection.indexes ?? []) await this.readStore.ensureIndex(index.collection, index.fields);
    }
    this.committed = (await this.readStore.checkpoint(this.checkpointName)) ?? -1n;
    this.subscription = this.events.subscribeToAll({
      after: this.committed,
      onEvent: (event) => this.receive(event),
      onError: (error) => this.fail(error),
    });
  }

  async stop(): Promise<void> {
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

  private async receive(event: StoredEvent): Promise<void> {
    this.buffer.push(event);
    if (this.buffer.length >= MAX_BATCH) {
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
    this.flushing = this.flushing.then(() => this.commitBuffer());
    return this.flushing;
  }

  private async commitBuffer(): Promise<void> {
    if (this.buffer.length === 0 || this.failure) return;
    const batch = this.buffer;
    this.buffer = [];
    const ops = batch.flatMap((event) => this.projections.flatMap((projection) => projection.project(event)));
    const last = batch[batch.length - 1].position;
    try {
      await this.readStore.commit(this.checkpointName, last, ops);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.committed = last;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= last) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
    const fresh = batch.filter((event) => event.position > this.published);
    if (fresh.length === 0) return;
    this.published = last;
    for (const listener of this.listeners) {
      try {
        listener(fresh);
      } catch (error) {
        this.logger.error({ err: String(error) }, 'commit listener failed');
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.logger.error({ err: error.message, stack: error.stack }, 'projection engine stopped');
    void this.subscription?.close();
  }
}
