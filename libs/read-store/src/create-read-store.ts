import { join } from 'node:path';
import { EmbeddedReadStore } from './embedded/embedded-read-store';
import { MongoReadStore } from './mongo/mongo-read-store';
import { isMongoUrl } from './mongo/mongo-url';
import type { ReadStore } from './read-store.port';

export interface ReadStoreConfig {
  /** `mongodb://` or `mongodb+srv://` for MongoDB; unset or empty for the embedded store. */
  url?: string;
  /** Directory of the embedded store's file. */
  dataDir: string;
  /** The embedded store's file name; default `read-models.sqlite`. */
  fileName?: string;
}

export const DEFAULT_READ_STORE_FILE = 'read-models.sqlite';

export async function createReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  const url = config.url?.trim();
  if (!url) {
    return EmbeddedReadStore.open(join(config.dataDir, config.fileName ?? DEFAULT_READ_STORE_FILE));
  }
  if (isMongoUrl(url)) return MongoReadStore.connect(url);
  // Only the scheme is echoed: the URL may carry credentials.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new Error(`Unsupported read store URL (${scheme}): use mongodb:// or mongodb+srv://, or leave it unset for the embedded store`);
}
