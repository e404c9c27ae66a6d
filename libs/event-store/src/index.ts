export * from './event-store.port';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
export { createEventStore, TEST_FAULTS_ENV, type EventStoreConfig } from './create-event-store';
export { logSkippedEvents } from './decode-records';
export { backoffDelay, DEFAULT_BACKOFF, InterruptibleWait, toError, type BackoffOptions } from './resilience/backoff';
export { FaultInjectingEventStore, Faults, StoreUnreachableError, type FaultSettings } from './resilience/fault-injection';
export { EVENT_STORE_OBSERVER, observeEventStore, type EventStoreObserver } from './resilience/observed-event-store';
export { EVENT_STORE_UNAVAILABLE_ERRORS, isEventStoreUnavailable } from './event-store-unavailable';
