import { accountOfEvent } from '@ses/events';
import type { WriteOp } from '@ses/read-store';
import { COLLECTIONS as C, positionKey, type ProjectedEvent, type Projection } from './projection';

/** Every event that concerns an account, keyed by global position: eventHistory and audits read it. */
export const historyProjection: Projection = {
  name: 'history',
  version: 1,
  collections: [C.history],
  indexes: [{ collection: C.history, fields: { accountId: 1 } }],
  project(event: ProjectedEvent): WriteOp[] {
    // Email reservations concern no account (accountOfEvent): they are not account history.
    const accountId = accountOfEvent(event);
    if (accountId === null) return [];
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
