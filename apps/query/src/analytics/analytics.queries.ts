import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { UserDoc } from '../auth/viewer';
import { type ConcurrencyPoint, type TermUsageRow, UsageDimension, type UsageReportRow } from '../graphql/types';
import { COLLECTIONS } from '../projections/projection';
import { parseGroupBy, parseInterval, parseWindow } from './analytics.input';
import { ANALYTICS, ceilTo, DAY_MS, dayOf, floorTo, HOUR_MS, type PoolDoc, poolId } from './analytics.keys';
import { DayCache } from './day-cache';
import type { ParsedDay } from './parsed-day';
import { maxSeatsOwned, PeakTimeline, seatsOwnedAt } from './pool-timeline';
import { buildUsageReport, type PoolData } from './usage-report';

export interface UsageReportArgs {
  accountId: string;
  from: string;
  to: string;
  groupBy: readonly string[];
  productId?: string | null;
  userId?: string | null;
  groupId?: string | null;
}

/** The three usage reports, answered from the usage-analytics read models (authorization is the caller's). */
@Injectable()
export class AnalyticsQueries {
  private readonly cache: DayCache;

  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {
    this.cache = new DayCache(store);
  }

  /** Sessions by the UTC hour they started: the window is rounded out to whole UTC hours. */
  async usageReport(args: UsageReportArgs): Promise<UsageReportRow[]> {
    const window = parseWindow(args.from, args.to);
    const groupBy = parseGroupBy(args.groupBy);
    const fromMs = floorTo(window.fromMs, HOUR_MS);
    const toMs = ceilTo(window.toMs, HOUR_MS);
    const pools = (await this.pools(args.accountId)).filter((pool) => !args.productId || pool.productId === args.productId);
    const byDay = !groupBy.includes(UsageDimension.DAY);
    const data = await Promise.all(pools.map((pool) => this.poolData(pool, fromMs, toMs, byDay)));
    const needsGroups = groupBy.includes(UsageDimension.GROUP) || Boolean(args.groupId);
    const groupsOf = needsGroups ? await this.groups(args.accountId) : new Map<string, string[]>();
    return buildUsageReport({ groupBy, fromMs, toMs, userId: args.userId, groupId: args.groupId, groupsOf }, data);
  }

  /** Per interval bucket: the most seats in use (10-minute resolution) and the seats owned at the bucket's last instant. */
  async concurrency(accountId: string, productId: string, from: string, to: string, interval: string): Promise<ConcurrencyPoint[]> {
    const window = parseWindow(from, to);
    const size = parseInterval(interval, window);
    const pool = await this.store.findOne<PoolDoc>(ANALYTICS.pools, { _id: poolId(accountId, productId) });
    const timeline = pool ? await this.timeline(pool, window.fromMs, window.toMs) : undefined;
    const points: ConcurrencyPoint[] = [];
    for (let start = floorTo(window.fromMs, size); start < window.toMs; start += size) {
      const end = Math.min(start + size, window.toMs);
      points.push({ bucketStart: new Date(start).toISOString(), peakInUse: timeline?.max(Math.max(start, window.fromMs), end) ?? 0, seats: seatsOwnedAt(pool ?? undefined, end - 1) });
    }
    return points;
  }

  /** A row per product and UTC day of the window with seats in use; seats = the most owned at any instant of that day (within the window). */
  async termLicenseUsage(accountId: string, from: string, to: string): Promise<TermUsageRow[]> {
    const { fromMs, toMs } = parseWindow(from, to);
    const rows: TermUsageRow[] = [];
    for (const pool of await this.pools(accountId)) {
      const timeline = await this.timeline(pool, fromMs, toMs);
      for (let dayStart = floorTo(fromMs, DAY_MS); dayStart < toMs; dayStart += DAY_MS) {
        const start = Math.max(dayStart, fromMs);
        const end = Math.min(dayStart + DAY_MS, toMs);
        const peakInUse = timeline.max(start, end);
        if (peakInUse === 0) continue;
        const seats = maxSeatsOwned(pool, start, end);
        rows.push({ productId: pool.productId, day: dayOf(dayStart), peakInUse, seats, overage: Math.max(0, peakInUse - seats) });
      }
    }
    return rows.sort((a, b) => (a.day === b.day ? (a.productId < b.productId ? -1 : 1) : a.day < b.day ? -1 : 1));
  }

  private async timeline(pool: PoolDoc, fromMs: number, toMs: number, days?: readonly ParsedDay[]): Promise<PeakTimeline> {
    const [parsed, carry] = await Promise.all([days ?? this.cache.range(pool._id, fromMs, toMs), this.cache.levelBefore(pool._id, fromMs)]);
    return PeakTimeline.of(parsed, carry, fromMs, toMs);
  }

  /** The window's days; with `foldMonths`, whole months inside the window come as rollups. */
  private async poolData(pool: PoolDoc, fromMs: number, toMs: number, foldMonths: boolean): Promise<PoolData> {
    const all = await this.cache.range(pool._id, fromMs, toMs);
    const timeline = await this.timeline(pool, fromMs, toMs, all);
    if (!foldMonths) return { productId: pool.productId, months: [], days: all, timeline };
    const byMonth = new Map<string, ParsedDay[]>();
    for (const day of all) byMonth.set(day.day.slice(0, 7), [...(byMonth.get(day.day.slice(0, 7)) ?? []), day]);
    const months = [];
    const days: ParsedDay[] = [];
    for (const [month, monthDays] of byMonth) {
      const first = Date.parse(`${month}-01T00:00:00.000Z`);
      const next = new Date(first);
      next.setUTCMonth(next.getUTCMonth() + 1);
      if (fromMs <= first && next.getTime() <= toMs) months.push(this.cache.rollup(pool._id, month, monthDays));
      else days.push(...monthDays);
    }
    return { productId: pool.productId, months, days, timeline };
  }

  private pools(accountId: string): Promise<PoolDoc[]> {
    return this.store.find<PoolDoc>(ANALYTICS.pools, { accountId }, { sort: { productId: 1 } });
  }

  private async groups(accountId: string): Promise<Map<string, string[]>> {
    const docs = await this.store.find<UserDoc>(COLLECTIONS.users, { accountId });
    return new Map(docs.map((user) => [user._id, user.groupIds ?? []]));
  }
}
