import type { EventDataByType } from '@ses/events';
import type { Update, WriteOp } from '@ses/read-store';
import type { ProjectedEvent, Projection } from '../projections/projection';
import { ANALYTICS, bucketField, dayOf, escapeKey, hourOf, MINUTE_MS, monthOf, packLevel, poolId, userMachine, userMachineCountry } from './analytics.keys';

/*
 * USAGE ANALYTICS READ MODELS: a pure projection, no state between events.
 *
 * Why no state is needed: every seat-changing event of a seat pool carries
 * `seatsInUse` (distinct users holding a session or an active check-out right
 * after it, computed by the pool that decided it), and UsageEnded / UsageTimedOut
 * carry their session's `startedAt` and `machineId`. So each event maps to blind,
 * commutative updates ($inc, $max, $addToSet, $setOnInsert): replays, rebuilds and
 * restarts need nothing but the log, and each op touches one document (the store
 * applies one op per document and event).
 *
 * Documents are small and shaped by the reports that read them (the embedded store
 * rewrites a touched document whole at each commit and copies every document a
 * query reads, so size is what costs):
 *
 *  usageDays   (pool, UTC day of start)      n, min, u[]: sessions started, minutes
 *              of those that ended (to endedAt) or timed out (to lastHeartbeatAt),
 *              users who started them. [DAY] / [PRODUCT, DAY] reports.
 *  usageHours  (pool, UTC day and hour of start)  cn.<user~machine~country>,
 *              cm.<user~machine>: the same by user, machine and country; for
 *              windows that cut a day, and narrow slices by DAY.
 *  usageMonths (pool, UTC month of start)  c.<user~machine~country>, m.<user~machine>:
 *              the same for a whole month: narrow slices (USER, MACHINE, COUNTRY,
 *              GROUP) of whole months, a document per month rather than thousands.
 *  usagePeaks  (pool, UTC day of the sample)  b.x<i> / l.x<i> for each 10-minute
 *              bucket i: the most seats in use sampled in it and the latest sample,
 *              packed as revision * 2^21 + level so that $max keeps the latest (the
 *              pool-stream revision orders a pool's events). A sample is taken at
 *              every seat-changing event at the instant the pool decided it
 *              (metadata.occurredAt). A bucket's peak is the higher of the level
 *              carried in (the latest earlier sample) and its samples, so seats held
 *              across midnight or by days-long check-outs count in every bucket, and
 *              a user holding several sessions and a check-out counts once.
 *  usagePools  (pool)  e.<entitlementId> = {seats, startsAt, endsAt, revokedAt}.
 *
 * All but usagePools carry `p`, the position of the latest event that wrote them
 * ($max), so readers re-read only what changed (see report-cache.ts).
 *
 * Limits, by design: sessions are counted by the UTC hour they started (usageReport
 * rounds its window out to whole hours); peaks have 10-minute resolution; denied
 * starts write nothing; older events without seatsInUse / startedAt add no samples /
 * minutes.
 */

type D<T extends keyof EventDataByType> = EventDataByType[T];
type Started = D<'UsageStarted'>;
type Ended = D<'UsageEnded'> & Partial<D<'UsageTimedOut'>>;

