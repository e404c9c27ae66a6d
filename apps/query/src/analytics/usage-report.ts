import { UsageDimension, type UsageReportRow } from '../graphql/types';
import { DAY_MS, escapeKey, HOUR_MS, unescapeKey } from './analytics.keys';
import { DistinctUsers, UserTally } from './distinct-users';
import { PeakTimeline } from './pool-timeline';
import type { Cell, DaySummary } from './report-cache';

export interface ReportRequest {
  groupBy: readonly UsageDimension[];
  /** Hour-aligned window. */
  fromMs: number;
  toMs: number;
  userId?: string | null;
  groupId?: string | null;
  /** Group ids of the account's users, by user id (needed for GROUP and groupId). */
  groupsOf: ReadonlyMap<string, readonly string[]>;
}

/** Cells of sessions started on `day` (or in a whole month: day null); with `dayStart`, only those started in the window. */
export interface CellSegment {
  day: string | null;
  dayStart?: number;
  cells: Iterable<Cell>;
}

/** One pool's data for the window, cut by the planner (analytics.queries.ts) into whole days and cells. */
export interface PoolData {
  productId: string;
  /** Whole days of a report that does not slice below the product. */
  days: readonly DaySummary[];
  /** Whole days of a report that slices by COUNTRY alone, each with its countries (not null). */
  countryDays: readonly DaySummary[];
  cells: readonly CellSegment[];
  /** The pool's seat peaks over the window; absent when the planner left them unread (peakAtLeast may settle every row). */
  timeline?: PeakTimeline;
  /** A seat level sampled within the window (the most of the whole months read, 0 if none): the pool's peak is at least this. */
  peakAtLeast: number;
}

interface Row {
  productId: string | null;
  userId: string | null;
  groupId: string | null;
  country: string | null;
  machineId: string | null;
  day: string | null;
  sessions: number;
  minutes: number;
  users: DistinctUsers;
  /** Distinct (product, user) pairs: at most this many seats can be in use within the slice. */
  seats: Set<string>;
}

const SUB_POOL = new Set<UsageDimension>([UsageDimension.USER, UsageDimension.GROUP, UsageDimension.COUNTRY, UsageDimension.MACHINE]);

/** Does the report slice below the product (so it needs users, machines and countries, not day totals)? */
export const slicesBelowProduct = (request: Pick<ReportRequest, 'groupBy' | 'userId' | 'groupId'>): boolean =>
  request.groupBy.some((dim) => SUB_POOL.has(dim)) || Boolean(request.userId) || Boolean(request.groupId);

const COUNTRY_ALONE = new Set<UsageDimension>([UsageDimension.PRODUCT, UsageDimension.COUNTRY, UsageDimension.DAY]);

/** Does the report slice below the product by COUNTRY only (no USER, GROUP, MACHINE, userId or groupId), so that day summaries by country answer it? */
export const slicesByCountryAlone = (request: Pick<ReportRequest, 'groupBy' | 'userId' | 'groupId'>): boolean =>
  request.groupBy.every((dim) => COUNTRY_ALONE.has(dim)) && !request.userId && !request.groupId;

/**
 * Rows of the sessions started in the window. peakConcurrent: the exact 10-minute
 * pool peak for a product; the products' bucket peaks added up for a row spanning
 * several; for a row narrower than a product (USER, GROUP, COUNTRY, MACHINE, or a
 * userId/groupId filter) at most its distinct (product, user) pairs: exact for one
 * user, an upper bound otherwise. `timelines` (the pools' peaks, in order) is called
 * only where a pool's timeline is absent and the pools' peakAtLeast do not settle every row.
 */
export async function buildUsageReport(
  request: ReportRequest,
  pools: readonly PoolData[],
  timelines: () => Promise<readonly PeakTimeline[]>,
): Promise<UsageReportRow[]> {
  const report = new ReportBuilder(request);
  for (const pool of pools) {
    for (const day of pool.days) report.addDay(pool.productId, day);
    for (const day of pool.countryDays) report.addCountryDay(pool.productId, day);
    for (const segment of pool.cells) report.addCells(pool.productId, segment);
  }
  if (report.settledByBounds(pools)) return report.rows(pools, null);
  const known = pools.map((pool) => pool.timeline);
  return report.rows(pools, known.every((timeline) => timeline !== undefined) ? (known as PeakTimeline[]) : await timelines());
}

