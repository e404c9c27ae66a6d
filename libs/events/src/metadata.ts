/** Metadata stored with every event. `hash` chains the events of one stream (see hash-chain.ts). */
export interface EventMetadata {
  /** The principal's `sub` that caused the event (`system` for timers). */
  actor: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  /** ISO-8601 instant the event was decided at (from the command's clock). */
  occurredAt: string;
  /** SHA-256 hex over the previous event's hash in the stream and this event's canonical encoding. */
  hash: string;
  [extra: string]: unknown;
}

export type UnhashedMetadata = Omit<EventMetadata, 'hash'>;
