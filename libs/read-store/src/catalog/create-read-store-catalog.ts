import { isMongoUrl } from '../mongo/mongo-url';
import { EmbeddedReadStoreCatalog } from './embedded-catalog';
import { MongoReadStoreCatalog } from './mongo-catalog';
import type { ReadStoreCatalog } from './read-store-catalog.port';

export async function createReadStoreCatalog(config: { url?: string; dataDir: string }): Promise<ReadStoreCatalog> {
  const url = config.url?.trim();
  if (!url) return new EmbeddedReadStoreCatalog(config.dataDir);
  if (isMongoUrl(url)) return MongoReadStoreCatalog.connect(url);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new Error(`Unsupported read store URL (${scheme}): use mongodb:// or mongodb+srv://, or leave it unset for the embedded store`);
}
