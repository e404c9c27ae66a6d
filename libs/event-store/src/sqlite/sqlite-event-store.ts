import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventStoreIdentity,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SkipReporter,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import { decodeRecord, readDecoded, warnOnSkip, type MappedRecord } from '../decode-records';
import type { BackoffOptions } from '../resilience/backoff';
import { toRecordedEvent } from './event-row';
import { APPENDED_SIGNAL, PollingSubscription } from './polling-subscription';
import { prepareEventsDatabase } from './sqlite-schema';
import { prepareEventStatements, type EventStatements, type StoredIdRow } from './sqlite-statements';

export interface SqliteEventStoreOptions {
  /** How often subscriptions look for rows written by other processes; default 50. */
  pollIntervalMs?: number;
  /** Told about events that reads skip because they do not decode; default: a warning on stderr. */
  onSkipped?: SkipReporter;
  /** Delays between a subscription's retries after a failed read; default DEFAULT_BACKOFF. */
  reconnect?: BackoffOptions;
}

interface PendingAppend {
  streamId: string;
  events: readonly EventToAppend[];
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const DEFAULT_READ_ALL_MAX_COUNT = 1000;
/** No limit on a stream read. */
const ALL = Number.MAX_SAFE_INTEGER;

/** The embedded event store: one SQLite file in WAL mode, safe to share between processes. */
export class SqliteEventStore implements EventStore {
  readonly pollIntervalMs: number;
  private readonly onSkipped: SkipReporter;
  private readonly db: Database.Database;
  private readonly appendSignals = new EventEmitter().setMaxListeners(0);
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly sql: EventStatements;
  /** Appends waiting for this turn's group commit (appendToStream). */
  private readonly pendingAppends: PendingAppend[] = [];
  private readonly reconnect?: BackoffOptions;

  constructor(
    readonly filePath: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.reconnect = options.reconnect;
    this.onSkipped = options.onSkipped ?? warnOnSkip;
    mkdirSync(dirname(filePath), { recursive: true });
    this.db = new Database(filePath);
    prepareEventsDatabase(this.db);
    this.sql = prepareEventStatements(this.db);
  }

  /**
   * Group commit: appends asked for in the same turn of the event loop (e.g. the 10,000
   * email reservations of one registerUsers file, issued side by side) are written in ONE
   * transaction, so they share one durable commit (synchronous=FULL: one fsync) instead of
   * paying one each. Each append is still checked and applied on its own, in the order
   * asked, inside a savepoint: a conflict fails that append alone and its neighbours are
   * committed. Every append resolves only after the commit that holds it.
   */
  appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ streamId, events, expectedRevision, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitPendingAppends());
    });
  }

  private commitPendingAppends(): void {
    const batch = this.pendingAppends.splice(0);
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; result: AppendResult; appended: boolean } | { ok: false; error: unknown })[] = [];
    const one = this.db.transaction((append: PendingAppend) => this.appendInTransaction(append.streamId, append.events, append.expectedRevision));
    try {
      this.db
        .transaction(() => {
          outcomes.length = 0;
          for (const append of batch) {
            try {
              // Nested: a savepoint, rolled back alone when this append fails.
              outcomes.push({ ok: true, ...one(append) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (closed, busy past busy_timeout, disk): nothing of the batch is stored.
      for (const append of batch) append.reject(error);
      return;
    }
    if (outcomes.some((o) => o.ok && o.appended)) this.appendSignals.emit(APPENDED_SIGNAL);
    batch.forEach((append, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const read = (fromRevision: bigint, maxCount: number) => this.readStreamRecords(streamId, { fromRevision, maxCount });
    return readDecoded(read, options.fromRevision ?? 0n, options.maxCount ?? ALL, (record) => record.revision + 1n, this.onSkipped);
  }

  async readStreamRecords(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.sql.readStream.all(streamId, options.fromRevision ?? 0n, options.maxCount ?? ALL).map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const read = (after: bigint, maxCount: number) => this.readRecords(after, maxCount);
    return readDecoded(read, options.after ?? 0n, options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT, (record) => record.position, this.onSkipped);
  }

  async headPosition(): Promise<bigint> {
    return this.sql.head.get() ?? -1n;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    if (!this.db.open) throw new Error('SqliteEventStore is closed');
    const source = {
      readRecords: this.readRecords.bind(this),
      decode: (record: MappedRecord) => decodeRecord(record, this.onSkipped),
      appendSignals: this.appendSignals,
      pollIntervalMs: this.pollIntervalMs,
      backoff: this.reconnect,
    };
    const subscription = new PollingSubscription(source, options, (finished) => this.subscriptions.delete(finished));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The random id the file was given when it was created. */
  async identity(): Promise<EventStoreIdentity> {
    return { kind: 'sqlite', id: this.sql.storeId.get()! };
  }

  async close(): Promise<void> {
    if (this.db.open) this.commitPendingAppends(); // appends asked for before close are stored, not lost
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    if (this.db.open) this.db.close();
  }

  private readRecords(after: bigint, maxCount: number): MappedRecord[] {
    return this.sql.readAll.all(after, maxCount).map(toRecordedEvent);
  }

  /** Runs inside BEGIN IMMEDIATE: the revision check and the inserts see no concurrent writer, even from another process. */
  private appendInTransaction(
    streamId: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): { result: AppendResult; appended: boolean } {
    const current = this.sql.lastRevision.get(streamId) ?? undefined;
    const actual = current ?? 'no_stream';
    // A stream that does not exist holds none of the ids (the lookup was a measurable share of an append, issue 14).
    if (events.length > 0 && current !== undefined) {
      const stored = this.sql.storedIds.all(streamId, JSON.stringify(events.map((event) => event.eventId)));
      if (isSameBatch(stored, events)) {
        const last = stored[stored.length - 1]!;
        return { result: { nextExpectedRevision: last.revision, position: last.position, alreadyStored: true }, appended: false };
      }
      // Some ids of the batch are stored and others are not: not a retry of one append, so a conflict.
      if (stored.length > 0) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
    if (!satisfies(expectedRevision, current)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);

    const recordedAt = new Date().toISOString();
    let revision = current ?? -1n;
    let position = events.length === 0 ? (this.sql.head.get() ?? -1n) : -1n;
    for (const event of events) {
      revision += 1n;
      const row = this.sql.insert.run(event.eventId, streamId, revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
      position = BigInt(row.lastInsertRowid);
    }
    return { result: { nextExpectedRevision: revision, position, alreadyStored: false }, appended: events.length > 0 };
  }
}

function satisfies(expected: ExpectedRevision, current: bigint | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  return current === expected;
}

/** True when the stored rows are exactly this batch: same ids, same order, consecutive revisions. */
function isSameBatch(stored: readonly StoredIdRow[], events: readonly EventToAppend[]): boolean {
  if (stored.length !== events.length) return false;
  return stored.every((row, index) => row.event_id === events[index]!.eventId && row.revision === stored[0]!.revision + BigInt(index));
}
