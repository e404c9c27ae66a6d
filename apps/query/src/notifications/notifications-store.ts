import { createReadStore, databaseNameFromUrl, isMongoUrl, MongoReadStore, type ReadStore } from '@ses/read-store';

export const NOTIFICATIONS_STORE_FILE = 'notifications.sqlite';
/** The deliverer reads what it just wrote, then rarely again: a small cache of decoded records is enough. */
const NOTIFICATIONS_CACHE_MB = 16;

/**
 * The deliverer's own store, beside the read models but not one of their generations:
 * `notifications.sqlite` in SES_DATA_DIR (embedded), or the database `<name>_notifications`
 * next to the read models' `<name>` (MongoDB). A rebuild of the read models never touches it.
 */
export async function openNotificationsStore(config: { readStoreUrl?: string; dataDir: string }): Promise<ReadStore> {
  const url = config.readStoreUrl?.trim();
  if (url && isMongoUrl(url)) return MongoReadStore.connect(url, `${databaseNameFromUrl(url) ?? 'ses'}_notifications`);
  return createReadStore({ url, dataDir: config.dataDir, fileName: NOTIFICATIONS_STORE_FILE, cacheMb: NOTIFICATIONS_CACHE_MB });
}
