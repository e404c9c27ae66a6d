import type { WriteOp } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projections/projection';

export const ACCOUNT_STREAMS = 'accountStreams';

/** Service-internal email-reservation streams are shared by accounts over time: not an account's streams. */
const INTERNAL_TYPES = new Set(['EmailReserved', 'EmailReleased']);

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
    const accountId = (event.data as { accountId?: unknown }).accountId;
    if (event.revision !== 0n || typeof accountId !== 'string' || INTERNAL_TYPES.has(event.type)) return [];
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
