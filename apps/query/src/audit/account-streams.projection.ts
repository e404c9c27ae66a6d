import { accountOfEvent } from '@ses/events';
import type { WriteOp } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projections/projection';

export const ACCOUNT_STREAMS = 'accountStreams';

export interface AccountStreamDoc {
  _id: string;
  accountId: string;
  firstPosition: string;
  [field: string]: unknown;
}

/**
 * The streams of each account (its account stream and its seat-pool streams), so
 * verifyHistory knows which chains to recompute without scanning the log or the
 * history. One write per stream: only a stream's first event (revision 0) is
 * projected, and every stream's first event names its account.
 */
export const accountStreamsProjection: Projection = {
  name: 'accountStreams',
  version: 1,
  collections: [ACCOUNT_STREAMS],
  indexes: [{ collection: ACCOUNT_STREAMS, fields: { accountId: 1 } }],
  project(event: ProjectedEvent): WriteOp[] {
    // Email-reservation streams are shared by accounts over time (accountOfEvent is null): no account's streams.
    const accountId = accountOfEvent(event);
    if (event.revision !== 0n || accountId === null) return [];
    return [
      {
        kind: 'upsert',
        collection: ACCOUNT_STREAMS,
        id: event.streamId,
        position: event.position,
        update: { $set: { accountId, firstPosition: event.position.toString() } },
      },
    ];
  },
};
