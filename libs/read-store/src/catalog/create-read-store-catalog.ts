import { readCacheBytes, unsupportedUrl } from '../create-read-store';
import type { ReadStoreLogger } from '../embedded/sqlite-document-file';
import { isMongoUrl } from '../mongo/mongo-url';
import { EmbeddedReadStoreCatalog } from './embedded-catalog';
import { MongoReadStoreCatalog } from './mongo-catalog';
import type { ReadStoreCatalog } from './read-store-catalog.port';

/** The catalog of the configured adapter. The embedded store's cache: `cacheMb`, else SES_READ_CACHE_MB, else 128 MiB. */
export async function createReadStoreCatalog(config: { url?: string; dataDir: string; cacheMb?: number; logger?: ReadStoreLogger }): Promise<ReadStoreCatalog> {
  const url = config.url?.trim();
  if (!url) return new EmbeddedReadStoreCatalog(config.dataDir, undefined, { cacheBytes: readCacheBytes(config.cacheMb), logger: config.logger });
  if (isMongoUrl(url)) return MongoReadStoreCatalog.connect(url);
  throw unsupportedUrl(url);
}
