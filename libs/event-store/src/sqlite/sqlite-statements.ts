import type Database from 'better-sqlite3';
import type { EventRow } from './event-row';

export interface StoredIdRow {
  event_id: string;
  revision: bigint;
  position: bigint;
}

/** The statements an append runs (also in the commit worker, which prepares them on its own connection). */
export const APPEND_SQL = {
  lastRevision: 'SELECT MAX(revision) FROM events WHERE stream_id = ?',
  // Through the event_id index: by (stream, revision) the planner would scan the whole stream, O(history) per append.
  storedIds:
    'SELECT event_id, revision, position FROM events INDEXED BY events_event_id WHERE stream_id = ? AND event_id IN (SELECT value FROM json_each(?)) ORDER BY revision',
  insert: 'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  head: 'SELECT MAX(position) FROM events',
};

/** Every statement the store runs, prepared once. safeIntegers: INTEGER columns come back as bigint. */
export function prepareEventStatements(db: Database.Database) {
  return {
    lastRevision: db.prepare<[string], bigint | null>(APPEND_SQL.lastRevision).pluck().safeIntegers(),
    storedIds: db.prepare<[string, string], StoredIdRow>(APPEND_SQL.storedIds).safeIntegers(),
    insert: db.prepare<[string, string, bigint, string, string, string, string]>(APPEND_SQL.insert).safeIntegers(),
    readStream: db
      .prepare<[string, bigint, number], EventRow>('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?')
      .safeIntegers(),
    readAll: db.prepare<[bigint, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?').safeIntegers(),
    head: db.prepare<[], bigint | null>(APPEND_SQL.head).pluck().safeIntegers(),
    storeId: db.prepare<[], string>("SELECT value FROM store_info WHERE key = 'id'").pluck(),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;
