import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvent, SCHEMA_VERSIONS, type EventType, type EventDataByType } from '@ses/events';
import { EmbeddedReadStore } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projection';

/** Builds projected events with increasing positions, and applies projections to a real embedded read store. */
export class ProjectionTestKit {
  private position = 0n;

  private constructor(readonly store: EmbeddedReadStore) {}

  static async open(): Promise<ProjectionTestKit> {
    return new ProjectionTestKit(await EmbeddedReadStore.open(join(mkdtempSync(join(tmpdir(), 'projection-')), 'read.sqlite')));
  }

  /** The event as the event store would deliver it (decoded with the store's decoder, so test data must fit the catalogue). */
  event<T extends EventType>(type: T, data: EventDataByType[T], streamId = 'account-a1', occurredAt = '2026-11-23T10:00:00.000Z'): ProjectedEvent {
    this.position += 1n;
    const decoded = decodeEvent(type, SCHEMA_VERSIONS[type], data);
    if (!decoded.ok) throw new Error(`test event does not decode: ${decoded.problem}`);
    const metadata = { actor: 'tester', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: SCHEMA_VERSIONS[type], occurredAt, hash: 'h' };
    return {
      eventId: `e-${this.position}`,
      streamId,
      revision: this.position - 1n,
      position: this.position,
      recordedAt: new Date(occurredAt),
      metadata,
      ...decoded.event,
    };
  }

  async apply(projection: Projection, ...events: ProjectedEvent[]): Promise<void> {
    const ops = events.flatMap((event) => projection.project(event));
    await this.store.commit('test', events[events.length - 1].position, ops);
  }
}
