export * from './read-store.port';
export { EmbeddedReadStore } from './embedded/embedded-read-store';
export { MongoReadStore } from './mongo/mongo-read-store';
export { createReadStore, DEFAULT_READ_STORE_FILE, type ReadStoreConfig } from './create-read-store';
export * from './catalog/read-store-catalog.port';
export { EmbeddedReadStoreCatalog } from './catalog/embedded-catalog';
export { MongoReadStoreCatalog } from './catalog/mongo-catalog';
export { createReadStoreCatalog } from './catalog/create-read-store-catalog';
export { isMongoUrl, databaseNameFromUrl } from './mongo/mongo-url';
