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
 */

/** 'no_stream': the stream must not exist; 'any': no check; bigint: the stream's current last revision (0-based). */
export type ExpectedRevision = 'no_stream' | 'any' | bigint;

/** Stored as given: the command side appends DomainEvents; tests may write older schemas or foreign types. */
export interface EventToAppend {
  /** UUID; appending an event id that is already in the stream is a no-op (idempotent retry). */
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
  /** Called once if the subscription dies. */
  onError?: (error: Error) => void;
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
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
