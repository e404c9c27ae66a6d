export * from './event-store.port';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { EsdbEventStore } from './esdb/esdb-event-store';
export { createEventStore, type EventStoreConfig } from './create-event-store';
export { logSkippedEvents } from './decode-records';
