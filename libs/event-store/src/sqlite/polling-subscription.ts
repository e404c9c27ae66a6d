import type { EventEmitter } from 'node:events';
import type { RecordedEvent, StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';

/** Where a polling subscription reads from and what wakes it early. */
export interface PollingSource {
  readRecords(after: bigint, maxCount: number): RecordedEvent[];
  /** The typed event, or undefined (already reported) when the record does not decode. */
  decode(record: RecordedEvent): StoredEvent | undefined;
  /** Emits `APPENDED_SIGNAL` after each local commit. */
  appendSignals: EventEmitter;
  pollIntervalMs: number;
}

export const APPENDED_SIGNAL = 'appended';
const PAGE_SIZE = 500;

/**
 * Catches up page by page, then polls the file every pollIntervalMs (another
 * process may be the writer); local appends wake it at once. One event at a
 * time, in position order, each awaited before the next.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  /** Set by an append signal; cleared before each read, so a signal during onEvent is never lost. */
  private signalled = false;
  private wakeWaiter: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private readonly onSignal = (): void => {
    this.signalled = true;
    this.wakeWaiter?.();
  };

  constructor(
    private readonly source: PollingSource,
    private readonly options: SubscribeOptions,
    onFinished: (subscription: PollingSubscription) => void,
  ) {
    source.appendSignals.on(APPENDED_SIGNAL, this.onSignal);
    this.finished = this.run().finally(() => {
      source.appendSignals.off(APPENDED_SIGNAL, this.onSignal);
      onFinished(this);
    });
  }

  /** Stops delivery; resolves once any in-flight onEvent has finished. Do not await it inside onEvent. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeWaiter?.();
    await this.finished;
  }

  private async run(): Promise<void> {
    let cursor = this.options.after ?? 0n;
    try {
      while (!this.closed) {
        this.signalled = false;
        const page = this.source.readRecords(cursor, PAGE_SIZE);
        for (const record of page) {
          if (this.closed) return;
          const event = this.source.decode(record);
          if (event) await this.options.onEvent(event);
          cursor = record.position;
        }
        if (page.length < PAGE_SIZE) await this.waitForSignalOrTimeout();
      }
    } catch (error) {
      const wasClosed = this.closed;
      this.closed = true;
      if (!wasClosed) this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private waitForSignalOrTimeout(): Promise<void> {
    if (this.signalled || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollIntervalMs);
      this.wakeWaiter = done;
    });
  }
}
