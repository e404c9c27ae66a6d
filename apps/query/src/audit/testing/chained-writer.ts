import { randomUUID } from 'node:crypto';
import { chainHash, SCHEMA_VERSIONS, type EventMetadata, type EventType } from '@ses/events';
import type { EventStore } from '@ses/event-store';

/**
 * Appends events to a real event store with metadata built the way the command
 * app's aggregate store builds it (hash chained over the previous event of the
 * stream), optionally at an older schema version with data stored as it was then.
 */
export class ChainedWriter {
  private readonly last = new Map<string, { revision: bigint; hash: string }>();

  constructor(private readonly store: EventStore) {}

  async append(streamId: string, occurredAt: string, type: EventType, data: Record<string, unknown>, schemaVersion = SCHEMA_VERSIONS[type]): Promise<bigint> {
    const previous = this.last.get(streamId);
    const base = { actor: 'sub-tester', commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), schemaVersion, occurredAt };
    const hash = chainHash(previous?.hash ?? '', type, data, base);
    const metadata: EventMetadata = { ...base, hash };
    const result = await this.store.appendToStream(streamId, [{ eventId: randomUUID(), type, data, metadata }], previous ? previous.revision : 'no_stream');
    this.last.set(streamId, { revision: result.nextExpectedRevision, hash });
    return result.position;
  }
}
