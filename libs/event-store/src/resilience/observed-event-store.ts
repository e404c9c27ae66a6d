import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventStoreIdentity,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RetryInfo,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';

/**
 * What an app may want to count about its event store (metrics are branch `ops`'s):
 * every append with its outcome and duration, and every subscription's lost and found
 * source. Observers are synchronous; one that throws is ignored (it must never fail a command).
 */
export interface EventStoreObserver {
  /** 'appended': stored now; 'alreadyStored': an idempotent retry; 'conflict': WrongExpectedRevisionError; 'error': anything else (unreachable...). */
  appended?(append: { streamId: string; events: number; outcome: 'appended' | 'alreadyStored' | 'conflict' | 'error'; ms: number; error?: Error }): void;
  subscriptionRetrying?(retry: { error: Error } & RetryInfo): void;
  subscriptionRecovered?(recovery: { attempts: number; downMs: number }): void;
  /** Subscriptions opened minus closed. */
  subscriptionsOpen?(open: number): void;
}

/** Nest token: an app that provides an EventStoreObserver (metrics) gets it plugged into its event store. */
export const EVENT_STORE_OBSERVER = Symbol('EVENT_STORE_OBSERVER');

/** The store, telling `observer` about appends and subscriptions; everything else passes through. */
export function observeEventStore(inner: EventStore, observer: EventStoreObserver): EventStore {
  let open = 0;
  const tell = (call: () => void): void => {
    try {
      call();
    } catch {
      // An observer never breaks the store.
    }
  };
  const store: EventStore = {
    async appendToStream(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
      const started = performance.now();
      try {
        const result = await inner.appendToStream(streamId, events, expected);
        const outcome = result.alreadyStored ? 'alreadyStored' : 'appended';
        tell(() => observer.appended?.({ streamId, events: events.length, outcome, ms: performance.now() - started }));
        return result;
      } catch (error) {
        const outcome = error instanceof WrongExpectedRevisionError ? 'conflict' : 'error';
        const failure = error instanceof Error ? error : new Error(String(error));
        tell(() => observer.appended?.({ streamId, events: events.length, outcome, ms: performance.now() - started, error: failure }));
        throw error;
      }
    },
    readStream: (streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> => inner.readStream(streamId, options),
    readStreamRecords: (streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> => inner.readStreamRecords(streamId, options),
    readAll: (options?: ReadAllOptions): Promise<StoredEvent[]> => inner.readAll(options),
    headPosition: () => inner.headPosition(),
    subscribeToAll(options: SubscribeOptions): Subscription {
      const subscription = inner.subscribeToAll({
        ...options,
        onRetry: (error, retry) => {
          tell(() => observer.subscriptionRetrying?.({ error, ...retry }));
          options.onRetry?.(error, retry);
        },
        onRecovered: (info) => {
          tell(() => observer.subscriptionRecovered?.(info));
          options.onRecovered?.(info);
        },
      });
      open += 1;
      tell(() => observer.subscriptionsOpen?.(open));
      let closed = false;
      return {
        close: async () => {
          await subscription.close();
          if (closed) return;
          closed = true;
          open -= 1;
          tell(() => observer.subscriptionsOpen?.(open));
        },
      };
    },
    close: () => inner.close(),
  };
  if (inner.identity) {
    const identity = inner.identity.bind(inner);
    store.identity = (): Promise<EventStoreIdentity> => identity();
  }
  return store;
}
