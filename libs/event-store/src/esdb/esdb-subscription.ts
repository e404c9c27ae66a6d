import { excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import { decodeRecord } from '../decode-records';
import type { SkipReporter, SubscribeOptions, Subscription } from '../event-store.port';
import { backoffDelay, InterruptibleWait, toError, type BackoffOptions } from '../resilience/backoff';
import type { AllSubscriptionStream, EsdbClient } from './esdb-client';
import { isOwnStream, isSystemEvent, knownPrepare, toReadPosition, toStoredRecord } from './esdb-mapping';

export interface EsdbSubscriptionSettings {
  /** Stream-name prefixes the server filters on (undefined: every stream but the server's own). */
  streamPrefixes?: readonly string[];
  backoff?: BackoffOptions;
  onSkipped: SkipReporter;
}

/** The server-side filter: the service's streams when their prefixes are known, else everything but system events. */
export function subscriptionFilter(prefixes: readonly string[] | undefined): Filter {
  return prefixes ? streamNameFilter({ prefixes: [...prefixes] }) : excludeSystemEvents();
}

/**
 * A catch-up subscription to $all that keeps going: one event at a time, in position
 * order. When the server ends or breaks the gRPC stream (restart, leader change,
 * keep-alive time-out, unreachable) it resubscribes after the last event it read, after a
 * capped exponential back-off (the client reconnects its channel on the next call), and
 * says so through onRetry / onRecovered. Only an error thrown by onEvent stops it (onError).
 */
export class EsdbSubscription implements Subscription {
  private closed = false;
  private stream?: AllSubscriptionStream;
  private readonly retryWait = new InterruptibleWait();
  private readonly finished: Promise<void>;

  constructor(
    private readonly client: Pick<EsdbClient, 'subscribeToAll'>,
    private readonly options: SubscribeOptions,
    onFinished: (subscription: EsdbSubscription) => void,
    private readonly settings: EsdbSubscriptionSettings,
  ) {
    this.finished = this.run().finally(() => onFinished(this));
  }

  /** Stops delivery; resolves once any in-flight onEvent has finished. Do not await it inside onEvent. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.retryWait.interrupt();
      if (this.stream) await stop(this.stream);
    }
    await this.finished;
  }

  private async run(): Promise<void> {
    /** The last position read: every event up to it was delivered or skipped. */
    let cursor = this.options.after;
    let failures = 0;
    let downSince = 0;
    const recovered = (): void => {
      if (failures === 0) return;
      this.options.onRecovered?.({ attempts: failures, downMs: Date.now() - downSince });
      failures = 0;
    };
    while (!this.closed) {
      let lost: Error;
      const stream = this.client.subscribeToAll({ fromPosition: toReadPosition(cursor), filter: subscriptionFilter(this.settings.streamPrefixes) });
      this.stream = stream;
      stream.once('confirmation', recovered);
      try {
        // for-await pulls the next event only after the body finished: onEvent calls never overlap.
        for await (const resolved of stream) {
          if (this.closed) return;
          recovered();
          const event = resolved.event;
          const position = event && knownPrepare(event);
          if (!event || position === undefined || (cursor !== undefined && position <= cursor)) continue;
          if (!isSystemEvent(event) && isOwnStream(event.streamId, this.settings.streamPrefixes)) {
            const decoded = decodeRecord(toStoredRecord(event, position), this.settings.onSkipped);
            if (decoded) {
              try {
                await this.options.onEvent(decoded);
              } catch (error) {
                await this.fail(stream, toError(error));
                return;
              }
            }
          }
          cursor = position;
        }
        lost = new Error('EventStoreDB ended the subscription to $all');
      } catch (error) {
        lost = toError(error);
      }
      await stop(stream);
      if (this.closed) return;
      failures += 1;
      if (failures === 1) downSince = Date.now();
      const delayMs = backoffDelay(failures, this.settings.backoff);
      this.options.onRetry?.(lost, { attempt: failures, delayMs, after: cursor });
      await this.retryWait.wait(delayMs);
    }
  }

  private async fail(stream: AllSubscriptionStream, error: Error): Promise<void> {
    const wasClosed = this.closed;
    this.closed = true;
    await stop(stream);
    if (!wasClosed) this.options.onError?.(error);
  }
}

/**
 * unsubscribe() cancels the gRPC call, but the client pipes that call into this
 * stream and a cancelled call never ends it: without destroy() an idle for-await
 * would wait forever.
 */
async function stop(stream: AllSubscriptionStream): Promise<void> {
  await stream.unsubscribe().catch(() => undefined);
  stream.destroy();
}
