import { join } from 'node:path';
import { BufferedCommandIndexStore, type BufferedIndexOptions } from './buffered-command-index-store';
import type { CommandIndexStore } from './command-index-store.port';
import { MongoCommandIndexStore } from './mongo-command-index-store';
import { SqliteCommandIndexStore } from './sqlite-command-index-store';

export const COMMAND_INDEX_FILE = 'command-index.sqlite';

export interface CommandIndexConfig {
  /** `SES_READ_STORE`: a MongoDB URL puts the index in MongoDB (shared by every command-app instance); unset: a SQLite file. */
  readStoreUrl?: string;
  /** `SES_DATA_DIR`: where the SQLite index lives (`command-index.sqlite`). */
  dataDir: string;
}

/**
 * The command index store the configuration names (production code never asks which one it got),
 * storing the index's writes in batches (BufferedCommandIndexStore).
 */
export async function createCommandIndexStore(config: CommandIndexConfig, buffering: BufferedIndexOptions = {}): Promise<CommandIndexStore> {
  const url = config.readStoreUrl?.trim();
  const store =
    url && /^mongodb(\+srv)?:\/\//i.test(url)
      ? await MongoCommandIndexStore.connect(url)
      : new SqliteCommandIndexStore(join(config.dataDir, COMMAND_INDEX_FILE));
  return new BufferedCommandIndexStore(store, buffering);
}
