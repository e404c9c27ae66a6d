import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ses/event-store';
import type { EventMetadata } from '@ses/events';
import { prepareEventsDatabase } from '../libs/event-store/src/sqlite/sqlite-schema';

/**
 * Event store appends (issue 14): single events to distinct streams, each acknowledged
 * only once durable (WAL, synchronous=FULL: the commit's fsync), by `appenders`
 * concurrent closed-loop appenders, side by side in one run:
 * - our SQLite adapter (libs/event-store/src/sqlite: group commit, one fsync per batch);
 * - @event-driven-io/emmett-sqlite (node-sqlite3; its default synchronous is FULL, WAL);
 * - raw better-sqlite3 INSERTs into the same table with the same pragmas, one commit each
 *   (and, for reference, one transaction per event-loop turn: a hand-made group commit).
 * SES_BENCH_APPENDS (default 4000) appends per contender, SES_BENCH_APPENDERS (default 32).
 */
export async function appendBench(): Promise<Record<string, unknown>> {
  const total = Number(process.env.SES_BENCH_APPENDS ?? 4000);
  const appenders = Number(process.env.SES_BENCH_APPENDERS ?? 32);
  const dir = mkdtempSync(join(tmpdir(), 'ses-append-bench-'));
  try {
    const results: Record<string, unknown> = {};
    const ours = new SqliteEventStore(join(dir, 'ours.sqlite'));
    results.ours = await measure(total, appenders, (stream, event) => ours.appendToStream(stream, [event], 'no_stream').then(() => undefined));
    await ours.close();

    results.emmettSqlite = await emmett(join(dir, 'emmett.sqlite'), total, appenders);

    const raw = new Database(join(dir, 'raw.sqlite'));
    prepareEventsDatabase(raw); // the same table, indexes and pragmas (WAL, synchronous=FULL)
    const insert = raw.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, 0, ?, ?, ?, ?)');
    const insertOne = (stream: string, event: AppendedEvent) =>
      void insert.run(event.eventId, stream, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), new Date().toISOString());
    results.rawBetterSqlite3 = await measure(total, appenders, async (stream, event) => insertOne(stream, event));
    results.rawBetterSqlite3GroupCommit = await measure(total, appenders, groupCommit(raw, insertOne));
    raw.close();

    const rate = (name: string) => (results[name] as { appendsPerSecond: number }).appendsPerSecond;
    const vs = (name: string) => Math.round((rate('ours') / rate(name)) * 100) / 100;
    return {
      appenders,
      appendsEach: total,
      durability: 'journal_mode=WAL, synchronous=FULL for all (emmett: node-sqlite3 default, checked)',
      ...results,
      oursVs: { emmettSqlite: vs('emmettSqlite'), rawBetterSqlite3: vs('rawBetterSqlite3'), rawBetterSqlite3GroupCommit: vs('rawBetterSqlite3GroupCommit') },
      targets: { 'ours >= 1.5x emmett-sqlite': vs('emmettSqlite') >= 1.5, 'ours >= 0.5x raw better-sqlite3': vs('rawBetterSqlite3') >= 0.5 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface AppendedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** An event the size of a usage start as the service writes it. */
function anEvent(i: number): AppendedEvent {
  return {
    eventId: randomUUID(),
    type: 'UsageStarted',
    data: { accountId: 'acct-1', productId: 'cad', sessionId: randomUUID(), userId: `user-${i}`, machineId: 'machine-1', startedAt: new Date().toISOString() },
    metadata: {
      actor: 'sub-1',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      hash: 'f'.repeat(64),
    } as EventMetadata,
  };
}

/** `appenders` closed loops sharing `total` appends, each to a new stream; throughput and latency of the acknowledgements. */
async function measure(total: number, appenders: number, append: (stream: string, event: AppendedEvent) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (next < total) {
        const i = next++;
        const event = anEvent(i);
        const t = performance.now();
        try {
          await append(`bench-${i}-${event.eventId}`, event);
          latencies.push(performance.now() - t);
        } catch (error) {
          failed += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
  return { appendsPerSecond: Math.round(latencies.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99), failed, ...(firstError ? { firstError } : {}) };
}

/** Raw inserts queued in one event-loop turn share one transaction; each resolves after that commit. */
function groupCommit(db: Database.Database, insertOne: (stream: string, event: AppendedEvent) => void) {
  let pending: { stream: string; event: AppendedEvent; done: () => void }[] = [];
  const commit = db.transaction((batch: typeof pending) => batch.forEach(({ stream, event }) => insertOne(stream, event)));
  return (stream: string, event: AppendedEvent) =>
    new Promise<void>((done) => {
      pending.push({ stream, event, done });
      if (pending.length === 1)
        setImmediate(() => {
          const batch = pending;
          pending = [];
          commit.immediate(batch);
          batch.forEach((p) => p.done());
        });
    });
}

/**
 * emmett-sqlite 0.38.5 opens a connection per call and closes it when the call ends, so
 * concurrent appends through one store fail (SQLITE_MISUSE: the connection is closed under
 * the others), and one store per appender fails with SQLITE_BUSY (no busy timeout). Both are
 * tried briefly and their failures reported; the throughput is measured with the appends
 * queued one at a time (what works), the appenders still concurrent in front of the queue.
 */
async function emmett(file: string, total: number, appenders: number) {
  // emmett-sqlite console.logs every failed transaction: kept off stdout, which carries the JSON document.
  const log = console.log;
  console.log = () => undefined;
  try {
    return await emmettRun(file, total, appenders);
  } finally {
    console.log = log;
  }
}

async function emmettRun(file: string, total: number, appenders: number) {
  const store = getSQLiteEventStore({ fileName: file });
  const toEmmett = (event: AppendedEvent) => [{ type: event.type, data: event.data, metadata: { ...event.metadata } }];
  const trial = Math.min(total, 2 * appenders);
  const concurrentOneStore = await measure(trial, appenders, (stream, event) =>
    store.appendToStream(stream, toEmmett(event), { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' }).then(() => undefined),
  );
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = await measure(total, appenders, (stream, event) => {
    const appended = queue.then(() => store.appendToStream(stream, toEmmett(event), { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' }));
    queue = appended.catch(() => undefined);
    return appended.then(() => undefined);
  });
  return {
    ...serialised,
    concurrentThroughOneStore: { appends: trial, failed: concurrentOneStore.failed, firstError: concurrentOneStore.firstError },
  };
}
