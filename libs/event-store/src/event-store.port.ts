import type { DomainEvent, EventMetadata } from '@ses/events';

/**
 * The event store port. Two adapters implement it (SQLite for the embedded
 * default, EventStoreDB for production) and pass one contract suite
 * (event-store.contract.ts). Production code never asks which one it has.
 *
 * Reads are typed: every event read is decoded once, by the adapter, with the one
 * decode function of libs/events (known type, data upcast to the current schema and
 * checked), and arrives as a StoredEvent whose `type` narrows `data`. An event that
 * does not decode (unknown type, a newer schema, data of the wrong shape) is skipped
 * and reported to the store's SkipReporter; reads, paging and subscriptions go on
 * past it. Only readStreamRecords returns events exactly as stored (hash-chain audits).
 * A record that is not even JSON (another tool writing to the same EventStoreDB cluster)
 * is skipped and reported the same way; it never stops a read or a subscription.
 *
 * Idempotent appends (one promise, both adapters, tested by the contract suite). Event ids
 * are unique; the command side derives them from the command, so a retried command sends
 * the same ids again. An append whose events are ALL already stored in the stream, as one
 * run of consecutive revisions in the same order, is a retry: it appends nothing and
 * answers the stored result (revision and position of the batch's last stored event) with
 * `alreadyStored: true`. That holds whatever the retry expects: the revision the batch was
 * first appended at (a stale retry), the stream's current revision (a retry that re-read
 * the stream), or 'any'; and after the store or the app restarted (it is checked against
 * the stored events, not an in-memory window). An append that repeats only SOME stored ids
 * of the stream, or all of them but not as that one run, is a conflict
 * (WrongExpectedRevisionError): it is not a retry of one append.
 * Only ids are compared: the stored events of a retry may carry other data or metadata
 * than the retry sent (two instances decided the same command at different instants), so
 * a caller told `alreadyStored` must re-read what it needs (its own events are NOT stored).
 * Where the stored batch is looked for: SQLite anywhere in the stream (an index on event
 * ids). EventStoreDB with bounded reads: at the revisions right after the expected one (a
 * stale retry; the server checks this itself too), and among the last RETRY_WINDOW events
 * before the expected revision (or the stream's end for 'any'): a retry at the current
 * revision or with 'any' is recognised while fewer than RETRY_WINDOW events were appended
 * to the stream since its original.
 *
 * Subscriptions keep going by themselves: a subscription that loses its source (the store
 * restarts or is unreachable, a leader change, a keep-alive time-out, a read error) resumes
 * after the last event it delivered, after a capped exponential back-off, and says so
 * through onRetry / onRecovered. Only an error thrown by onEvent stops it (onError).
 */

/** How many events before the expected revision (or the end) EventStoreDB looks through for a retried batch. */
export const RETRY_WINDOW = 32;

/** 'no_stream': the stream must not exist; 'any': no check; bigint: the stream's current last revision (0-based). */
export type ExpectedRevision = 'no_stream' | 'any' | bigint;

/** Stored as given: the command side appends DomainEvents; tests may write older schemas or foreign types. */
export interface EventToAppend {
  /** UUID; a batch whose ids are all stored already is an idempotent retry (see the port's doc). */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** Where and when an event is stored, whatever its type. */
export interface EventEnvelope {
  eventId: string;
  streamId: string;
  /** 0-based revision within its stream. */
  revision: bigint;
  /** Global position: strictly increasing in commit order across all streams. */
  position: bigint;
  metadata: EventMetadata;
  /** When the store committed it. */
  recordedAt: Date;
}

/** An event as the service reads it: its envelope and the decoded DomainEvent (`switch (event.type)` narrows `event.data`). */
export type StoredEvent<E extends DomainEvent = DomainEvent> = E extends DomainEvent ? EventEnvelope & E : never;

/** An event exactly as stored: any type, data of the schema version it was written with. */
export interface RecordedEvent extends EventEnvelope {
  type: string;
  data: Record<string, unknown>;
}

/** Told about every event a read skips because it does not decode. */
export type SkipReporter = (record: RecordedEvent, problem: string) => void;

export interface AppendResult {
  /** The stream's last revision after the append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended (or already present, for an idempotent retry). */
  position: bigint;
  /**
   * True when nothing was appended because the batch was stored before (an idempotent retry,
   * by this process or another): the stored events may differ from the ones sent in data and
   * metadata. False (or absent, in stores written before this flag) when these events were appended.
   */
  alreadyStored?: boolean;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position; default: from the start. */
  after?: bigint;
  maxCount?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position (catch-up), then live ones. */
  after?: bigint;
  /** Called in position order, one at a time, for every event that decodes; the next event waits for the returned promise. */
  onEvent: (event: StoredEvent) => Promise<void> | void;
  /** Called once if onEvent threw (or returned a rejected promise): the subscription has stopped. */
  onError?: (error: Error) => void;
  /** Told each time the subscription lost its source and will resume after its last delivered event in `delayMs`. */
  onRetry?: (error: Error, retry: RetryInfo) => void;
  /** Told once the source answers again after one or more retries. */
  onRecovered?: (info: { attempts: number; downMs: number }) => void;
}

export interface RetryInfo {
  /** 1 for the first retry since the source last answered. */
  attempt: number;
  delayMs: number;
  /** The subscription resumes strictly after this position (its last event read); undefined: from the start. */
  after?: bigint;
}

/** Which event store a position belongs to: positions of one store mean nothing in another. */
export interface EventStoreIdentity {
  /** 'sqlite' or 'esdb'. */
  kind: string;
  /** Stable for one store's lifetime, across restarts and reconnects (a UUID kept in the store). */
  id: string;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order, decoded; [] when the stream does not exist. maxCount counts stored events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Events of one stream exactly as stored (undecoded, never skipped): for verifying hash chains. */
  readStreamRecords(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A page of the global log in position order: at most maxCount decoded events; fewer only at the end of the log. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Global position of the newest event, or -1n when the log is empty. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /**
   * The store's kind and identity, created in the store on first use (read stores record it
   * next to their checkpoints). Optional so that wrappers and test doubles need not have it.
   */
  identity?(): Promise<EventStoreIdentity>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
