import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { UserDoc } from '../auth/viewer';
import { type ConcurrencyPoint, type TermUsageRow, UsageDimension, type UsageReportRow } from '../graphql/types';
import { COLLECTIONS } from '../projections/projection';
import { parseGroupBy, parseInterval, parseWindow } from './analytics.input';
import { ANALYTICS, ceilTo, DAY_MS, dayOf, floorTo, HOUR_MS, monthOf, type PoolDoc, poolId } from './analytics.keys';
import { type MonthCells, monthsCells } from './month-cells';
import { maxSeatsOwned, PeakTimeline, seatsOwnedAt } from './pool-timeline';
import { type Cell, type DaySummary, type PoolView, ReportCache } from './report-cache';
import { buildUsageReport, type CellSegment, type PoolData, slicesBelowProduct, slicesByCountryAlone } from './usage-report';

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
  private readonly cache: ReportCache;
  /** Answer slices by COUNTRY alone from the days' country summaries (false: from the hour documents; tests compare the two). */
  countrySummaries = true;
  /** Leave the day peaks unread where the seat levels sampled in whole months settle every row (false: read them; tests compare). */
  peakBounds = true;
  /** Take the peaks of reports of whole days by product from the day summaries (false: from the day peaks; tests compare). */
  daySummaryPeaks = true;

  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {
    this.cache = new ReportCache(store);
  }

  /** Sessions by the UTC hour they started: the window is rounded out to whole UTC hours. */
  async usageReport(args: UsageReportArgs): Promise<UsageReportRow[]> {
    const window = parseWindow(args.from, args.to);
    const request = {
      groupBy: parseGroupBy(args.groupBy),
      fromMs: floorTo(window.fromMs, HOUR_MS),
      toMs: ceilTo(window.toMs, HOUR_MS),
      userId: args.userId,
      groupId: args.groupId,
    };
    const pools = (await this.pools(args.accountId)).filter((pool) => !args.productId || pool.productId === args.productId);
    // Day-resolution peaks are exact per pool, not summed over pools: only where every row is of one product.
    const perPool = request.groupBy.includes(UsageDimension.PRODUCT) || pools.length === 1;
    const data = await Promise.all(pools.map((pool) => this.plan(pool, { ...request, daySummaryPeaks: this.daySummaryPeaks && perPool })));
    const needsGroups = request.groupBy.includes(UsageDimension.GROUP) || Boolean(args.groupId);
    const groupsOf = needsGroups ? await this.groups(args.accountId) : new Map<string, string[]>();
    const timelines = () => Promise.all(pools.map(async (pool) => timelineOf(await this.cache.view(pool._id, ['peaks']), request.fromMs, request.toMs)));
    return buildUsageReport({ ...request, groupsOf }, data, timelines);
  }

  /** Per interval bucket: the most seats in use (10-minute resolution) and the seats owned at the bucket's last instant. */
  async concurrency(accountId: string, productId: string, from: string, to: string, interval: string): Promise<ConcurrencyPoint[]> {
    const window = parseWindow(from, to);
    const size = parseInterval(interval, window);
    const pool = await this.store.findOne<PoolDoc>(ANALYTICS.pools, { _id: poolId(accountId, productId) });
    const timeline = pool ? timelineOf(await this.cache.view(pool._id, ['peaks']), window.fromMs, window.toMs) : undefined;
    const points: ConcurrencyPoint[] = [];
    for (let start = floorTo(window.fromMs, size); start < window.toMs; start += size) {
      const end = Math.min(start + size, window.toMs);
      points.push({
        bucketStart: new Date(start).toISOString(),
        peakInUse: timeline?.max(Math.max(start, window.fromMs), end) ?? 0,
        seats: seatsOwnedAt(pool ?? undefined, end - 1),
      });
    }
    return points;
  }

  /** A row per product and UTC day of the window with seats in use; seats = the most owned at any instant of that day (within the window). */
  async termLicenseUsage(accountId: string, from: string, to: string): Promise<TermUsageRow[]> {
    const { fromMs, toMs } = parseWindow(from, to);
    const rows: TermUsageRow[] = [];
    for (const pool of await this.pools(accountId)) {
      const timeline = timelineOf(await this.cache.view(pool._id, ['peaks']), fromMs, toMs);
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

  /**
   * Cuts the window into what is cheapest to read: whole days of reports that stay
   * at product level from usageDays; for narrower slices, whole months (reports
   * without DAY) from usageMonths; other whole days of slices by COUNTRY alone from
   * the country summaries of usageDays, unless the day has ends without a country;
   * everything else (days cut by the window, narrow slices by DAY) from usageHours.
   * Peaks: where the window is whole days all read from usageDays, and `daySummaryPeaks` (rows of
   * one product each), from the days' own samples; else from usagePeaks.
   */
  private async plan(
    pool: PoolDoc,
    request: {
      groupBy: readonly UsageDimension[];
      fromMs: number;
      toMs: number;
      userId?: string | null;
      groupId?: string | null;
      daySummaryPeaks: boolean;
    },
  ): Promise<PoolData> {
    const { fromMs, toMs } = request;
    const narrow = slicesBelowProduct(request);
    const byDay = request.groupBy.includes(UsageDimension.DAY);
    const byCountry = this.countrySummaries && narrow && slicesByCountryAlone(request);
    const pieces: { kind: 'month' | 'day' | 'country' | 'hours'; day: string; dayStart?: number }[] = [];
    for (let dayStart = floorTo(fromMs, DAY_MS); dayStart < toMs;) {
      const day = dayOf(dayStart);
      const monthEnd = nextMonth(dayStart);
      const whole = fromMs <= dayStart && dayStart + DAY_MS <= toMs;
      if (narrow && !byDay && day.endsWith('-01') && fromMs <= dayStart && monthEnd <= toMs) {
        pieces.push({ kind: 'month', day });
        dayStart = monthEnd;
        continue;
      }
      if (whole && (!narrow || byCountry)) pieces.push({ kind: narrow ? 'country' : 'day', day });
      else pieces.push({ kind: 'hours', day, dayStart: whole ? undefined : dayStart });
      dayStart += DAY_MS;
    }
    // Narrow reports of whole months without DAY may not need the day peaks (usage-report.ts, settledByBounds): read later if they do.
    const peaksLater = this.peakBounds && narrow && !byDay && pieces.some((piece) => piece.kind === 'month');
    // Whole days read from usageDays anyway: their summaries hold the pool's peaks by day.
    const peaksOfDays = request.daySummaryPeaks && pieces.every((piece) => piece.kind === 'day' || piece.kind === 'country');
    const reads = { days: ['day', 'country'], months: ['month'], peaks: [] } as const;
    const parts = (['peaks', 'days', 'months'] as const).filter(
      (part) => (part === 'peaks' && !peaksLater && !peaksOfDays) || pieces.some((piece) => (reads[part] as readonly string[]).includes(piece.kind)),
    );
    let view = await this.cache.view(
      pool._id,
      parts,
      pieces.filter((piece) => piece.kind === 'hours').map((piece) => piece.day),
    );
    // Days with minutes not booked by country are answered from their hours, read now.
    const unbooked = pieces.filter((piece) => piece.kind === 'country' && view.days.get(piece.day)?.countries === null);
    if (unbooked.length > 0) {
      for (const piece of unbooked) piece.kind = 'hours';
      view = await this.cache.view(
        pool._id,
        [],
        pieces.filter((piece) => piece.kind === 'hours').map((piece) => piece.day),
      );
    }
    const days: DaySummary[] = [];
    const countryDays: DaySummary[] = [];
    const cells: CellSegment[] = [];
    const months: MonthCells[] = [];
    let peakAtLeast = 0;
    for (const piece of pieces) {
      if (piece.kind === 'month') {
        const month = view.months.get(monthOf(piece.day));
        if (!month) continue;
        months.push(month);
        peakAtLeast = Math.max(peakAtLeast, month.peakSampled);
      } else if (piece.kind === 'hours') cells.push({ day: piece.day, dayStart: piece.dayStart, cells: flatten(view.hours.get(piece.day)) });
      else {
        const day = view.days.get(piece.day);
        if (day?.hasUsage) (piece.kind === 'day' ? days : countryDays).push(day);
      }
    }
    // The months make rows of no day: one cell per user~machine~country for all of them.
    if (months.length > 0) cells.push({ day: null, cells: summedMonths(view, months) });
    const timeline = peaksOfDays ? dayTimelineOf(view, fromMs, toMs) : peaksLater ? undefined : timelineOf(view, fromMs, toMs);
    return { productId: pool.productId, days, countryDays, cells, timeline, peakAtLeast };
  }

  private pools(accountId: string): Promise<PoolDoc[]> {
    return this.store.find<PoolDoc>(ANALYTICS.pools, { accountId }, { sort: { productId: 1 } });
  }

  private async groups(accountId: string): Promise<Map<string, string[]>> {
    const docs = await this.store.find<UserDoc>(COLLECTIONS.users, { accountId });
    return new Map(docs.map((user) => [user._id, user.groupIds ?? []]));
  }
}

function timelineOf(view: PoolView, fromMs: number, toMs: number): PeakTimeline {
  const { carry, within } = carryAndDays(view.peaks.values(), fromMs, toMs);
  return PeakTimeline.of(within, carry, fromMs, toMs);
}

/** The pool's peaks by day over a window of whole days, from the day summaries (PeakTimeline.ofDays). */
function dayTimelineOf(view: PoolView, fromMs: number, toMs: number): PeakTimeline {
  const { carry, within } = carryAndDays(view.days.values(), fromMs, toMs);
  return PeakTimeline.ofDays(within, carry, fromMs, toMs);
}

/** The level carried into the window (the latest sample of the last day before it that has one) and the days within it. */
function carryAndDays<T extends { day: string; lastLevel: number }>(days: Iterable<T>, fromMs: number, toMs: number): { carry: number; within: T[] } {
  const firstDay = dayOf(floorTo(fromMs, DAY_MS));
  const lastDay = dayOf(toMs - 1);
  let carryDay = '';
  let carry = 0;
  const within: T[] = [];
  for (const day of days) {
    if (day.day < firstDay) {
      if (day.lastLevel >= 0 && day.day > carryDay) [carryDay, carry] = [day.day, day.lastLevel];
    } else if (day.day <= lastDay) {
      within.push(day);
    }
  }
  return { carry, within };
}

/**
 * The cells of the months summed (monthsCells), remembered in the view for the next report on the same
 * months: a warm year's report would otherwise sum 20,000 keys and more and split each distinct one
 * again. Valid while every month is still the view's own (a refresh replaces a changed month's object).
 */
function summedMonths(view: PoolView, months: readonly MonthCells[]): readonly Cell[] {
  const last = view.monthSum;
  if (last && last.months.length === months.length && last.months.every((month, i) => month === months[i])) return last.cells;
  const cells = monthsCells(months);
  view.monthSum = { months, cells };
  return cells;
}

function* flatten<K>(cells: Map<K, Cell[]> | undefined): Generator<Cell> {
  for (const list of cells?.values() ?? []) yield* list;
}

function nextMonth(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
