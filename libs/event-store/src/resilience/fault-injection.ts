import { EventEmitter } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import type {
  AppendResult,
  EventStore,
  EventStoreIdentity,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { backoffDelay, InterruptibleWait, type BackoffOptions } from './backoff';

/*
 * Fault injection for tests: an event store that can be made unreachable, slow, or made
 * to drop its subscriptions. Unit tests drive the Faults object directly; end-to-end
 * tests start the apps with SES_TEST_FAULTS_FILE (honoured only when NODE_ENV=test, see
 * create-event-store.ts) and write the file from the test process.
 */

/** The error an unreachable store answers with (as EventStoreDB's client does: gRPC status 14). */
export class StoreUnreachableError extends Error {
  constructor(what = 'event store') {
    super(`14 UNAVAILABLE: ${what} unreachable (injected fault)`);
    this.name = 'StoreUnreachableError';
  }
}

export interface FaultSettings {
  /** Every call fails with StoreUnreachableError; subscriptions are dropped and retry until it is reachable again. */
  unreachable: boolean;
  /** Reads (and subscription deliveries) wait this long first. */
  readDelayMs: number;
}

/** The switches, shared by everything that injects them; 'change' is emitted on every change, 'drop' when subscriptions should drop. */
export class Faults extends EventEmitter {
  private settings: FaultSettings = { unreachable: false, readDelayMs: 0 };

  get unreachable(): boolean {
    return this.settings.unreachable;
  }

  get readDelayMs(): number {
    return this.settings.readDelayMs;
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.emit('change', this.settings);
  }

  /** Every open subscription loses its source once (as on a server restart or a leader change). */
  dropSubscriptions(): void {
    this.emit('drop');
  }

  /**
   * Follows a JSON file of FaultSettings (plus `"drop": <counter>`: each increase drops the
   * subscriptions once), checked every `intervalMs`. A missing or half-written file changes nothing.
   */
  watchFile(file: string, intervalMs = 50): () => void {
    let seen = '';
    let drops: number | undefined;
    const check = (): void => {
      let text: string;
      try {
        const { mtimeMs, size } = statSync(file);
        const stamp = `${mtimeMs}:${size}`;
        if (stamp === seen) return;
        text = readFileSync(file, 'utf8');
        seen = stamp;
      } catch {
        return;
      }
      let parsed: Partial<FaultSettings> & { drop?: number };
      try {
        parsed = JSON.parse(text) as Partial<FaultSettings> & { drop?: number };
      } catch {
        seen = '';
        return;
      }
      this.set({ unreachable: parsed.unreachable === true, readDelayMs: Number(parsed.readDelayMs ?? 0) });
      if (drops !== undefined && (parsed.drop ?? 0) > drops) this.dropSubscriptions();
      drops = parsed.drop ?? 0;
    };
    check();
    const timer = setInterval(check, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/**
 * Wraps an EventStore: while `faults.unreachable` every call fails; reads wait
 * `faults.readDelayMs`; subscriptions lose their source on a drop or while unreachable and
 * come back by themselves after a capped back-off, after the last event they delivered,
 * reporting onRetry / onRecovered as the adapters do.
 */
export class FaultInjectingEventStore implements EventStore {
  private readonly subscriptions = new Set<FaultySubscription>();

  constructor(
    private readonly inner: EventStore,
    readonly faults: Faults = new Faults(),
    private readonly backoff: BackoffOptions = { initialMs: 20, maxMs: 500 },
  ) {}

  async appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.check();
    return this.inner.appendToStream(streamId, events, expectedRevision);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    await this.beforeRead();
    return this.inner.readStream(streamId, options);
  }

  async readStreamRecords(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    await this.beforeRead();
    return this.inner.readStreamRecords(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    await this.beforeRead();
    return this.inner.readAll(options);
  }

  async headPosition(): Promise<bigint> {
    await this.beforeRead();
    return this.inner.headPosition();
  }

  async identity(): Promise<EventStoreIdentity> {
    this.check();
    if (!this.inner.identity) throw new Error('the wrapped event store has no identity');
    return this.inner.identity();
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new FaultySubscription(this.inner, options, this.faults, this.backoff, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.inner.close();
  }

  private check(): void {
    if (this.faults.unreachable) throw new StoreUnreachableError();
  }

  private async beforeRead(): Promise<void> {
    const delay = this.faults.readDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.check();
  }
}

class FaultySubscription implements Subscription {
  private inner?: Subscription;
  private cursor: bigint | undefined;
  private closed = false;
  private failures = 0;
  private downSince = 0;
  private reconnecting?: Promise<void>;
  private readonly retryWait = new InterruptibleWait();
  private readonly onChange = (): void => {
    if (this.faults.unreachable) this.lose(new StoreUnreachableError());
  };
  private readonly onDrop = (): void => this.lose(new Error('1 CANCELLED: subscription dropped by the server (injected fault)'));

  constructor(
    private readonly store: EventStore,
    private readonly options: SubscribeOptions,
    private readonly faults: Faults,
    private readonly backoff: BackoffOptions,
    private readonly onClosed: () => void,
  ) {
    this.cursor = options.after;
    faults.on('change', this.onChange);
    faults.on('drop', this.onDrop);
    if (faults.unreachable) this.lose(new StoreUnreachableError());
    else this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.faults.off('change', this.onChange);
    this.faults.off('drop', this.onDrop);
    this.retryWait.interrupt();
    await this.reconnecting;
    await this.inner?.close();
    this.onClosed();
  }

  private connect(): void {
    this.inner = this.store.subscribeToAll({
      after: this.cursor,
      onEvent: async (event) => {
        const delay = this.faults.readDelayMs;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await this.options.onEvent(event);
        this.cursor = event.position;
      },
      onError: (error) => this.options.onError?.(error),
      onRetry: (error, retry) => this.options.onRetry?.(error, retry),
      onRecovered: (info) => this.options.onRecovered?.(info),
    });
  }

  /** The source is gone: stop the inner subscription, then retry with back-off until the store is reachable. */
  private lose(error: Error): void {
    if (this.closed || this.reconnecting) return;
    this.reconnecting = (async () => {
      const inner = this.inner;
      this.inner = undefined;
      await inner?.close();
      let lastError = error;
      while (!this.closed) {
        this.failures += 1;
        if (this.failures === 1) this.downSince = Date.now();
        const delayMs = backoffDelay(this.failures, this.backoff);
        this.options.onRetry?.(lastError, { attempt: this.failures, delayMs, after: this.cursor });
        await this.retryWait.wait(delayMs);
        if (this.closed) return;
        if (!this.faults.unreachable) break;
        lastError = new StoreUnreachableError();
      }
      if (this.closed) return;
      this.options.onRecovered?.({ attempts: this.failures, downMs: Date.now() - this.downSince });
      this.failures = 0;
      this.connect();
    })().finally(() => (this.reconnecting = undefined));
  }
}
