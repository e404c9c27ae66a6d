import type { EventEmitter } from 'node:events';
import type { MappedRecord } from '../decode-records';
import type { StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { backoffDelay, InterruptibleWait, toError, type BackoffOptions } from '../resilience/backoff';

/** Where a polling subscription reads from and what wakes it early. */
export interface PollingSource {
  readRecords(after: bigint, maxCount: number): MappedRecord[] | Promise<MappedRecord[]>;
  /** The typed event, or undefined (already reported) when the record does not decode. */
  decode(record: MappedRecord): StoredEvent | undefined;
  /** Emits `APPENDED_SIGNAL` after each local commit. */
  appendSignals: EventEmitter;
  pollIntervalMs: number;
  /** Delays between retries after read errors. */
  backoff?: BackoffOptions;
}

export const APPENDED_SIGNAL = 'appended';
const PAGE_SIZE = 500;

/**
 * Catches up page by page, then polls the file every pollIntervalMs (another
 * process may be the writer); local appends wake it at once. One event at a
 * time, in position order, each awaited before the next. A read that fails (the
 * file locked or unreadable for a while) is retried after a capped back-off from the
 * last event delivered; only an error thrown by onEvent stops the subscription.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  /** Set by an append signal; cleared before each read, so a signal during onEvent is never lost. */
  private signalled = false;
  private wakeWaiter: (() => void) | undefined;
  private readonly retryWait = new InterruptibleWait();
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
    this.retryWait.interrupt();
    await this.finished;
  }

  private async run(): Promise<void> {
    let cursor = this.options.after ?? 0n;
    let failures = 0;
    let downSince = 0;
    while (!this.closed) {
      this.signalled = false;
      let page: MappedRecord[];
      try {
        page = await this.source.readRecords(cursor, PAGE_SIZE);
      } catch (error) {
        if (this.closed) return;
        failures += 1;
        if (failures === 1) downSince = Date.now();
        const delayMs = backoffDelay(failures, this.source.backoff);
        this.options.onRetry?.(toError(error), { attempt: failures, delayMs, after: cursor });
        await this.retryWait.wait(delayMs);
        continue;
      }
      if (failures > 0) {
        this.options.onRecovered?.({ attempts: failures, downMs: Date.now() - downSince });
        failures = 0;
      }
      for (const record of page) {
        if (this.closed) return;
        const event = this.source.decode(record);
        if (event) {
          try {
            await this.options.onEvent(event);
          } catch (error) {
            const wasClosed = this.closed;
            this.closed = true;
            if (!wasClosed) this.options.onError?.(toError(error));
            return;
          }
        }
        cursor = record.position;
      }
      if (page.length < PAGE_SIZE) await this.waitForSignalOrTimeout();
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