class ReportBuilder {
  private readonly has: ReadonlySet<UsageDimension>;
  private readonly narrow: boolean;
  private readonly userKey: string | null;
  private readonly rowsByKey = new Map<string, Row>();
  private readonly groupsByKey = new Map<string, readonly string[]>();
  private readonly tally = new UserTally();

  constructor(private readonly request: ReportRequest) {
    this.has = new Set(request.groupBy);
    this.narrow = slicesBelowProduct(request);
    this.userKey = request.userId ? escapeKey(request.userId) : null;
    for (const [userId, groups] of request.groupsOf) this.groupsByKey.set(escapeKey(userId), groups);
  }

  /** A whole day, for a report that does not slice below the product. */
  addDay(productId: string, day: DaySummary): void {
    const row = this.row(productId, day.day, '', '', '', null);
    row.sessions += day.sessions;
    row.minutes += day.minutes;
    for (const users of day.userLists) row.users.addDistinct(users);
  }

  /** A whole day by country, for a report that slices by COUNTRY alone: the same rows as its cells would make. */
  addCountryDay(productId: string, day: DaySummary): void {
    for (const [country, summary] of day.countries ?? []) {
      const row = this.row(productId, day.day, '', '', country, null);
      row.sessions += summary.sessions;
      row.minutes += summary.minutes;
      row.users.addDistinct(summary.users);
      if (!this.has.has(UsageDimension.PRODUCT)) for (const user of summary.users) row.seats.add(`${productId}\u0000${user}`);
    }
  }

