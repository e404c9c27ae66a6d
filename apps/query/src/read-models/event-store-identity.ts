import type { EventStore, EventStoreIdentity } from '@ses/event-store';
import type { Doc, ReadStore } from '@ses/read-store';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { LAYOUT_COLLECTION } from './read-model-layout';

/** The record of which event store a generation's checkpoints belong to (next to the projection versions). */
export const SOURCE_CHECKPOINT = 'read-model-source';
const SOURCE_ID = 'eventStore';

interface SourceDoc extends Doc {
  kind: string;
  id: string;
}

export class WrongEventStoreError extends Error {
  constructor(reason: string) {
    super(
      `${reason}. Their checkpoints are positions of another log and mean nothing in this one: the query app will not resume on them. ` +
        'Rebuild them from this event store with `npm run projections:rebuild` (same SES_EVENT_STORE, SES_READ_STORE and SES_DATA_DIR as the apps), ' +
        'or point SES_EVENT_STORE back at the event store they were projected from.',
    );
    this.name = 'WrongEventStoreError';
  }
}

const describe = (identity: { kind: string; id: string }): string => `${identity.kind}:${identity.id}`;

/** Records that this (empty or just rebuilt) generation is projected from `identity`'s log. */
export async function recordEventStore(store: ReadStore, identity: EventStoreIdentity): Promise<void> {
  await store.commit(SOURCE_CHECKPOINT, 0n, [
    { kind: 'upsert', collection: LAYOUT_COLLECTION, id: SOURCE_ID, update: { $set: { kind: identity.kind, id: identity.id } }, position: 0n },
  ]);
}

/**
 * Refuses read models whose checkpoints belong to another event store: another kind (SQLite
 * row ids against EventStoreDB log positions) or another store of the same kind (another
 * data directory, another cluster), or that are ahead of the log (an event store restored
 * from an older backup). Read models from before identities were recorded are adopted when
 * their checkpoint fits in the log.
 */
export async function checkEventStore(store: ReadStore, events: EventStore, generation: string): Promise<void> {
  if (!events.identity) return;
  const identity = await events.identity();
  const recorded = await store.findOne<SourceDoc>(LAYOUT_COLLECTION, { _id: SOURCE_ID });
  if (recorded && (recorded.kind !== identity.kind || recorded.id !== identity.id)) {
    throw new WrongEventStoreError(
      `The read models (generation ${generation}) were projected from event store ${describe(recorded)}, but this app reads event store ${describe(identity)}`,
    );
  }
  const checkpoint = await store.checkpoint(PROJECTION_CHECKPOINT);
  if (checkpoint !== null) {
    const head = await events.headPosition();
    if (checkpoint > head) {
      throw new WrongEventStoreError(
        `The read models (generation ${generation}) are at position ${checkpoint}, beyond the end of event store ${describe(identity)} (position ${head}): ` +
          'they come from another log, or the event store was restored from an older backup',
      );
    }
  }
  if (!recorded) await recordEventStore(store, identity);
}
