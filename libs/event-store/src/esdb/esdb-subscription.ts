import { excludeSystemEvents, type AllStreamResolvedEvent, type SubscribeToAllOptions } from '@eventstore/db-client';
import { decodeRecord } from '../decode-records';
import type { SkipReporter, SubscribeOptions, Subscription } from '../event-store.port';
import { isSystemEvent, knownPrepare, toReadPosition, toStoredRecord } from './esdb-mapping';

/** What a subscription needs of the client (EventStoreDBClient is one): a $all subscription it can read, unsubscribe and destroy. */
export interface AllStreamSource {
  subscribeToAll(options: SubscribeToAllOptions): AsyncIterable<AllStreamResolvedEvent> & { unsubscribe(): Promise<unknown>; destroy(): void };
}

/** A catch-up subscription to $all (system events filtered out by the server) delivering one event at a time. */
export class EsdbSubscription implements Subscription {
  private closed = false;
  private readonly stream: ReturnType<AllStreamSource['subscribeToAll']>;
  private readonly finished: Promise<void>;

  constructor(
    client: AllStreamSource,
    private readonly options: SubscribeOptions,
    onFinished: (subscription: EsdbSubscription) => void,
    private readonly onSkipped: SkipReporter,
  ) {
    this.stream = client.subscribeToAll({ fromPosition: toReadPosition(options.after), filter: excludeSystemEvents() });
    this.finished = this.run().finally(() => onFinished(this));
  }

  /** Stops delivery; resolves once any in-flight onEvent has finished. Do not await it inside onEvent. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.stop();
    }
    await this.finished;
  }

  /**
   * unsubscribe() cancels the gRPC call, but the client pipes that call into this
   * stream and a cancelled call never ends it: without destroy() an idle for-await
   * would wait forever.
   */
  private async stop(): Promise<void> {
    await this.stream.unsubscribe().catch(() => undefined);
    this.stream.destroy();
  }

  private async run(): Promise<void> {
    let cursor = this.options.after;
    try {
      // for-await pulls the next event only after the body finished: onEvent calls never overlap.
      for await (const resolved of this.stream) {
        if (this.closed) return;
        const event = resolved.event;
        if (!event || isSystemEvent(event)) continue;
        const position = knownPrepare(event);
        if (position === undefined) throw new Error(`event ${event.id} arrived without a $all position`);
        if (cursor !== undefined && position <= cursor) continue;
        const decoded = decodeRecord(toStoredRecord(event, position), this.onSkipped);
        if (decoded) await this.options.onEvent(decoded);
        cursor = position;
      }
      if (!this.closed) throw new Error('EventStoreDB subscription to $all ended');
    } catch (error) {
      if (this.closed) return;
      this.closed = true;
      await this.stop();
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
