export * from './read-store.port';
export { EmbeddedReadStore, DEFAULT_READ_CACHE_BYTES, type EmbeddedReadStoreOptions } from './embedded/embedded-read-store';
export type { ReadStoreLogger } from './embedded/sqlite-document-file';
export { MongoReadStore } from './mongo/mongo-read-store';
export { createReadStore, DEFAULT_READ_STORE_FILE, READ_CACHE_ENV, readCacheBytes, type ReadStoreConfig } from './create-read-store';
export * from './catalog/read-store-catalog.port';
export { EmbeddedReadStoreCatalog } from './catalog/embedded-catalog';
export { MongoReadStoreCatalog } from './catalog/mongo-catalog';
export { createReadStoreCatalog } from './catalog/create-read-store-catalog';