  addCells(productId: string, segment: CellSegment): void {
    const { fromMs, toMs } = this.request;
    // Product and day are the segment's: rows are looked up by the cell's own dimensions only.
    const rows = new Map<string, Row>();
    for (const cell of segment.cells) {
      const start = segment.dayStart === undefined ? undefined : segment.dayStart + cell.hour * HOUR_MS;
      if (start !== undefined && (start < fromMs || start >= toMs)) continue;
      if (this.userKey !== null && cell.user !== this.userKey) continue;
      if (this.has.has(UsageDimension.GROUP) || this.request.groupId) {
        this.addGrouped(productId, segment.day, cell);
        continue;
      }
      const key = this.cellKey(cell);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = this.row(productId, segment.day, cell.user, cell.machine, cell.country, null)));
      this.count(row, productId, cell);
    }
  }

  /**
   * Whether every row's peak is its cap (distinct users, or (product, user) pairs) without the
   * pools' timelines: a narrow row without DAY reports the lower of the peak over the window and
   * its cap, and the peak is at least what the whole months read sampled (of its
   * product, or of any product for a row spanning them: their bucket peaks add up).
   */
  settledByBounds(pools: readonly PoolData[]): boolean {
    if (!this.narrow) return false;
    const bounds = new Map(pools.map((pool) => [pool.productId, pool.peakAtLeast]));
    const anyBound = pools.reduce((most, pool) => Math.max(most, pool.peakAtLeast), 0);
    for (const row of this.rowsByKey.values()) {
      if (row.day !== null) return false;
      if (this.capOf(row) > (row.productId !== null ? (bounds.get(row.productId) ?? 0) : anyBound)) return false;
    }
    return true;
  }

  /** The rows; `timelines`: the pools' peaks (in order), null when settledByBounds. */
  rows(pools: readonly PoolData[], timelines: readonly PeakTimeline[] | null): UsageReportRow[] {
    const { fromMs, toMs } = this.request;
    const byProduct = new Map(pools.map((pool, i) => [pool.productId, timelines?.[i]]));
    // Summed only for rows spanning products (day-resolution timelines, ofDays, come only where none does).
    let all: PeakTimeline | undefined;
    const sum = () => (all ??= PeakTimeline.sum(timelines ?? [], fromMs, toMs));
    const peaks = new Map<string, number>();
    const peakOf = (row: Row): number => {
      if (!timelines) return this.capOf(row);
      const key = `${row.productId ?? ''}|${row.day ?? ''}`;
      let peak = peaks.get(key);
      if (peak === undefined) {
        const timeline = row.productId !== null ? byProduct.get(row.productId) : sum();
        const dayStart = row.day !== null ? Date.parse(`${row.day}T00:00:00.000Z`) : NaN;
        peak = timeline?.max(row.day !== null ? Math.max(fromMs, dayStart) : fromMs, row.day !== null ? Math.min(toMs, dayStart + DAY_MS) : toMs) ?? 0;
        peaks.set(key, peak);
      }
      return this.narrow ? Math.min(peak, this.capOf(row)) : peak;
    };
    return [...this.rowsByKey.values()]
      .map((row) => ({
        productId: row.productId,
        userId: row.userId,
        groupId: row.groupId,
        country: row.country,
        machineId: row.machineId,
        day: row.day,
        sessions: row.sessions,
        usageMinutes: Math.round(row.minutes * 1e6) / 1e6,
        distinctUsers: row.users.size,
        peakConcurrent: peakOf(row),
      }))
      .sort(compareRows);
  }

  /** The most seats a narrow row can hold: its users (one product), or its distinct (product, user) pairs. */
  private capOf(row: Row): number {
    return this.has.has(UsageDimension.PRODUCT) ? row.users.size : row.seats.size;
  }

  /** The cell's part of its row key: the user, country and machine dimensions the report has. */
  private cellKey(cell: Cell): string {
    let key = '';
    if (this.has.has(UsageDimension.USER)) key += `${cell.user}\u0001`;
    if (this.has.has(UsageDimension.COUNTRY)) key += `${cell.country}\u0001`;
    if (this.has.has(UsageDimension.MACHINE)) key += cell.machine;
    return key;
  }

  private addGrouped(productId: string, day: string | null, cell: Cell): void {
    const groups = this.groupsByKey.get(cell.user) ?? [];
    if (this.request.groupId && !groups.includes(this.request.groupId)) return;
    if (!this.has.has(UsageDimension.GROUP)) return this.count(this.row(productId, day, cell.user, cell.machine, cell.country, null), productId, cell);
    // Group membership as it is now; a user in no group has no GROUP row.
    for (const groupId of groups) {
      if (!this.request.groupId || groupId === this.request.groupId)
        this.count(this.row(productId, day, cell.user, cell.machine, cell.country, groupId), productId, cell);
    }
  }

  private count(row: Row, productId: string, cell: Cell): void {
    row.sessions += cell.sessions;
    row.minutes += cell.minutes;
    row.users.add(cell.user);
    // A row of one product holds at most one seat per user: its users are its seats.
    if (!this.has.has(UsageDimension.PRODUCT)) row.seats.add(`${productId}\u0000${cell.user}`);
  }

  private row(productId: string, day: string | null, user: string, machine: string, country: string, groupId: string | null): Row {
    const has = this.has;
    const key = [
      has.has(UsageDimension.PRODUCT) ? productId : '',
      has.has(UsageDimension.USER) ? user : '',
      has.has(UsageDimension.GROUP) ? (groupId ?? '') : '',
      has.has(UsageDimension.COUNTRY) ? country : '',
      has.has(UsageDimension.MACHINE) ? machine : '',
      has.has(UsageDimension.DAY) ? (day ?? '') : '',
    ].join('\u0001');
    let row = this.rowsByKey.get(key);
    if (!row) {
      row = {
        productId: has.has(UsageDimension.PRODUCT) ? productId : null,
        userId: has.has(UsageDimension.USER) ? unescapeKey(user) : null,
        groupId: has.has(UsageDimension.GROUP) ? groupId : null,
        country: has.has(UsageDimension.COUNTRY) ? unescapeKey(country) : null,
        machineId: has.has(UsageDimension.MACHINE) ? unescapeKey(machine) : null,
        day: has.has(UsageDimension.DAY) ? day : null,
        sessions: 0,
        minutes: 0,
        users: new DistinctUsers(this.tally),
        seats: new Set(),
      };
      this.rowsByKey.set(key, row);
    }
    return row;
  }
}

const ORDER = ['productId', 'userId', 'groupId', 'country', 'machineId', 'day'] as const;

function compareRows(a: UsageReportRow, b: UsageReportRow): number {
  for (const field of ORDER) {
    const x = a[field] ?? '';
    const y = b[field] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
