import type { EventMetadata } from '@ses/events';
import { parseJsonObject, type MappedRecord } from '../decode-records';

/** One row of the `events` table as read with safeIntegers (INTEGER columns come back as bigint). */
export interface EventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** The row as a record; data or metadata that is not a JSON object (written by another tool) is reported as the record's problem, never thrown. */
export function toRecordedEvent(row: EventRow): MappedRecord {
  const data = parseJsonObject(row.data, 'data');
  const metadata = parseJsonObject(row.metadata, 'metadata');
  const record: MappedRecord = {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: 'value' in data ? data.value : {},
    metadata: ('value' in metadata ? metadata.value : {}) as EventMetadata,
    recordedAt: new Date(row.recorded_at),
  };
  const problem = 'problem' in data ? data.problem : 'problem' in metadata ? metadata.problem : undefined;
  if (problem !== undefined) record.problem = problem;
  return record;
}
