import type { ReadStore } from '@ses/read-store';
import { LRUCache } from 'lru-cache';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { ANALYTICS, BUCKETS_PER_DAY, dayStartMs, type DayDoc, type HourDoc, type MonthDoc, type PeakDoc, slotNumber, unpackLevel } from './analytics.keys';
import { type Cell, cellParts, decodeMonth, type MonthCells } from './month-cells';

export type { Cell } from './month-cells';

export interface DaySummary {
  day: string;
  /** Epoch ms of the day's start (decoded once, not per report). */
  dayStart: number;
  sessions: number;
  minutes: number;
  /** Escaped ids of the users who started sessions, a list per country (none twice in a list; a user who started in two countries is in both). */
  userLists: readonly (readonly string[])[];
  /** By (escaped) country; null when some of the day's minutes are not booked by country (ends recorded before they carried it). */
  countries: ReadonlyMap<string, CountryDay> | null;
  /** False for a day with seat samples only (no session started in it, none of its sessions' minutes): it makes no row. */
  hasUsage: boolean;
  /** The most seats sampled in the day, -1 when none. */
  peakSampled: number;
  /** Level of the day's latest sample, -1 when none. */
  lastLevel: number;
}

export interface CountryDay {
  sessions: number;
  minutes: number;
  /** Escaped ids of the users who started them, none twice ($addToSet). */
  users: readonly string[];
}

export interface DayPeaks {
  day: string;
  dayStart: number;
  /** Most seats sampled per 10-minute bucket, -1 when none. */
  peaks: Int32Array;
  /** Level of the latest sample per bucket, -1 when none. */
  lastLevels: Int32Array;
  /** Level of the day's latest sample, -1 when none. */
  lastLevel: number;
}

/** One pool's decoded documents. */
export interface PoolView {
  days: Map<string, DaySummary>;
  /** day -> hour -> cells */
  hours: Map<string, Map<number, Cell[]>>;
  /** month -> cells */
  months: Map<string, MonthCells>;
  peaks: Map<string, DayPeaks>;
  /** The last sum of whole months a report made (monthsCells), kept while those months are the view's. */
  monthSum?: MonthSum;
}

export interface MonthSum {
  months: readonly MonthCells[];
  cells: readonly Cell[];
}

type Part = 'days' | 'hours' | 'months' | 'peaks';

interface PoolState {
  view: PoolView;
  seen: Record<Part, number>;
  /** Days whose hour documents are all decoded (hours are read per day: they are the bulk). */
  hourDays: Set<string>;
  refreshing: Promise<void>;
}

/** The cache decodes documents and never changes them. */
const READ_ONLY = { readOnly: true } as const;

const COLLECTION: Record<Part, string> = {
  days: ANALYTICS.days,
  hours: ANALYTICS.hours,
  months: ANALYTICS.months,
  peaks: ANALYTICS.peaks,
};

/** Days of hour documents read per query when a report needs many. */
const HOUR_DAYS_PER_READ = 31;

export const REPORT_CACHE_ENV = 'SES_REPORT_CACHE_MB';
export const DEFAULT_REPORT_CACHE_MB = 128;

/**
 * The analytics documents of each pool, decoded once and kept. Every op stamps its
 * document with `lastPosition`, the event position ($max), so a report re-reads only the
 * documents written since it last looked (`{pool, lastPosition: {$gt: seen}}`: normally a few
 * of today's). `seen` is the projections' checkpoint read before the query, not
 * the highest `p` returned: a find is no snapshot (MongoDB), so a document written
 * later may come back while an earlier write to another one does not yet; reading
 * a document twice is harmless, missing one is not. Positions are the log's, so a
 * generation rebuilt from the same log holds the same content at the same
 * positions: a generation switch needs no flush.
 *
 * Bounded: pools are kept least recently used first out, by an estimate of what
 * their decoded documents take (`maxBytes`, default SES_REPORT_CACHE_MB, else 128
 * MiB: a year of narrow reports by DAY on 1,000,000 sessions fits). A pool is evicted whole (its `seen` positions describe all it holds); one
 * larger than the whole cache is not kept, and each report on it reads what it needs
 * again. A report that holds a pool's view keeps using it if the pool is evicted
 * meanwhile (eviction drops the cache's reference; nothing is cleared in place).
 */
export class ReportCache {
  private readonly pools?: LRUCache<string, PoolState>;

  constructor(
    private readonly store: ReadStore,
    readonly maxBytes = reportCacheBytes(),
  ) {
    if (maxBytes >= 1) this.pools = new LRUCache<string, PoolState>({ maxSize: Math.floor(maxBytes) });
  }

