import type Database from 'better-sqlite3';

/** How long to keep trying, and the pause between tries: the connections' busy_timeout, in short steps. */
export interface WalModeOptions {
  timeoutMs?: number;
  retryMs?: number;
}

/**
 * `PRAGMA journal_mode = WAL`, tried again while another connection holds the file.
 *
 * The change to WAL takes its lock without calling the busy handler, so busy_timeout does
 * not cover it: when two processes open a new file at once (the two apps of `npm start`, each
 * with its own connections), one of them got SQLITE_BUSY within milliseconds (5 of 360
 * concurrent first opens, measured; a full `npm test` once failed so). Once the file is in
 * WAL mode the pragma only reads it back. The pause is a synchronous sleep (Atomics.wait):
 * this runs while a store is opened, before anything else is served.
 */
export function enableWalMode(db: Database.Database, { timeoutMs = 5000, retryMs = 10 }: WalModeOptions = {}): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      // An in-memory database answers "memory": there is no file to share.
      if (mode !== 'wal' && mode !== 'memory') throw new Error(`SQLite kept journal_mode ${String(mode)} for ${db.name}: WAL was asked for`);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, retryMs);
    }
  }
}
