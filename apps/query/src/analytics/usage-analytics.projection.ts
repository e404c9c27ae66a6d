import type { EventDataByType } from '@ses/events';
import type { Update, WriteOp } from '@ses/read-store';
import { unhandled, type ProjectedEvent, type Projection } from '../projections/projection';
import {
  ANALYTICS,
  bucketOf,
  slotKey,
  BUCKETS_PER_DAY,
  countryField,
  dayOf,
  escapeKey,
  hourOf,
  MINUTE_MS,
  monthOf,
  packLevel,
  poolId,
  userMachine,
  userMachineCountry,
} from './analytics.keys';

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
 *  usageDays   (pool, UTC day of start)      sessions, minutes: sessions started,
 *              minutes of those that ended (to endedAt) or timed out (to
 *              lastHeartbeatAt); byCountry.c<country> = {sessions, minutes, users[]}:
 *              the same by the session's country, with the users who started them
 *              (the day's users are the union). [DAY] / [PRODUCT, DAY] reports, and
 *              slices by COUNTRY alone (with PRODUCT, DAY) of whole days. Minutes are
 *              booked by country from the end event's own country; ends recorded
 *              before events carried it count in `endsWithoutCountry`, and such a day
 *              is answered by country from its hour documents. peakSampled and
 *              latestSampled ($max): the most seats in use sampled in the day and the
 *              latest sample (packed as in usagePeaks), by the instant of the sample:
 *              reports of whole days by product take their peaks from these and the
 *              level carried in, and read no peaks document. A day with samples and no
 *              session started has a document with these alone.
 *  usageHours  (pool, UTC day and hour of start)
 *              starts: [user~machine~country, ...], one entry per session started
 *              ($push), and ends: [[user~machine, minutes], ...], one per session
 *              ended or timed out: the same by user, machine and country; for
 *              windows that cut a day, and narrow slices by DAY. Arrays, not maps
 *              keyed by user~machine~country: an hour holds about one entry per
 *              session anyway, and V8 decodes arrays of strings 6 to 8 times faster
 *              than objects with as many distinct keys (a cold year of narrow
 *              reports by DAY decodes a million of them).
 *  usageMonths (pool, UTC month of start)  the same two maps for a whole month:
 *              sessionsByUserMachineCountry.<user~machine~country> and
 *              minutesByUserMachine.<user~machine> ($inc): narrow slices (USER,
 *              MACHINE, COUNTRY, GROUP) of whole months, a document per month
 *              rather than thousands. peakSampled ($max): the most seats in use
 *              sampled in the month (by the instant of the sample, as usagePeaks): a
 *              report of whole months whose rows it settles reads no day of peaks.
 *  usagePeaks  (pool, UTC day of the sample)  peakBySlot.<slot> / latestLevelBySlot.<slot>
 *              for each 10-minute bucket of the day (slotKey, 0 to 143): the most seats in use sampled in it and
 *              the latest sample, packed as revision * 2^21 + level so that $max keeps the latest (the
 *              pool-stream revision orders a pool's events). A sample is taken at
 *              every seat-changing event at the instant the pool decided it
 *              (metadata.occurredAt). A bucket's peak is the higher of the level
 *              carried in (the latest earlier sample) and its samples, so seats held
 *              across midnight or by days-long check-outs count in every bucket, and
 *              a user holding several sessions and a check-out counts once.
 *  usagePools  (pool)  entitlements.<entitlementId> = {seats, startsAt, endsAt, revokedAt}.
 *
 * All but usagePools carry `lastPosition`, the position of the latest event that wrote them
 * ($max), so readers re-read only what changed (see report-cache.ts).
 *
 * Limits, by design: sessions are counted by the UTC hour they started (usageReport
 * rounds its window out to whole hours); peaks have 10-minute resolution; denied
 * starts write nothing; older events without seatsInUse / startedAt add no samples /
 * minutes.
 */

type D<T extends keyof EventDataByType> = EventDataByType[T];
type Started = D<'UsageStarted'>;
type Ended = D<'UsageEnded'> | D<'UsageTimedOut'>;

export const usageAnalyticsProjection: Projection = {
  name: 'usage-analytics',
  // 2: days, hours, months, peaks and pools documents (1 had one document per pool and day).
  // 3: fields named for what they hold (sessions, minutes, users, ...ByUserMachine..., peakByBucket, entitlements, lastPosition).
  // 4: usageHours hold arrays of starts and ends instead of maps keyed by user~machine~country; peaks nested by hour.
  // 5: usageDays hold byCountry summaries (UsageEnded / UsageTimedOut carry the session's country) instead of users[].
  // 6: usageMonths hold the most seats sampled in them (peakSampled).
  // 7: usageDays hold the most seats sampled in the day and the latest sample (peakSampled, latestSampled).
  // 8: usagePeaks keyed by the bucket's slot of the day (peakBySlot.<0..143>) instead of peakByBucket.h<hour>.b<j>.
  version: 8,
  collections: [ANALYTICS.days, ANALYTICS.hours, ANALYTICS.months, ANALYTICS.peaks, ANALYTICS.pools],
  indexes: [
    { collection: ANALYTICS.days, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.hours, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.months, fields: { pool: 1, month: 1 } },
    { collection: ANALYTICS.peaks, fields: { pool: 1, day: 1 } },
    { collection: ANALYTICS.pools, fields: { accountId: 1 } },
    // What changed since a report last looked ({ pool, lastPosition: { $gt: seen } }, report-cache.ts).
    { collection: ANALYTICS.days, fields: { pool: 1, lastPosition: 1 } },
    { collection: ANALYTICS.hours, fields: { pool: 1, lastPosition: 1 } },
    { collection: ANALYTICS.months, fields: { pool: 1, lastPosition: 1 } },
    { collection: ANALYTICS.peaks, fields: { pool: 1, lastPosition: 1 } },
  ],
  project(event: ProjectedEvent): WriteOp[] {
    switch (event.type) {
      case 'UsageStarted':
        return seatChange(event, event.data.seatsInUse, (ops) => started(ops, event.data));
      case 'UsageEnded':
        return seatChange(event, event.data.seatsInUse, (ops) => ended(ops, event.data, event.data.endedAt));
      case 'UsageTimedOut':
        return seatChange(event, event.data.seatsInUse, (ops) => ended(ops, event.data, event.data.lastHeartbeatAt));
      case 'LicenseCheckedOut':
      case 'LicenseCheckedIn':
      case 'CheckoutExpired':
        return seatChange(event, event.data.seatsInUse, () => undefined);
      case 'EntitlementGranted': {
        const d = event.data;
        const span = { seats: d.seats, startsAt: d.startsAt, endsAt: d.endsAt, revokedAt: null };
        return [poolOp(event, d, { $set: { [`entitlements.${escapeKey(d.entitlementId)}`]: span } })];
      }
      case 'EntitlementRevoked': {
        const d = event.data;
        const at = typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString();
        return [poolOp(event, d, { $set: { [`entitlements.${escapeKey(d.entitlementId)}.revokedAt`]: at } })];
      }
      case 'AccountOpened':
      case 'UserRegistered':
      case 'UserDeactivated':
      case 'RoleGranted':
      case 'RoleRevoked':
      case 'GroupCreated':
      case 'GroupProductsSet':
      case 'GroupMemberAdded':
      case 'GroupMemberRemoved':
      case 'AlertRuleSet':
      case 'AlertRuleRemoved':
      case 'AlertRaised':
      case 'UsageDenied':
      case 'UsageHeartbeat':
      case 'EmailReserved':
      case 'EmailReleased':
      case 'AccountDomainsSet':
      case 'RegistrationRequested':
      case 'RegistrationApproved':
      case 'RegistrationRejected':
      case 'DomainClaimed':
      case 'DomainReleased':
      case 'WebhookSet':
      case 'WebhookRemoved':
        return [];
      default:
        return unhandled(event);
    }
  },
};

/** A seat-changing event of a pool: its own writes, then the seat level it leaves, sampled. */
function seatChange(
  event: ProjectedEvent & { data: { accountId: string; productId: string } },
  level: number | undefined,
  write: (ops: Writes) => void,
): WriteOp[] {
  const ops = new Writes(event, poolId(event.data.accountId, event.data.productId));
  write(ops);
  ops.sample(level);
  return ops.toOps();
}

function started(ops: Writes, d: Started): void {
  const at = Date.parse(d.startedAt);
  const day = dayOf(at);
  const hour = hourOf(at);
  const user = escapeKey(d.userId);
  const country = countryPaths(d.country);
  ops.write(ANALYTICS.days, day, { day }, { $inc: { sessions: 1, [country.sessions]: 1 }, $addToSet: { [country.users]: user } });
  const cell = userMachineCountry(d.userId, d.machineId, d.country);
  ops.write(ANALYTICS.hours, `${day}|${hour}`, { day, hour }, { $push: { starts: cell } });
  const month = monthOf(day);
  ops.write(ANALYTICS.months, month, { month }, { $inc: { [`sessionsByUserMachineCountry.${cell}`]: 1 } });
}

/** Minutes go to the documents of the session's start (its origin is on the event). */
function ended(ops: Writes, d: Ended, end: string | undefined): void {
  if (!d.startedAt || !d.machineId || !end) return;
  const at = Date.parse(d.startedAt);
  const minutes = Math.max(0, Date.parse(end) - at) / MINUTE_MS;
  const day = dayOf(at);
  const hour = hourOf(at);
  // An end without its country (recorded before ends carried it) leaves the day's minutes unbooked by country.
  const byCountry = typeof d.country === 'string' ? { [countryPaths(d.country).minutes]: minutes } : { endsWithoutCountry: 1 };
  ops.write(ANALYTICS.days, day, { day }, { $inc: { minutes, ...byCountry } });
  const cell = userMachine(d.userId, d.machineId);
  ops.write(ANALYTICS.hours, `${day}|${hour}`, { day, hour }, { $push: { ends: [cell, minutes] } });
  const month = monthOf(day);
  ops.write(ANALYTICS.months, month, { month }, { $inc: { [`minutesByUserMachine.${cell}`]: minutes } });
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

/*
 * Update paths made once, not for every event: strings built per write were a good part of the
 * projection's garbage, and the store looks each path up in its parsed-path cache, which hashes
 * a fresh string again every time.
 */

/** `peakBySlot.<slot>` and `latestLevelBySlot.<slot>` of each 10-minute bucket of a day. */
const BUCKET_PATHS = Array.from({ length: BUCKETS_PER_DAY }, (_, slot) => ({
  peak: `peakBySlot.${slotKey(slot)}`,
  latest: `latestLevelBySlot.${slotKey(slot)}`,
}));

/** Paths of a country's summary in a day document, by country (bounded: countries are few, but they come from events). */
const countryPathsMemo = new Map<string, { sessions: string; users: string; minutes: string }>();

function countryPaths(country: string): { sessions: string; users: string; minutes: string } {
  let paths = countryPathsMemo.get(country);
  if (!paths) {
    const field = countryField(country);
    paths = { sessions: `${field}.sessions`, users: `${field}.users`, minutes: `${field}.minutes` };
    if (countryPathsMemo.size >= 1_000) countryPathsMemo.clear();
    countryPathsMemo.set(country, paths);
  }
  return paths;
}

/** One event's writes: one op per document, each stamped with the event position. */
class Writes {
  /** An event writes a handful of documents: a list searched in order costs less than a Map and its keys. */
  private readonly ops: (WriteOp & { kind: 'upsert' })[] = [];
  private readonly keys: string[] = [];
  private readonly positionNumber: number;

  constructor(
    private readonly event: ProjectedEvent,
    private readonly pool: string,
  ) {
    this.positionNumber = Number(event.position);
  }

  /** `fields` and `update` must be fresh objects: they become parts of the op. */
  write(collection: string, key: string, fields: Record<string, unknown>, update: Update): void {
    let op: (WriteOp & { kind: 'upsert' }) | undefined;
    for (let i = 0; i < this.ops.length; i++) {
      if (this.keys[i] === key && this.ops[i].collection === collection) {
        op = this.ops[i];
        break;
      }
    }
    if (!op) {
      // Built in place rather than spread: this runs several times for every event projected.
      const max = (update.$max as Record<string, unknown> | undefined) ?? {};
      max.lastPosition = this.positionNumber;
      update.$max = max;
      fields.pool = this.pool;
      update.$setOnInsert = fields;
      this.ops.push({ kind: 'upsert', collection, id: `${this.pool}|${key}`, update, position: this.event.position });
      this.keys.push(key);
      return;
    }
    // Merged in place: the op's operator objects are this event's own (see above).
    for (const operator in update) {
      const existing = op.update[operator] as Record<string, unknown> | undefined;
      if (existing) Object.assign(existing, update[operator]);
      else op.update[operator] = update[operator];
    }
  }

  /** The seat level after the event, in the 10-minute bucket of the instant the pool decided it. */
  sample(level: number | undefined): void {
    if (typeof level !== 'number') return;
    const occurredAt = this.event.metadata.occurredAt;
    const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : this.event.recordedAt.getTime();
    if (Number.isNaN(at)) return;
    const day = dayOf(at);
    const bucket = BUCKET_PATHS[bucketOf(at)];
    const packed = packLevel(Number(this.event.revision), level);
    this.write(ANALYTICS.peaks, day, { day }, { $max: { [bucket.peak]: level, [bucket.latest]: packed } });
    // The day's most and latest, so that a report of whole days by product needs no day of peaks (analytics.queries.ts).
    this.write(ANALYTICS.days, day, { day }, { $max: { peakSampled: level, latestSampled: packed } });
    // The month's most, so that a report of whole months needs no day of peaks when it settles every row (usage-report.ts).
    const month = monthOf(day);
    this.write(ANALYTICS.months, month, { month }, { $max: { peakSampled: level } });
  }

  toOps(): WriteOp[] {
    return this.ops;
  }
}