  /** Estimated bytes held now. */
  get bytes(): number {
    return this.pools?.calculatedSize ?? 0;
  }

  /** The pool's view with `parts` up to date (and, for hours, the hours of `hourDays`). */
  view(pool: string, parts: readonly Exclude<Part, 'hours'>[], hourDays: readonly string[] = []): Promise<PoolView> {
    let state = this.pools?.get(pool);
    if (!state) {
      const view: PoolView = { days: new Map(), hours: new Map(), months: new Map(), peaks: new Map() };
      state = { view, seen: { days: -1, hours: -1, months: -1, peaks: -1 }, hourDays: new Set(), refreshing: Promise.resolve() };
      // Kept at once, so that a report on the same pool arriving meanwhile waits for this one's reads instead of repeating them.
      this.pools?.set(pool, state, { size: estimateBytes(state) });
    }
    const target = state;
    // One refresh at a time per pool; a report arriving meanwhile waits, then looks again.
    const refreshed = target.refreshing.then(async () => {
      for (const part of parts) await this.refresh(pool, target, part);
      if (hourDays.length > 0) await this.refreshHours(pool, target, hourDays);
      // (Re)kept at its new size; the least recently used pools make room, or it is not kept at all.
      // (lru-cache keeps the old size when the same value is set again: delete first.)
      this.pools?.delete(pool);
      this.pools?.set(pool, target, { size: estimateBytes(target) });
    });
    // A failed refresh fails its report only; the next one tries again.
    target.refreshing = refreshed.catch(() => undefined);
    return refreshed.then(() => target.view);
  }

  /** Every write of an event at or before this position is visible to a find started after it. */
  private async watermark(): Promise<number> {
    const checkpoint = await this.store.checkpoint(PROJECTION_CHECKPOINT);
    return checkpoint === null ? -1 : Number(checkpoint);
  }

  private async refresh(pool: string, state: PoolState, part: Part): Promise<void> {
    const seen = state.seen[part];
    const watermark = await this.watermark();
    const docs = await this.store.find<DayDoc & HourDoc & MonthDoc & PeakDoc>(
      COLLECTION[part],
      seen < 0 ? { pool } : { pool, lastPosition: { $gt: seen } },
      READ_ONLY,
    );
    state.seen[part] = Math.max(seen, watermark);
    for (const doc of docs) {
      if (part === 'days') state.view.days.set(doc.day, daySummary(doc));
      else if (part === 'peaks') state.view.peaks.set(doc.day, decodePeaks(doc));
      else this.put(state.view.months, doc.month, decodeMonth(doc));
    }
  }

  /** Changed hour docs of the days already decoded, then the days not decoded yet. */
  private async refreshHours(pool: string, state: PoolState, days: readonly string[]): Promise<void> {
    // The decoded days are current up to `updated`, the days loaded now up to a later point: seen is the lower.
    let updated: number | undefined;
    if (state.hourDays.size > 0) {
      updated = await this.watermark();
      for (const doc of await this.store.find<HourDoc>(ANALYTICS.hours, { pool, lastPosition: { $gt: state.seen.hours } }, READ_ONLY))
        this.putHour(state, doc, false);
    }
    const missing = days.filter((day) => !state.hourDays.has(day));
    if (missing.length > 0) {
      const loaded = await this.watermark();
      // Ranges, not $in: a year of days in $in costs more to test than the documents it skips. A
      // month's days at a time, so that a year's documents are never all in memory at once.
      const sorted = [...missing].sort();
      const wanted = new Set(missing);
      for (let i = 0; i < sorted.length; i += HOUR_DAYS_PER_READ) {
        const chunk = sorted.slice(i, i + HOUR_DAYS_PER_READ);
        const docs = await this.store.find<HourDoc>(ANALYTICS.hours, { pool, day: { $gte: chunk[0], $lte: chunk[chunk.length - 1] } }, READ_ONLY);
        for (const doc of docs) if (wanted.has(doc.day)) this.putHour(state, doc, true);
      }
      for (const day of missing) state.hourDays.add(day);
      updated ??= loaded;
    }
    if (updated !== undefined) state.seen.hours = Math.max(state.seen.hours, updated);
  }

  private putHour(state: PoolState, doc: HourDoc, loading: boolean): void {
    if (loading || state.hourDays.has(doc.day)) this.put(mapOf(state.view.hours, doc.day), doc.hour, hourCells(doc));
  }

  private put<K, V>(map: Map<K, V>, key: K, value: V): void {
    map.set(key, value);
  }
}