export const usageAnalyticsProjection: Projection = {
  name: 'usage-analytics',
  // 2: days, hours, months, peaks and pools documents (1 had one document per pool and day).
  version: 2,
  collections: [ANALYTICS.days, ANALYTICS.hours, ANALYTICS.months, ANALYTICS.peaks, ANALYTICS.pools],
  indexes: [
    { collection: ANALYTICS.days, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.hours, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.months, fields: { pool: 1, month: 1 } },
    { collection: ANALYTICS.peaks, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.pools, fields: { accountId: 1 } },
    // What changed since a report last looked ({ pool, p: { $gt: seen } }, report-cache.ts).
    { collection: ANALYTICS.days, fields: { pool: 1, p: 1 } },
    { collection: ANALYTICS.hours, fields: { pool: 1, p: 1 } },
    { collection: ANALYTICS.months, fields: { pool: 1, p: 1 } },
    { collection: ANALYTICS.peaks, fields: { pool: 1, p: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    const data = event.data as unknown as Started & Ended & { seatsInUse?: number };
    const ops = new Writes(event, poolId(data.accountId, data.productId));
    switch (event.type) {
      case 'UsageStarted':
        started(ops, data);
        break;
      case 'UsageEnded':
      case 'UsageTimedOut':
        ended(ops, data, event.type === 'UsageEnded' ? data.endedAt : data.lastHeartbeatAt);
        break;
      case 'LicenseCheckedOut':
      case 'LicenseCheckedIn':
      case 'CheckoutExpired':
        break;
      case 'EntitlementGranted': {
        const d = event.data as unknown as D<'EntitlementGranted'>;
        const span = { seats: d.seats, startsAt: d.startsAt, endsAt: d.endsAt, revokedAt: null };
        return [poolOp(event, d, { $set: { [`e.${escapeKey(d.entitlementId)}`]: span } })];
      }
      case 'EntitlementRevoked': {
        const d = event.data as unknown as D<'EntitlementRevoked'>;
        const at = typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString();
        return [poolOp(event, d, { $set: { [`e.${escapeKey(d.entitlementId)}.revokedAt`]: at } })];
      }
      default:
        return [];
    }
    ops.sample(data.seatsInUse);
    return ops.toOps();
  },
};

function started(ops: Writes, d: Started): void {
  const at = Date.parse(d.startedAt);
  const day = dayOf(at);
  const hour = hourOf(at);
  const user = escapeKey(d.userId);
  ops.write(ANALYTICS.days, day, { day }, { $inc: { n: 1 }, $addToSet: { u: user } });
  ops.write(ANALYTICS.hours, `${day}|${hour}`, { day, hour }, { $inc: { [`cn.${userMachineCountry(d.userId, d.machineId, d.country)}`]: 1 } });
  ops.write(ANALYTICS.months, monthOf(day), { month: monthOf(day) }, { $inc: { [`c.${userMachineCountry(d.userId, d.machineId, d.country)}`]: 1 } });
}

/** Minutes go to the documents of the session's start (its origin is on the event). */
function ended(ops: Writes, d: Ended, end: string | undefined): void {
  if (!d.startedAt || !d.machineId || !end) return;
  const at = Date.parse(d.startedAt);
  const minutes = Math.max(0, Date.parse(end) - at) / MINUTE_MS;
  const day = dayOf(at);
  const hour = hourOf(at);
  ops.write(ANALYTICS.days, day, { day }, { $inc: { min: minutes } });
  ops.write(ANALYTICS.hours, `${day}|${hour}`, { day, hour }, { $inc: { [`cm.${userMachine(d.userId, d.machineId)}`]: minutes } });
  ops.write(ANALYTICS.months, monthOf(day), { month: monthOf(day) }, { $inc: { [`m.${userMachine(d.userId, d.machineId)}`]: minutes } });
}

function poolOp(event: ProjectedEvent, pool: { accountId: string; productId: string }, update: Update): WriteOp {
  const id = poolId(pool.accountId, pool.productId);
  return {
    kind: 'upsert',
    collection: ANALYTICS.pools,
    id,
    update: { ...update, $setOnInsert: { accountId: pool.accountId, productId: pool.productId } },
    position: event.position,
  };
}

/** One event's writes: one op per document, each stamped with the event position. */
class Writes {
  private readonly ops = new Map<string, WriteOp & { kind: 'upsert' }>();

  constructor(
    private readonly event: ProjectedEvent,
    private readonly pool: string,
  ) {}

  write(collection: string, key: string, fields: Record<string, unknown>, update: Update): void {
    const id = `${this.pool}|${key}`;
    const op = this.ops.get(`${collection}/${id}`);
    if (!op) {
      const stamped = {
        ...update,
        $max: { ...(update.$max as object | undefined), p: Number(this.event.position) },
        $setOnInsert: { pool: this.pool, ...fields },
      };
      this.ops.set(`${collection}/${id}`, { kind: 'upsert', collection, id, update: stamped, position: this.event.position });
      return;
    }
    for (const [operator, spec] of Object.entries(update)) op.update[operator] = { ...(op.update[operator] as object | undefined), ...(spec as object) };
  }

  /** The seat level after the event, in the 10-minute bucket of the instant the pool decided it. */
  sample(level: number | undefined): void {
    if (typeof level !== 'number') return;
    const occurredAt = this.event.metadata.occurredAt;
    const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : this.event.recordedAt.getTime();
    if (Number.isNaN(at)) return;
    const day = dayOf(at);
    const bucket = bucketField(at);
    this.write(ANALYTICS.peaks, day, { day }, { $max: { [`b.${bucket}`]: level, [`l.${bucket}`]: packLevel(Number(this.event.revision), level) } });
  }

  toOps(): WriteOp[] {
    return [...this.ops.values()];
  }
}
