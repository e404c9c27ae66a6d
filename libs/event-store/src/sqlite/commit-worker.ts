import { Worker } from 'node:worker_threads';
import type { ExpectedRevision } from '../event-store.port';
import { EVENTS_PRAGMAS } from './sqlite-schema';
import { APPEND_SQL } from './sqlite-statements';

/** One append of a batch, its events' data and metadata already JSON. */
export interface AppendRequest {
  streamId: string;
  events: { eventId: string; type: string; data: string; metadata: string }[];
  expected: ExpectedRevision;
}

export type AppendOutcome =
  | { ok: true; nextExpectedRevision: bigint; position: bigint; alreadyStored: boolean; appended: boolean }
  | { ok: false; conflict: { actual: bigint | 'no_stream' } }
  | { ok: false; error: { message: string; code?: string } };

type Reply = { id: number; outcomes: AppendOutcome[] } | { id: number; failed: { message: string; code?: string } };

/**
 * The worker thread's body. It runs from its source text (a worker needs JavaScript, and
 * the tests run this file as TypeScript), so it must not use anything from this module's
 * scope: only `require` and workerData. The batch runs in ONE BEGIN IMMEDIATE transaction
 * (one fsync at synchronous=FULL), each append in a savepoint of its own, checked on its
 * own (as SqliteEventStore's doc says); the reply goes out only after COMMIT returned.
 */
function commitWorkerBody(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- the worker's source is its own script */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const Database = require(workerData.betterSqlite3 as string) as typeof import('better-sqlite3');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sql = workerData.sql as Record<'lastRevision' | 'storedIds' | 'insert' | 'head', string>;
  const db = new Database(workerData.filePath as string);
  for (const pragma of workerData.pragmas as string[]) db.pragma(pragma);
  const lastRevision = db.prepare<[string], bigint | null>(sql.lastRevision).pluck().safeIntegers();
  const storedIds = db.prepare<[string, string], { event_id: string; revision: bigint; position: bigint }>(sql.storedIds).safeIntegers();
  const insert = db.prepare(sql.insert).safeIntegers();
  const head = db.prepare<[], bigint | null>(sql.head).pluck().safeIntegers();
  // A plain Error with a field (no class: helpers a compiler adds for classes are not in this script's scope).
  const conflict = (actual: bigint | 'no_stream') => Object.assign(new Error('conflict'), { conflictActual: actual });
  const appendOne = db.transaction((append: AppendRequest): AppendOutcome => {
    const current = lastRevision.get(append.streamId) ?? undefined;
    const actual = current ?? 'no_stream';
    const events = append.events;
    // A stream that does not exist holds none of the ids.
    if (events.length > 0 && current !== undefined) {
      const stored = storedIds.all(append.streamId, JSON.stringify(events.map((event) => event.eventId)));
      // Exactly this batch, stored before (same ids, same order, consecutive revisions): an idempotent retry.
      const same =
        stored.length === events.length && stored.every((row, i) => row.event_id === events[i]!.eventId && row.revision === stored[0]!.revision + BigInt(i));
      if (same) {
        const last = stored[stored.length - 1]!;
        return { ok: true, nextExpectedRevision: last.revision, position: last.position, alreadyStored: true, appended: false };
      }
      if (stored.length > 0) throw conflict(actual);
    }
    const expected = append.expected;
    if (expected !== 'any' && (expected === 'no_stream' ? current !== undefined : current !== expected)) throw conflict(actual);
    const recordedAt = new Date().toISOString();
    let revision = current ?? -1n;
    let position = events.length === 0 ? (head.get() ?? -1n) : -1n;
    for (const event of events) {
      revision += 1n;
      position = BigInt(insert.run(event.eventId, append.streamId, revision, event.type, event.data, event.metadata, recordedAt).lastInsertRowid);
    }
    return { ok: true, nextExpectedRevision: revision, position, alreadyStored: false, appended: events.length > 0 };
  });
  const commitAll = db.transaction((batch: AppendRequest[]): AppendOutcome[] =>
    batch.map((append) => {
      try {
        // Nested: a savepoint, rolled back alone when this append fails.
        return appendOne(append);
      } catch (error) {
        const { message, code, conflictActual } = error as { message?: string; code?: string; conflictActual?: bigint | 'no_stream' };
        if (conflictActual !== undefined) return { ok: false, conflict: { actual: conflictActual } };
        return { ok: false, error: { message: String(message ?? error), code } };
      }
    }),
  );
  parentPort!.on('message', (message: { id: number; batch: AppendRequest[] } | 'close') => {
    if (message === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    let reply: Reply;
    try {
      reply = { id: message.id, outcomes: commitAll.immediate(message.batch) };
    } catch (error) {
      // The commit itself failed (busy past busy_timeout, disk): nothing of the batch is stored.
      const { message: text, code } = error as { message?: string; code?: string };
      reply = { id: message.id, failed: { message: String(text ?? error), code } };
    }
    parentPort!.postMessage(reply);
  });
}

/**
 * Commits append batches on a thread of their own, with its own connection to the file.
 * better-sqlite3 is synchronous: committed on the main thread, each batch's fsync blocked
 * every request of the process for its duration (a fifth of the command app's main thread
 * under load, BENCHMARKS.md, issue 14). Here the main thread goes on serving while a batch
 * is made durable, and the appends that arrive meanwhile form the next batch. Nothing is
 * acknowledged before its commit returned. Hand-written: no library runs better-sqlite3
 * transactions on a worker with this protocol.
 */
export class CommitWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (outcomes: AppendOutcome[]) => void; reject: (error: Error) => void }>();
  private failure?: Error;
  private readonly exited: Promise<void>;

  constructor(filePath: string) {
    this.worker = new Worker(`(${commitWorkerBody.toString()})()`, {
      eval: true,
      workerData: { filePath, betterSqlite3: require.resolve('better-sqlite3'), sql: APPEND_SQL, pragmas: EVENTS_PRAGMAS },
    });
    // Keeps the process alive only while a batch is in flight.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('failed' in reply) waiter?.reject(Object.assign(new Error(reply.failed.message), { code: reply.failed.code }));
      else waiter?.resolve(reply.outcomes);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new Error('SqliteEventStore: the commit worker stopped'));
        resolve();
      }),
    );
  }

  /** Commits the batch; resolves with each append's outcome once the commit is durable. */
  commit(batch: AppendRequest[]): Promise<AppendOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, batch });
    });
  }

  /** Closes the worker's connection and ends the thread (call when no batch is in flight). */
  async close(): Promise<void> {
    // An unref'd worker does not keep the event loop alive: without this, a caller awaiting
    // close() as its last work (a script, a bench) sees the process exit before the promise
    // settles, and whatever it meant to do afterwards (print results) never runs.
    this.worker.ref();
    if (!this.failure) this.worker.postMessage('close');
    await this.exited;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
