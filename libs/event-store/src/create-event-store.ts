import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  /** `SES_EVENT_STORE`: unset/empty for the embedded SQLite file, or an `esdb://` / `kurrentdb://` connection string. */
  url?: string;
  /** `SES_DATA_DIR`: where the embedded store keeps `events.sqlite`. */
  dataDir: string;
}

export function createEventStore(config: EventStoreConfig): EventStore {
  const url = config.url?.trim();
  if (!url) return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//i.test(url)) return new EsdbEventStore(url);
  throw new Error(`unsupported event store URL "${url}": leave it empty for the embedded SQLite store, or use esdb:// or kurrentdb://`);
}
