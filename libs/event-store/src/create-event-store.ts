import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore, SkipReporter } from './event-store.port';
import type { BackoffOptions } from './resilience/backoff';
import { FaultInjectingEventStore, Faults } from './resilience/fault-injection';
import { observeEventStore, type EventStoreObserver } from './resilience/observed-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  /** `SES_EVENT_STORE`: unset/empty for the embedded SQLite file, or an `esdb://` / `kurrentdb://` connection string. */
  url?: string;
  /** `SES_DATA_DIR`: where the embedded store keeps `events.sqlite`. */
  dataDir: string;
  /** Told about every event a read skips because it does not decode (the apps log it); default: a warning on stderr. */
  onSkipped?: SkipReporter;
  /** Told about appends and subscriptions (metrics). */
  observer?: EventStoreObserver;
  /** Delays between a subscription's retries; default DEFAULT_BACKOFF (100 ms doubling up to 5 s). */
  reconnect?: BackoffOptions;
  /** The environment (default process.env): SES_TEST_FAULTS_FILE is honoured when NODE_ENV=test only. */
  env?: NodeJS.ProcessEnv;
}

/** With NODE_ENV=test: a JSON file of fault settings (resilience/fault-injection.ts) the test process writes to make the store unreachable, slow, or drop subscriptions. */
export const TEST_FAULTS_ENV = 'SES_TEST_FAULTS_FILE';

export function createEventStore(config: EventStoreConfig): EventStore {
  let store = adapterFor(config);
  const env = config.env ?? process.env;
  const faultsFile = env[TEST_FAULTS_ENV];
  if (faultsFile) {
    if (env.NODE_ENV !== 'test') throw new Error(`${TEST_FAULTS_ENV} injects faults into the event store and is honoured only when NODE_ENV=test`);
    const faults = new Faults();
    faults.watchFile(faultsFile);
    store = new FaultInjectingEventStore(store, faults);
  }
  return config.observer ? observeEventStore(store, config.observer) : store;
}

function adapterFor(config: EventStoreConfig): EventStore {
  const url = config.url?.trim();
  const options = { onSkipped: config.onSkipped, reconnect: config.reconnect };
  if (!url) return new SqliteEventStore(join(config.dataDir, 'events.sqlite'), options);
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//i.test(url)) return new EsdbEventStore(url, options);
  throw new Error(`unsupported event store URL "${url}": leave it empty for the embedded SQLite store, or use esdb:// or kurrentdb://`);
}
