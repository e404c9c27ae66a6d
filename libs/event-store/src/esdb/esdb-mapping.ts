import { ANY, NO_STREAM, START, type AppendExpectedRevision, type ReadPosition, type RecordedEvent } from '@eventstore/db-client';
import type { EventMetadata } from '@ses/events';
import { isJsonObject, parseJsonObject, type MappedRecord } from '../decode-records';
import type { ExpectedRevision } from '../event-store.port';

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

/**
 * The event as stored (not decoded yet). The client parses JSON content itself and hands
 * over what it could not parse as it was: a string (malformed JSON), bytes (content that is
 * not JSON), or a JSON value that is not an object. None of that throws here: such a
 * record carries a `problem` and every read skips and reports it (another tool may write
 * to the same cluster).
 */
export function toStoredRecord(event: RecordedEvent, position: bigint): MappedRecord {
  const data = asObject(event.data, 'data', false);
  const metadata = asObject(event.metadata, 'metadata', true);
  const record: MappedRecord = {
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: 'value' in data ? data.value : {},
    metadata: ('value' in metadata ? metadata.value : {}) as EventMetadata,
    recordedAt: event.created,
  };
  const problem = 'problem' in data ? data.problem : 'problem' in metadata ? metadata.problem : undefined;
  if (problem !== undefined) record.problem = problem;
  return record;
}

function asObject(value: unknown, what: string, optional: boolean): { value: Record<string, unknown> } | { problem: string } {
  if (value === undefined || value === null) return optional ? { value: {} } : { problem: `${what} is empty` };
  if (value instanceof Uint8Array) return parseJsonObject(Buffer.from(value).toString('utf8'), what);
  if (typeof value === 'string') return parseJsonObject(value, what);
  return isJsonObject(value) ? { value } : { problem: `${what} is not a JSON object` };
}

/** Only the service's own streams: server events ($) and other tools' streams are not ours. */
export function isOwnStream(streamId: string, prefixes: readonly string[] | undefined): boolean {
  return prefixes === undefined || prefixes.some((prefix) => streamId.startsWith(prefix));
}
