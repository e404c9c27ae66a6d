import { ANY, NO_STREAM, START, type AppendExpectedRevision, type ReadPosition, type RecordedEvent } from '@eventstore/db-client';
import type { EventMetadata } from '@ses/events';
import type { ExpectedRevision, RecordedEvent as StoredRecord } from '../event-store.port';

/*
 * Positions. The port needs one strictly increasing, unique bigint per event.
 * We expose the event's *prepare* position (its record's own log position).
 * Since gRPC appends every record of a multi-event append is written as an
 * implicitly committed prepare, and the server's $all reader reports each one
 * with commit == prepare == its own log position, so {commit: p, prepare: p}
 * rebuilds the exact $all position. Commit positions were shared by the events
 * of one explicit (legacy TCP) transaction; prepare positions never are, which
 * is why the prepare half is the one we keep.
 * $all reads are inclusive of their start position and catch-up subscriptions
 * exclusive, so both filter `prepare > after` themselves.
 */
export function toReadPosition(after: bigint | undefined): ReadPosition {
  return after === undefined || after < 0n ? START : { commit: after, prepare: after };
}

/** Stream reads carry this in place of a position when the server has none for an event. */
const NO_POSITION = 2n ** 63n;

export function knownPrepare(event: RecordedEvent): bigint | undefined {
  const prepare = event.position?.prepare;
  return prepare !== undefined && prepare >= 0n && prepare < NO_POSITION ? prepare : undefined;
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return expected;
}

/** System events ($-prefixed types or streams) are the server's, never ours. */
export function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function sameEventId(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

/** The event as stored (not decoded yet). */
export function toStoredRecord(event: RecordedEvent, position: bigint): StoredRecord {
  return {
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: decodeJson(event.data) as Record<string, unknown>,
    metadata: decodeJson(event.metadata) as EventMetadata,
    recordedAt: event.created,
  };
}

function decodeJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8'));
  return value ?? {};
}
