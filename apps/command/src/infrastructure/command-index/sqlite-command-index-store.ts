import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CheckoutRecord, CheckoutStatus, SessionRecord, SessionStatus } from '@ses/domain';
import type { DenyReason } from '@ses/events';
import { enableWalMode } from '@ses/sqlite';
import type { PoolRef, RecordedResult } from '../lookups/lookups';
import { COMMAND_INDEX_VERSION, type CommandIndexStore, type IndexedSession, type IndexWrite, type Snapshot } from './command-index-store.port';

/** The tables, all derived from the log. `last_activity_ms` / `expires_ms` are set while active only: the partial indexes hold what can fall due. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS entities (entity_id TEXT PRIMARY KEY, account_id TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS pools (account_id TEXT NOT NULL, product_id TEXT NOT NULL, PRIMARY KEY (account_id, product_id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT NOT NULL, account_id TEXT NOT NULL, product_id TEXT NOT NULL,
    user_id TEXT NOT NULL, allowed INTEGER NOT NULL, deny_reason TEXT, term_license_usage INTEGER NOT NULL, status TEXT NOT NULL,
    last_activity_ms INTEGER,
    PRIMARY KEY (session_id, account_id, product_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS sessions_due ON sessions (last_activity_ms) WHERE last_activity_ms IS NOT NULL;
  CREATE TABLE IF NOT EXISTS checkouts (
    checkout_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, product_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
    expires_ms INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS checkouts_due ON checkouts (expires_ms) WHERE expires_ms IS NOT NULL;
  CREATE TABLE IF NOT EXISTS results (idempotency_key TEXT PRIMARY KEY, result TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_id TEXT PRIMARY KEY, state_version INTEGER NOT NULL, revision INTEGER NOT NULL, position INTEGER NOT NULL, last_hash TEXT NOT NULL, state BLOB NOT NULL
  ) WITHOUT ROWID;
`;
const TABLES = ['entities', 'pools', 'sessions', 'checkouts', 'results', 'snapshots'];

interface SessionRow {
  session_id: string;
  account_id: string;
  product_id: string;
  user_id: string;
  allowed: number;
  deny_reason: string | null;
  term_license_usage: number;
  status: string;
}

interface SnapshotRow {
  stream_id: string;
  state_version: bigint;
  revision: bigint;
  position: bigint;
  last_hash: string;
  state: Buffer;
}

/**
 * The embedded command index: its own SQLite file in the data directory
 * (`command-index.sqlite`), next to the event store's. A file of its own because it is
 * derived data: it needs no fsync per commit (synchronous=NORMAL; a crash loses at most
 * the last pages, which the next catch-up re-reads from the log), it never holds the
 * event store's write lock, and deleting it only costs a rebuild. WAL and busy_timeout
 * let several command processes on one data directory feed and read it; `apply` runs in
 * BEGIN IMMEDIATE and skips what another process already stored.
 */
export class SqliteCommandIndexStore implements CommandIndexStore {
  private readonly db: Database.Database;
  private readonly sql: ReturnType<typeof prepare>;

