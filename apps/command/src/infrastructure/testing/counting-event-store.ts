import type { EventStore } from '@ses/event-store';

/** Counts what is read through an event store port (tests assert what a start or a load reads, never how long it takes). */
export interface CountingEventStore extends EventStore {
  reads: { streamEvents: number; logEvents: number; streamReads: number; logReads: number };
  /** The streams read since the last reset. */
  streamsRead: Set<string>;
  resetCounts(): void;
}

export function counting(store: EventStore): CountingEventStore {
  const reads = { streamEvents: 0, logEvents: 0, streamReads: 0, logReads: 0 };
  const streamsRead = new Set<string>();
  return {
    reads,
    streamsRead,
    resetCounts: () => {
      Object.assign(reads, { streamEvents: 0, logEvents: 0, streamReads: 0, logReads: 0 });
      streamsRead.clear();
    },
    appendToStream: (streamId, events, expected) => store.appendToStream(streamId, events, expected),
    readStream: async (streamId, options) => {
      const events = await store.readStream(streamId, options);
      streamsRead.add(streamId);
      reads.streamReads++;
      reads.streamEvents += events.length;
      return events;
    },
    readStreamRecords: async (streamId, options) => {
      const events = await store.readStreamRecords(streamId, options);
      streamsRead.add(streamId);
      reads.streamReads++;
      reads.streamEvents += events.length;
      return events;
    },
    readAll: async (options) => {
      const events = await store.readAll(options);
      reads.logReads++;
      reads.logEvents += events.length;
      return events;
    },
    headPosition: () => store.headPosition(),
    subscribeToAll: (options) => store.subscribeToAll(options),
    close: () => store.close(),
  };
}
