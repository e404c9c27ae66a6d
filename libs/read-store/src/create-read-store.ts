import { join } from 'node:path';
import { DEFAULT_READ_CACHE_BYTES, EmbeddedReadStore } from './embedded/embedded-read-store';
import type { ReadStoreLogger } from './embedded/sqlite-document-file';
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
  /** The embedded store's document cache in MiB; default SES_READ_CACHE_MB, else 128. */
  cacheMb?: number;
  /** Where the embedded store logs its upgrades and index builds; default pino on stdout. */
  logger?: ReadStoreLogger;
}

export const DEFAULT_READ_STORE_FILE = 'read-models.sqlite';
export const READ_CACHE_ENV = 'SES_READ_CACHE_MB';

export async function createReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  const url = config.url?.trim();
  if (!url) {
    return EmbeddedReadStore.open(join(config.dataDir, config.fileName ?? DEFAULT_READ_STORE_FILE), {
      cacheBytes: readCacheBytes(config.cacheMb),
      logger: config.logger,
    });
  }
  if (isMongoUrl(url)) return MongoReadStore.connect(url);
  throw unsupportedUrl(url);
}

/**
 * Bytes for the embedded store's cache of decoded documents: `cacheMb` if given,
 * else SES_READ_CACHE_MB (whole MiB, 0 keeps nothing cached), else 128 MiB. Read
 * here, where the embedded store is created, so the platform config need not know it.
 */
export function readCacheBytes(cacheMb?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (cacheMb !== undefined) return checkedMb(cacheMb, 'cacheMb') * 2 ** 20;
  const raw = env[READ_CACHE_ENV]?.trim();
  if (!raw) return DEFAULT_READ_CACHE_BYTES;
  return checkedMb(/^\d+$/.test(raw) ? Number(raw) : NaN, READ_CACHE_ENV) * 2 ** 20;
}

function checkedMb(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 1_048_576) throw new Error(`${name} must be a whole number of MiB from 0 to 1048576`);
  return value;
}

export function unsupportedUrl(url: string): Error {
  // Only the scheme is echoed: the URL may carry credentials.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  return new Error(`Unsupported read store URL (${scheme}): use mongodb:// or mongodb+srv://, or leave it unset for the embedded store`);
}