  constructor(filePath: string) {
    mkdirSync(dirname(filePath), { recursive: true });
    this.db = new Database(filePath);
    enableWalMode(this.db);
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const version = this.db.prepare<[], string | undefined>("SELECT value FROM meta WHERE key = 'version'").pluck().get();
    if (version !== String(COMMAND_INDEX_VERSION)) {
      // Another format (or none yet): start empty; LogIndex rebuilds it from the log and logs why.
      this.db.transaction(() => {
        for (const table of TABLES) this.db.exec(`DELETE FROM ${table}`);
        this.db.prepare("DELETE FROM meta WHERE key = 'checkpoint'").run();
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)").run(String(COMMAND_INDEX_VERSION));
      })();
    }
    this.sql = prepare(this.db);
  }

  async checkpoint(): Promise<bigint | null> {
    return this.readCheckpoint();
  }

  async apply(writes: readonly IndexWrite[], upTo: bigint): Promise<void> {
    this.db
      .transaction(() => {
        const current = this.readCheckpoint();
        for (const write of writes) if (current === null || write.position > current) this.applyOne(write);
        if (current === null || upTo > current) this.sql.setCheckpoint.run(upTo.toString());
      })
      .immediate();
  }

  async reset(): Promise<void> {
    this.db.transaction(() => {
      for (const table of TABLES) this.db.exec(`DELETE FROM ${table}`);
      this.db.prepare("DELETE FROM meta WHERE key = 'checkpoint'").run();
    })();
  }

  async accountOf(entityId: string): Promise<string | undefined> {
    return this.sql.accountOf.get(entityId);
  }

  async sessions(sessionId: string): Promise<IndexedSession[]> {
    return this.sql.sessionsById.all(sessionId).map(toIndexedSession);
  }

  async session(pool: PoolRef, sessionId: string): Promise<SessionRecord | null> {
    const row = this.sql.session.get(sessionId, pool.accountId, pool.productId);
    return row ? toIndexedSession(row) : null;
  }

  async checkout(checkoutId: string): Promise<(CheckoutRecord & { pool: PoolRef }) | null> {
    const row = this.sql.checkout.get(checkoutId);
    return row ? { userId: row.user_id, status: row.status as CheckoutStatus, pool: { accountId: row.account_id, productId: row.product_id } } : null;
  }

  async result(idempotencyKey: string): Promise<RecordedResult | undefined> {
    const row = this.sql.result.get(idempotencyKey);
    return row ? { result: JSON.parse(row.result) as unknown, position: row.position } : undefined;
  }

  async pools(): Promise<PoolRef[]> {
    return this.sql.pools.all().map((row) => ({ accountId: row.account_id, productId: row.product_id }));
  }

  async duePools(nowMs: number, ttlMs: number, limit: number): Promise<PoolRef[]> {
    return this.sql.duePools.all({ now: nowMs, ttl: ttlMs, limit }).map((row) => ({ accountId: row.account_id, productId: row.product_id }));
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const row = this.sql.loadSnapshot.get(streamId);
    if (!row) return undefined;
    return {
      streamId: row.stream_id,
      stateVersion: Number(row.state_version),
      revision: row.revision,
      position: row.position,
      lastHash: row.last_hash,
      state: new Uint8Array(row.state),
    };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const { streamId, stateVersion, revision, position, lastHash, state } = snapshot;
    this.sql.saveSnapshot.run(streamId, stateVersion, revision, position, lastHash, Buffer.from(state.buffer, state.byteOffset, state.byteLength));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private readCheckpoint(): bigint | null {
    const value = this.sql.checkpoint.get();
    return value === undefined ? null : BigInt(value);
  }

  private applyOne(write: IndexWrite): void {
    const sql = this.sql;
    switch (write.kind) {
      case 'entity':
        sql.entity.run(write.entityId, write.accountId);
        return;
      case 'session': {
        const { pool, sessionId, record } = write;
        sql.pool.run(pool.accountId, pool.productId);
        sql.upsertSession.run(
          sessionId,
          pool.accountId,
          pool.productId,
          record.userId,
          record.allowed ? 1 : 0,
          record.denyReason,
          record.termLicenseUsage ? 1 : 0,
          record.status,
          write.lastActivityMs,
        );
        return;
      }
      case 'sessionActivity':
        sql.sessionActivity.run(write.lastActivityMs, write.sessionId, write.pool.accountId, write.pool.productId);
        return;
      case 'sessionClosed':
        sql.sessionClosed.run(write.status, write.sessionId, write.pool.accountId, write.pool.productId);
        return;
      case 'checkout':
        sql.pool.run(write.pool.accountId, write.pool.productId);
        sql.upsertCheckout.run(write.checkoutId, write.pool.accountId, write.pool.productId, write.userId, write.expiresMs);
        return;
      case 'checkoutClosed':
        sql.checkoutClosed.run(write.status, write.checkoutId);
        return;
      case 'result':
        sql.upsertResult.run(write.key, JSON.stringify(write.result ?? null), write.position);
        return;
    }
  }
}

function toIndexedSession(row: SessionRow): IndexedSession {
  return {
    sessionId: row.session_id,
    accountId: row.account_id,
    productId: row.product_id,
    userId: row.user_id,
    allowed: row.allowed === 1,
    denyReason: row.deny_reason as DenyReason | null,
    termLicenseUsage: row.term_license_usage === 1,
    status: row.status as SessionStatus,
  };
}

