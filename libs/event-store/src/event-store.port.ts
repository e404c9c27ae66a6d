import type { EventMetadata } from '@ses/events';

/**
 * The event store port. Two adapters implement it (SQLite for the embedded
 * default, EventStoreDB for production) and pass one contract suite
 * (event-store.contract.ts). Production code never asks which one it has.
 */

/** 'no_stream': the stream must not exist; 'any': no check; bigint: the stream's current last revision (0-based). */
export type ExpectedRevision = 'no_stream' | 'any' | bigint;

export interface EventToAppend {
  /** UUID; appending an event id that is already in the stream is a no-op (idempotent retry). */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent {
  eventId: string;
  streamId: string;
  /** 0-based revision within its stream. */
  revision: bigint;
  /** Global position: strictly increasing in commit order across all streams. */
  position: bigint;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** When the store committed it. */
  recordedAt: Date;
}

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
  /** Called in position order, one at a time; the next event waits for the returned promise. */
  onEvent: (event: StoredEvent) => Promise<void> | void;
  /** Called once if the subscription dies. */
  onError?: (error: Error) => void;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** A page of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Global position of the newest event, or -1n when the log is empty. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