/** The cache's budget: SES_REPORT_CACHE_MB (whole MiB; 0 keeps nothing), else 128 MiB. */
export function reportCacheBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[REPORT_CACHE_ENV]?.trim();
  if (!raw) return DEFAULT_REPORT_CACHE_MB * 2 ** 20;
  if (!/^\d{1,7}$/.test(raw)) throw new Error(`${REPORT_CACHE_ENV} must be a whole number of MiB`);
  return Number(raw) * 2 ** 20;
}

/**
 * What a pool's decoded documents take on the heap, roughly: cells 90 bytes, a day
 * summary 120 plus 40 per user, a day of peaks (two 144-entry Int32Arrays) 1,400.
 * Measured on a year of 1,000,000 sessions, the heap freed by dropping the cache was
 * 0.6 of this estimate with 120 bytes a cell (a cell alone: 70 to 95 bytes).
 */
function estimateBytes(state: PoolState): number {
  let bytes = 500;
  for (const day of state.view.days.values()) {
    bytes += 120 + 100 * day.userLists.length;
    for (const users of day.userLists) bytes += 40 * users.length;
  }
  for (const hours of state.view.hours.values()) for (const cells of hours.values()) bytes += 60 + CELL_BYTES * cells.length;
  for (const month of state.view.months.values()) bytes += 60 + MONTH_KEY_BYTES * month.keys.length;
  bytes += CELL_BYTES * (state.view.monthSum?.cells.length ?? 0);
  return bytes + 1_400 * state.view.peaks.size;
}

const CELL_BYTES = 90;
/** A month key's string (about 20 characters) and its three slots, with a boxed float of minutes. */
const MONTH_KEY_BYTES = 70;

function mapOf<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

function hourCells(doc: HourDoc): Cell[] {
  const sessions = new Map<string, number>();
  for (const start of doc.starts ?? []) sessions.set(start, (sessions.get(start) ?? 0) + 1);
  let minutes: Map<string, number> | undefined;
  if (doc.ends && doc.ends.length > 0) {
    minutes = new Map();
    for (const [userMachine, spent] of doc.ends) minutes.set(userMachine, (minutes.get(userMachine) ?? 0) + spent);
  }
  const cells: Cell[] = [];
  for (const [key, count] of sessions) {
    const [user, machine, country, userMachine] = cellParts(key);
    cells.push({ hour: doc.hour, user, machine, country, sessions: count, minutes: minutes?.get(userMachine) ?? 0, key });
  }
  return cells;
}

function daySummary(doc: DayDoc): DaySummary {
  const countries = new Map<string, CountryDay>();
  const userLists: string[][] = [];
  for (const [field, summary] of Object.entries(doc.byCountry ?? {})) {
    const countryUsers = summary.users ?? [];
    countries.set(field.slice(1), { sessions: summary.sessions ?? 0, minutes: summary.minutes ?? 0, users: countryUsers });
    userLists.push(countryUsers);
  }
  return {
    day: doc.day,
    dayStart: dayStartMs(doc.day),
    sessions: doc.sessions ?? 0,
    minutes: doc.minutes ?? 0,
    userLists,
    countries: doc.endsWithoutCountry ? null : countries,
    hasUsage: doc.sessions !== undefined || doc.minutes !== undefined || doc.endsWithoutCountry !== undefined || doc.byCountry !== undefined,
    peakSampled: typeof doc.peakSampled === 'number' ? doc.peakSampled : -1,
    lastLevel: typeof doc.latestSampled === 'number' ? unpackLevel(doc.latestSampled) : -1,
  };
}

function decodePeaks(doc: PeakDoc): DayPeaks {
  const peaks = new Int32Array(BUCKETS_PER_DAY).fill(-1);
  const lastLevels = new Int32Array(BUCKETS_PER_DAY).fill(-1);
  let latest = -1;
  forEachSlot(doc.peakBySlot, (slot, level) => (peaks[slot] = level));
  forEachSlot(doc.latestLevelBySlot, (slot, packed) => {
    lastLevels[slot] = unpackLevel(packed);
    if (packed > latest) latest = packed;
  });
  return { day: doc.day, dayStart: dayStartMs(doc.day), peaks, lastLevels, lastLevel: latest < 0 ? -1 : unpackLevel(latest) };
}

/** Each bucket a map keyed by slot holds (slotKey), visited by key; keys no writer makes are passed over. */
function forEachSlot(bySlot: Record<string, number> | undefined, visit: (slot: number, value: number) => void): void {
  for (const key in bySlot) {
    const slot = slotNumber(key);
    if (slot >= 0) visit(slot, bySlot[key]);
  }
}
