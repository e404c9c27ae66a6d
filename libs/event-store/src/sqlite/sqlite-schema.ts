import type Database from 'better-sqlite3';

/**
 * Durability and concurrency settings, then the schema. WAL lets one process
 * tail the file while another writes; synchronous=FULL makes a commit durable
 * before appendToStream resolves (kill -9 after the answer loses nothing).
 */
export const EVENTS_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000'];

export function prepareEventsDatabase(db: Database.Database): void {
  for (const pragma of EVENTS_PRAGMAS) db.pragma(pragma);
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      UNIQUE (stream_id, revision)
    );
    CREATE INDEX IF NOT EXISTS events_event_id ON events (event_id);
    -- Who this store is: a random id made once, when the file is created (or first opened by a release that has it).
    CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT OR IGNORE INTO store_info (key, value) VALUES ('id', lower(hex(randomblob(16))));
  `);
}
