import { decodeEvent } from '@ses/events';
import type { RecordedEvent, SkipReporter, StoredEvent } from './event-store.port';

/** The typed event of a stored record, or undefined (reported) when it does not decode. Both adapters read through this. */
export function decodeRecord(record: RecordedEvent, onSkipped: SkipReporter): StoredEvent | undefined {
  const decoded = decodeEvent(record.type, record.metadata?.schemaVersion, record.data);
  if (!decoded.ok) {
    onSkipped(record, decoded.problem);
    return undefined;
  }
  const { eventId, streamId, revision, position, metadata, recordedAt } = record;
  return { eventId, streamId, revision, position, metadata, recordedAt, ...decoded.event };
}

export function decodeRecords(records: readonly RecordedEvent[], onSkipped: SkipReporter): StoredEvent[] {
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
  readPage: (cursor: Cursor, maxCount: number) => Promise<RecordedEvent[]> | RecordedEvent[],
  start: Cursor,
  maxCount: number,
  next: (record: RecordedEvent) => Cursor,
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
