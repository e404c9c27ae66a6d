import type { EventDataByType } from '@ses/events';
import type { Update, WriteOp } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projections/projection';
import { ANALYTICS, bucketField, dayDocId, dayOf, escapeKey, hourOf, MINUTE_MS, minutesCell, packLevel, poolId, startCell } from './analytics.keys';

/*
 * USAGE ANALYTICS READ MODELS: a pure projection, no state between events.
 *
 * Why no state is needed: every seat-changing event of a seat pool carries
 * `seatsInUse` (distinct users holding a session or an active check-out right
 * after it, computed by the seat pool that decided it), and UsageEnded /
 * UsageTimedOut carry their session's `startedAt` and `machineId`. So each event
 * maps to blind, commutative updates ($inc, $max, $setOnInsert, $set of its own
 * fields): replays, rebuilds and restarts need nothing but the log.
 *
 * Cost model: the embedded store pays ~0.1-0.2 ms (mingo) per op whatever its
 * size, and a query pays per element it reads. So an event writes ONE document
 * (two when a session ends on another UTC day than it started on):
 *
 * usageDays, one doc per (account, product, UTC day), `_id` account|product|day:
 *  - cn.<hour~user~machine~country>  sessions started (allowed starts only;
 *    UsageDenied writes nothing), counted on the UTC day and hour they started;
 *  - cm.<hour~user~machine>  minutes of sessions that ended (to endedAt) or timed
 *    out (to lastHeartbeatAt), booked on their START day and hour;
 *  - b.x<i> / l.x<i>  for each 10-minute bucket i of the day: the most seats in
 *    use sampled in it ($max) and the latest sample packed as
 *    revision * 2^21 + level ($max keeps the latest: the pool-stream revision
 *    orders a pool's events). A sample is taken at each seat-changing event, at
 *    the instant the pool decided it (metadata.occurredAt).
 *  - p: the position of the latest event that wrote it, so readers fetch only
 *    the documents changed since they last looked.
 *  Queries rebuild a 10-minute timeline: a bucket's peak is the max of the level
 *  carried in (the latest earlier sample) and its own samples, so seats held
 *  across midnight, for hours, or by a days-long check-out count in every
 *  bucket. Overlapping sessions and check-outs of one user count once because
 *  the pool counts distinct users.
 *
 * usagePools, one doc per (account, product): `e.<entitlementId>` =
 * {seats, startsAt, endsAt, revokedAt}; seats owned at t = sum of seats of the
 * entitlements with startsAt <= t < endsAt, not revoked at or before t.
 *
 * Limits, by design: cells have UTC-hour resolution (usageReport rounds its
 * window out to whole hours); peaks have 10-minute resolution at window edges;
 * the country of a session is the one on its UsageStarted (the user's); older
 * events without seatsInUse / startedAt add no samples / minutes.
 */

type D<T extends keyof EventDataByType> = EventDataByType[T];