function prepare(db: Database.Database) {
  const sessionColumns = 'session_id, account_id, product_id, user_id, allowed, deny_reason, term_license_usage, status';
  return {
    checkpoint: db.prepare<[], string | undefined>("SELECT value FROM meta WHERE key = 'checkpoint'").pluck(),
    setCheckpoint: db.prepare<[string]>("INSERT OR REPLACE INTO meta (key, value) VALUES ('checkpoint', ?)"),
    entity: db.prepare<[string, string]>('INSERT OR IGNORE INTO entities (entity_id, account_id) VALUES (?, ?)'),
    pool: db.prepare<[string, string]>('INSERT OR IGNORE INTO pools (account_id, product_id) VALUES (?, ?)'),
    upsertSession: db.prepare<[string, string, string, string, number, string | null, number, string, number | null]>(
      `INSERT INTO sessions (${sessionColumns}, last_activity_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, account_id, product_id) DO UPDATE SET user_id = excluded.user_id, allowed = excluded.allowed,
         deny_reason = excluded.deny_reason, term_license_usage = excluded.term_license_usage, status = excluded.status, last_activity_ms = excluded.last_activity_ms`,
    ),
    sessionActivity: db.prepare<[number, string, string, string]>(
      'UPDATE sessions SET last_activity_ms = ? WHERE session_id = ? AND account_id = ? AND product_id = ? AND last_activity_ms IS NOT NULL',
    ),
    sessionClosed: db.prepare<[string, string, string, string]>(
      'UPDATE sessions SET status = ?, last_activity_ms = NULL WHERE session_id = ? AND account_id = ? AND product_id = ?',
    ),
    upsertCheckout: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO checkouts (checkout_id, account_id, product_id, user_id, status, expires_ms) VALUES (?, ?, ?, ?, 'ACTIVE', ?)
       ON CONFLICT (checkout_id) DO UPDATE SET status = 'ACTIVE', expires_ms = excluded.expires_ms`,
    ),
    checkoutClosed: db.prepare<[string, string]>('UPDATE checkouts SET status = ?, expires_ms = NULL WHERE checkout_id = ?'),
    upsertResult: db.prepare<[string, string, bigint]>(
      `INSERT INTO results (idempotency_key, result, position) VALUES (?, ?, ?)
       ON CONFLICT (idempotency_key) DO UPDATE SET result = excluded.result, position = excluded.position WHERE excluded.position > results.position`,
    ),
    accountOf: db.prepare<[string], string | undefined>('SELECT account_id FROM entities WHERE entity_id = ?').pluck(),
    sessionsById: db.prepare<[string], SessionRow>(`SELECT ${sessionColumns} FROM sessions WHERE session_id = ?`),
    session: db.prepare<[string, string, string], SessionRow>(
      `SELECT ${sessionColumns} FROM sessions WHERE session_id = ? AND account_id = ? AND product_id = ?`,
    ),
    checkout: db.prepare<[string], { account_id: string; product_id: string; user_id: string; status: string }>(
      'SELECT account_id, product_id, user_id, status FROM checkouts WHERE checkout_id = ?',
    ),
    result: db.prepare<[string], { result: string; position: bigint }>('SELECT result, position FROM results WHERE idempotency_key = ?').safeIntegers(),
    pools: db.prepare<[], { account_id: string; product_id: string }>('SELECT account_id, product_id FROM pools'),
    // Both halves read a partial index of what is active, from the earliest due: a tick costs what is due.
    duePools: db.prepare<[{ now: number; ttl: number; limit: number }], { account_id: string; product_id: string }>(
      `SELECT account_id, product_id FROM (
         SELECT account_id, product_id, last_activity_ms + @ttl AS due FROM sessions WHERE last_activity_ms IS NOT NULL AND last_activity_ms <= @now - @ttl
         UNION ALL
         SELECT account_id, product_id, expires_ms AS due FROM checkouts WHERE expires_ms IS NOT NULL AND expires_ms <= @now
       ) GROUP BY account_id, product_id ORDER BY MIN(due) LIMIT @limit`,
    ),
    loadSnapshot: db
      .prepare<[string], SnapshotRow>('SELECT stream_id, state_version, revision, position, last_hash, state FROM snapshots WHERE stream_id = ?')
      .safeIntegers(),
    saveSnapshot: db.prepare<[string, number, bigint, bigint, string, Buffer]>(
      `INSERT INTO snapshots (stream_id, state_version, revision, position, last_hash, state) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET state_version = excluded.state_version, revision = excluded.revision, position = excluded.position,
         last_hash = excluded.last_hash, state = excluded.state
       WHERE excluded.revision > snapshots.revision OR excluded.state_version != snapshots.state_version`,
    ),
  };
}
