import { WrongExpectedRevisionError, type EventStore } from '@ses/event-store';
import { inSpan } from '../tracing/tracing';
import { sesMetrics } from './metrics';

/**
 * The event store with its appends measured (ses_event_store_append_duration_seconds,
 * ses_events_appended_total, ses_concurrency_conflicts_total) and, when tracing is on, each
 * append a span of the command's trace. Everything else passes straight through: a Proxy, so a
 * method the port gains later needs no change here.
 */
export function instrumentEventStore<T extends EventStore>(store: T): T {
  const appendToStream: EventStore['appendToStream'] = (streamId, events, expectedRevision) =>
    inSpan('ses.event_store.append', { 'ses.event.stream': streamId, 'ses.events': events.length }, async () => {
      const startedAt = performance.now();
      try {
        const result = await store.appendToStream(streamId, events, expectedRevision);
        sesMetrics.append('ok', events.length, (performance.now() - startedAt) / 1000);
        return result;
      } catch (error) {
        sesMetrics.append(error instanceof WrongExpectedRevisionError ? 'conflict' : 'error', events.length, (performance.now() - startedAt) / 1000);
        throw error;
      }
    });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') return appendToStream;
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the store itself: its methods may use private state a Proxy receiver lacks.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