export const usageAnalyticsProjection: Projection = {
  name: 'usage-analytics',
  collections: [ANALYTICS.days, ANALYTICS.pools],
  indexes: [
    { collection: ANALYTICS.days, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.pools, fields: { accountId: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    const ops = new DayWrites(event);
    const data = event.data;
    switch (event.type) {
      case 'UsageStarted': {
        const d = data as unknown as D<'UsageStarted'>;
        const startedAt = Date.parse(d.startedAt);
        ops.inc(d, startedAt, `cn.${startCell(hourOf(startedAt), d.userId, d.machineId, d.country)}`, 1);
        ops.sample(d, d.startedAt);
        break;
      }
      case 'UsageEnded':
      case 'UsageTimedOut': {
        const d = data as unknown as D<'UsageEnded'> & Partial<D<'UsageTimedOut'>>;
        const end = event.type === 'UsageEnded' ? d.endedAt : d.lastHeartbeatAt;
        if (d.startedAt && d.machineId && end) {
          const startedAt = Date.parse(d.startedAt);
          const minutes = Math.max(0, Date.parse(end) - startedAt) / MINUTE_MS;
          ops.inc(d, startedAt, `cm.${minutesCell(hourOf(startedAt), d.userId, d.machineId)}`, minutes);
        }
        ops.sample(d, (event.type === 'UsageEnded' ? d.endedAt : d.timedOutAt) ?? '');
        break;
      }
      case 'LicenseCheckedOut':
        ops.sample(data as unknown as D<'LicenseCheckedOut'>, (data as unknown as D<'LicenseCheckedOut'>).checkedOutAt);
        break;
      case 'LicenseCheckedIn':
        ops.sample(data as unknown as D<'LicenseCheckedIn'>, (data as unknown as D<'LicenseCheckedIn'>).checkedInAt);
        break;
      case 'CheckoutExpired':
        ops.sample(data as unknown as D<'CheckoutExpired'>, (data as unknown as D<'CheckoutExpired'>).expiredAt);
        break;
      case 'EntitlementGranted': {
        const d = data as unknown as D<'EntitlementGranted'>;
        const span = { seats: d.seats, startsAt: d.startsAt, endsAt: d.endsAt, revokedAt: null };
        return [poolOp(event, d, { $set: { [`e.${escapeKey(d.entitlementId)}`]: span } })];
      }
      case 'EntitlementRevoked': {
        const d = data as unknown as D<'EntitlementRevoked'>;
        const at = typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString();
        return [poolOp(event, d, { $set: { [`e.${escapeKey(d.entitlementId)}.revokedAt`]: at } })];
      }
      default:
        return [];
    }
    return ops.toOps();
  },
};

interface PoolRef {
  accountId: string;
  productId: string;
}

function poolOp(event: ProjectedEvent, pool: PoolRef, update: Update): WriteOp {
  const id = poolId(pool.accountId, pool.productId);
  return { kind: 'upsert', collection: ANALYTICS.pools, id, update: { ...update, $setOnInsert: { accountId: pool.accountId, productId: pool.productId } }, position: event.position };
}

/** Collects one event's changes per day document and emits ONE op per document (the store applies only the first op per doc and position). */
class DayWrites {
  private readonly docs = new Map<string, { inc: Record<string, number>; max: Record<string, number>; insert: Record<string, string> }>();

  constructor(private readonly event: ProjectedEvent) {}

  inc(pool: PoolRef, atMs: number, field: string, by: number): void {
    const doc = this.doc(pool, atMs);
    doc.inc[field] = (doc.inc[field] ?? 0) + by;
  }

  /** A seat level sample, when the event carries one, at the instant the pool decided it. */
  sample(pool: PoolRef & { seatsInUse?: number }, fallbackAt: string): void {
    if (typeof pool.seatsInUse !== 'number') return;
    const occurredAt = this.event.metadata.occurredAt;
    const at = Date.parse(typeof occurredAt === 'string' ? occurredAt : fallbackAt);
    if (Number.isNaN(at)) return;
    const doc = this.doc(pool, at);
    const bucket = bucketField(at);
    doc.max[`b.${bucket}`] = Math.max(doc.max[`b.${bucket}`] ?? 0, pool.seatsInUse);
    doc.max[`l.${bucket}`] = Math.max(doc.max[`l.${bucket}`] ?? 0, packLevel(Number(this.event.revision), pool.seatsInUse));
  }

  toOps(): WriteOp[] {
    return [...this.docs].map(([id, doc]) => {
      const update: Update = { $setOnInsert: doc.insert, $max: { ...doc.max, p: Number(this.event.position) } };
      if (Object.keys(doc.inc).length > 0) update.$inc = doc.inc;
      return { kind: 'upsert', collection: ANALYTICS.days, id, update, position: this.event.position };
    });
  }

  private doc(pool: PoolRef, atMs: number) {
    const day = dayOf(atMs);
    const key = poolId(pool.accountId, pool.productId);
    const id = dayDocId(key, day);
    let doc = this.docs.get(id);
    if (!doc) this.docs.set(id, (doc = { inc: {}, max: {}, insert: { pool: key, accountId: pool.accountId, productId: pool.productId, day } }));
    return doc;
  }
}
