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
import { CommitWorker } from './commit-worker';
import { prepareEventStatements, type EventStatements } from './sqlite-statements';

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
  /** Appends waiting for the next group commit (appendToStream). */
  private readonly pendingAppends: PendingAppend[] = [];
  /** Started at the first append (a store that only reads, as the query app's, has none). */
  private commits?: CommitWorker;
  /** The batch in flight. */
  private committing?: Promise<void>;
  private flushScheduled = false;
  private closed = false;
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
   * Group commit: appends asked for while the previous batch is being committed (or in the
   * same turn of the event loop; e.g. the 10,000 email reservations of one registerUsers
   * file, issued side by side) are written in ONE transaction, so they share one durable
   * commit (synchronous=FULL: one fsync) instead of paying one each. The commit runs on a
   * worker thread (commit-worker.ts), so the process goes on serving meanwhile. Each append
   * is still checked and applied on its own, in the order asked, inside a savepoint: a
   * conflict fails that append alone and its neighbours are committed. Every append
   * resolves only after the commit that holds it.
   */
  appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ streamId, events, expectedRevision, resolve, reject });
      if (!this.flushScheduled && !this.committing) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.commitPendingAppends();
        });
      }
    });
  }

  /** Sends what is pending as one batch, unless a batch is in flight (its end sends the next). */
  private commitPendingAppends(): void {
    if (this.committing || this.pendingAppends.length === 0) return;
    const batch = this.pendingAppends.splice(0);
    this.commits ??= new CommitWorker(this.filePath);
    const requests = batch.map(({ streamId, events, expectedRevision }) => ({
      streamId,
      expected: expectedRevision,
      events: events.map((event) => ({ eventId: event.eventId, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) })),
    }));
    this.committing = this.commits
      .commit(requests)
      .then(
        (outcomes) => {
          if (outcomes.some((o) => o.ok && o.appended)) this.appendSignals.emit(APPENDED_SIGNAL);
          batch.forEach((append, i) => {
            const outcome = outcomes[i]!;
            if (outcome.ok)
              append.resolve({ nextExpectedRevision: outcome.nextExpectedRevision, position: outcome.position, alreadyStored: outcome.alreadyStored });
            else if ('conflict' in outcome) append.reject(new WrongExpectedRevisionError(append.streamId, append.expectedRevision, outcome.conflict.actual));
            else append.reject(Object.assign(new Error(outcome.error.message), { code: outcome.error.code }));
          });
        },
        // The commit itself failed (busy past busy_timeout, disk, the worker stopped): nothing of the batch is stored.
        (error: unknown) => batch.forEach((append) => append.reject(error)),
      )
      .finally(() => {
        this.committing = undefined;
        this.commitPendingAppends();
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
    // Appends asked for before close are stored, not lost.
    while (this.committing || this.pendingAppends.length > 0) {
      this.commitPendingAppends();
      await this.committing;
    }
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.commits?.close();
    if (this.db.open) this.db.close();
  }

  private readRecords(after: bigint, maxCount: number): MappedRecord[] {
    return this.sql.readAll.all(after, maxCount).map(toRecordedEvent);
  }
}
