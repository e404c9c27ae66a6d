import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { enableWalMode } from './wal-mode';

/**
 * Another connection (a worker thread, as another process would) writes to the file in
 * rollback-journal mode and holds its write lock for `holdMs`: SQLite refuses the change to
 * WAL at once then, busy_timeout or not.
 */
function holdWriteLock(file: string, holdMs: number): { locked: Promise<void>; released: Promise<void> } {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.betterSqlite3);
    const db = new Database(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO t VALUES (1)').run();
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
    db.exec('COMMIT');
    db.close();
    `,
    { eval: true, workerData: { file, holdMs, betterSqlite3: require.resolve('better-sqlite3') } },
  );
  const released = new Promise<void>((resolve, reject) => {
    worker.once('exit', () => resolve());
    worker.once('error', reject);
  });
  const locked = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  return { locked, released };
}

describe('enableWalMode', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ses-wal-'));
    file = join(dir, 'store.sqlite');
    const setup = new Database(file);
    setup.exec('CREATE TABLE t (x)');
    setup.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for another connection that holds the file, where the bare pragma fails at once despite busy_timeout', async () => {
    const { locked, released } = holdWriteLock(file, 300);
    await locked;
    const db = new Database(file, { timeout: 5000 });
    try {
      expect(() => db.pragma('journal_mode = WAL')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      enableWalMode(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // The other connection's write went through first: nothing was lost to the retries.
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      db.close();
      await released;
    }
  });

  it('gives up with SQLITE_BUSY after its time limit', async () => {
    const { locked, released } = holdWriteLock(file, 300);
    await locked;
    const db = new Database(file);
    try {
      expect(() => enableWalMode(db, { timeoutMs: 50 })).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    } finally {
      db.close();
      await released;
    }
  });
});
