import type { WriteOp } from '@ses/read-store';
import { COLLECTIONS as C, positionKey, type ProjectedEvent, type Projection } from './projection';

// Email-reservation streams are service-internal and shared by accounts over time
// (an email released by one account may be reserved by another): not account history.
const INTERNAL_TYPES = new Set(['EmailReserved', 'EmailReleased']);

/** Every event that concerns an account, keyed by global position: eventHistory and audits read it. */
export const historyProjection: Projection = {
  name: 'history',
  version: 1,
  collections: [C.history],
  indexes: [{ collection: C.history, fields: { accountId: 1 } }],
  project(event: ProjectedEvent): WriteOp[] {
    const accountId = (event.data as { accountId?: unknown }).accountId;
    if (typeof accountId !== 'string' || INTERNAL_TYPES.has(event.type)) return [];
    return [
      {
        kind: 'upsert',
        collection: C.history,
        id: positionKey(event.position),
        position: event.position,
        update: {
          $set: {
            accountId,
            position: event.position.toString(),
            streamId: event.streamId,
            revision: Number(event.revision),
            type: event.type,
            occurredAt: event.metadata.occurredAt ?? event.recordedAt.toISOString(),
            data: event.data,
            metadata: event.metadata,
          },
        },
      },
    ];
  },
};
