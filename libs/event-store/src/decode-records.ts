import { decodeEvent } from '@ses/events';
import type { RecordedEvent, SkipReporter, StoredEvent } from './event-store.port';

/** A record as an adapter mapped it: `problem` says why its stored bytes are not a JSON event at all (another tool wrote it). */
export type MappedRecord = RecordedEvent & { problem?: string };

/** The typed event of a stored record, or undefined (reported) when it does not decode. Both adapters read through this. */
export function decodeRecord(record: MappedRecord, onSkipped: SkipReporter): StoredEvent | undefined {
  if (record.problem !== undefined) {
    onSkipped(record, record.problem);
    return undefined;
  }
  const decoded = decodeEvent(record.type, record.metadata?.schemaVersion, record.data);
  if (!decoded.ok) {
    onSkipped(record, decoded.problem);
    return undefined;
  }
  const { eventId, streamId, revision, position, metadata, recordedAt } = record;
  return { eventId, streamId, revision, position, metadata, recordedAt, ...decoded.event };
}

export function decodeRecords(records: readonly MappedRecord[], onSkipped: SkipReporter): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const record of records) {
    const event = decodeRecord(record, onSkipped);
    if (event) events.push(event);
  }
  return events;
}

/** Used when the caller gives no reporter: a skipped event is never silent. */
export const warnOnSkip: SkipReporter = (record, problem) => {
  console.warn(
    `event store: skipped event ${record.eventId} (stream ${record.streamId}, revision ${record.revision}, position ${record.position}): ${problem}`,
  );
};

/**
 * Pages through stored records until `maxCount` of them decoded or the records end (a
 * page shorter than asked): a page a reader gets is short only at the end, whatever
 * was skipped in it. `next` is the cursor after a record.
 */
export async function readDecoded<Cursor>(
  readPage: (cursor: Cursor, maxCount: number) => Promise<MappedRecord[]> | MappedRecord[],
  start: Cursor,
  maxCount: number,
  next: (record: MappedRecord) => Cursor,
  onSkipped: SkipReporter,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let cursor = start;
  for (;;) {
    const wanted = maxCount - events.length;
    const records = await readPage(cursor, wanted);
    // A loop, not push(...page): spreading a stream of 200,000 events overflows the call stack.
    for (const event of decodeRecords(records, onSkipped)) events.push(event);
    if (records.length < wanted || events.length >= maxCount) return events;
    cursor = next(records[records.length - 1]!);
  }
}

/** A SkipReporter that warns through the app's logger (pino or anything with the same `warn`). */
export function logSkippedEvents(logger: { warn(details: object, message: string): void }): SkipReporter {
  return (record, problem) =>
    logger.warn(
      {
        eventId: record.eventId,
        streamId: record.streamId,
        revision: record.revision.toString(),
        position: record.position.toString(),
        type: record.type,
        problem,
      },
      'skipped an event that does not decode',
    );
}

/** `text` parsed as a JSON object, or the reason it is not one. */
export function parseJsonObject(text: string, what: string): { value: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `${what} is not JSON` };
  }
  return isJsonObject(value) ? { value } : { problem: `${what} is not a JSON object` };
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
