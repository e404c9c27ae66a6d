import type { EventStore } from '@ses/event-store';

/** An event store port that records each append's size; `before` runs before each append (another instance appending in between). */
export function appendCounting(store: EventStore, before?: (streamId: string) => Promise<unknown>): EventStore & { appends: number[] } {
  const appends: number[] = [];
  return {
    appends,
    appendToStream: async (streamId, events, expected) => {
      await before?.(streamId);
      appends.push(events.length);
      return store.appendToStream(streamId, events, expected);
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readStreamRecords: (streamId, options) => store.readStreamRecords(streamId, options),
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
    subscribeToAll: (options) => store.subscribeToAll(options),
    close: () => store.close(),
  };
}
