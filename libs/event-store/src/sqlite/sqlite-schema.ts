import type Database from 'better-sqlite3';
import { enableWalMode } from '@ses/sqlite';

/**
 * Durability and concurrency settings, then the schema. WAL lets one process
 * tail the file while another writes; synchronous=FULL makes a commit durable
 * before appendToStream resolves (kill -9 after the answer loses nothing).
 * mmap_size: pages of the file are read through memory-mapped I/O, not a read() per
 * page. Every commit of the commit worker's connection makes the reading connection
 * drop its page cache, so each read after an append (the command index catching up,
 * a stream's tail) fetched its pages again: startUsage took 0.72-0.90 ms of the
 * command app's CPU with it, 1.07-1.09 without (bench/command-load, alternated).
 * Writes still go through the WAL, with the same fsync; the file is never truncated.
 * temp_store=MEMORY: the commit worker runs each append of a group commit in a savepoint,
 * and SQLite keeps a savepoint's journal in a temporary file (a new one in /var/tmp per
 * commit, created, written and deleted: strace showed them under load). In memory, a
 * commit writes only the WAL and no longer needs a writable temporary directory. It stays
 * small: SQLite empties an in-memory savepoint journal when the savepoint is released, so
 * it holds the pages of one append at most.
 */
export const EVENTS_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'mmap_size = 1073741824', 'temp_store = MEMORY'];

export function prepareEventsDatabase(db: Database.Database): void {
  // journal_mode first, with retries (enableWalMode says why); the worker's connection opens a file already in WAL mode.
  enableWalMode(db);
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
