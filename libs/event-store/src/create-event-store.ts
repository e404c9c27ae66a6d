import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore, SkipReporter } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  /** `SES_EVENT_STORE`: unset/empty for the embedded SQLite file, or an `esdb://` / `kurrentdb://` connection string. */
  url?: string;
  /** `SES_DATA_DIR`: where the embedded store keeps `events.sqlite`. */
  dataDir: string;
  /** Told about every event a read skips because it does not decode (the apps log it); default: a warning on stderr. */
  onSkipped?: SkipReporter;
}

export function createEventStore(config: EventStoreConfig): EventStore {
  const url = config.url?.trim();
  if (!url) return new SqliteEventStore(join(config.dataDir, 'events.sqlite'), { onSkipped: config.onSkipped });
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\//i.test(url)) return new EsdbEventStore(url, { onSkipped: config.onSkipped });
  throw new Error(`unsupported event store URL "${url}": leave it empty for the embedded SQLite store, or use esdb:// or kurrentdb://`);
}
