import type { Doc } from '@ses/read-store';

/** Collections of the usage-analytics read models (see usage-analytics.projection.ts). */
export const ANALYTICS = {
  /** Per (account, product, UTC day): sessions started, their minutes, the users who started them. */
  days: 'usageDays',
  /** Per (account, product, UTC day, hour): sessions and minutes by user, machine and country. */
  hours: 'usageHours',
  /** Per (account, product, UTC month): sessions and minutes by user, machine and country. */
  months: 'usageMonths',
  /** Per (account, product, UTC day): seat levels sampled in each 10-minute bucket. */
  peaks: 'usagePeaks',
  /** Per (account, product): entitlement history, for seats owned at any instant. */
  pools: 'usagePools',
} as const;

export const MINUTE_MS = 60_000;
export const BUCKET_MS = 10 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const BUCKETS_PER_DAY = DAY_MS / BUCKET_MS;

/** Seat levels are packed with the pool-stream revision as `revision * LEVEL_SPAN + level`, so `$max` keeps the latest. */
export const LEVEL_SPAN = 2 ** 21;

export const packLevel = (revision: number, level: number): number => revision * LEVEL_SPAN + Math.min(Math.max(0, Math.round(level)), LEVEL_SPAN - 1);
export const unpackLevel = (packed: number): number => packed % LEVEL_SPAN;

/** `account|product`: a seat pool. */
export const poolId = (accountId: string, productId: string): string => `${accountId}|${productId}`;

/** Names of the days met so far: formatting a Date was a tenth of the projection's own time. Bounded (a day is 10 bytes). */
const dayNames = new Map<number, string>();

/** UTC day `YYYY-MM-DD` of an epoch-millisecond instant. */
export const dayOf = (ms: number): string => {
  const index = Math.floor(ms / DAY_MS);
  let name = dayNames.get(index);
  if (name === undefined) {
    name = new Date(index * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size >= 100_000) dayNames.clear();
    dayNames.set(index, name);
  }
  return name;
};
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);
export const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;
export const ceilTo = (ms: number, unit: number): number => Math.ceil(ms / unit) * unit;
/** Index (0..143) of the 10-minute bucket of an instant within its day. */
export const bucketOf = (ms: number): number => Math.floor((ms - floorTo(ms, DAY_MS)) / BUCKET_MS);
/**
 * Key of a bucket within a peaks map: its slot of the day, `0` to `143` (bucketOf). Digits, so that a
 * map is an object with integer keys, which V8 keeps as elements: 1,825 days of them parse in about
 * 40 ms where the `h<hour>.b<j>` maps of version 7 took 95 (1M sessions), and reading one needs no
 * key parsing. Both adapters take a numeric part of a path as an object's key where the object is
 * missing or already one (the read store contract tests it); the projection never makes it an array.
 */
export const slotKey = (slot: number): string => String(slot);
/** The slot a key names (slotKey: `0` to `143`, no leading zero), else -1 (a key no writer makes). */
export function slotNumber(key: string): number {
  if (key.length < 1 || key.length > 3 || (key.length > 1 && key[0] === '0')) return -1;
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n < BUCKETS_PER_DAY ? n : -1;
}
export const hourOf = (ms: number): number => Math.floor((ms - floorTo(ms, DAY_MS)) / HOUR_MS);
export const monthOf = (day: string): string => day.slice(0, 7);

/**
 * Field names hold ids, which may contain anything: `%`, `.`, `$` and the `~`
 * separator are percent-escaped, so a name never splits a path and decodes back.
 */
export const escapeKey = (value: string): string => value.replace(/[%.$~]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
export const unescapeKey = (key: string): string =>
  !key.includes('%') ? key : key.replace(/%([0-9a-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Path of a country's summary in a day document: `byCountry.c<escaped country>` (the letter keeps an empty country a name). */
export const countryField = (country: string): string => `byCountry.c${escapeKey(country)}`;

/** Hour cell: user~machine~country of a session start (minutes: user~machine; the country is the user's, so the same). */
export const userMachineCountry = (userId: string, machineId: string, country: string): string =>
  `${escapeKey(userId)}~${escapeKey(machineId)}~${escapeKey(country)}`;
export const userMachine = (userId: string, machineId: string): string => `${escapeKey(userId)}~${escapeKey(machineId)}`;

/** Every analytics doc but the pools': its pool, and the position of the latest event that wrote it ($max). */
interface AnalyticsDoc extends Doc {
  pool: string;
  lastPosition?: number;
}

export interface DayDoc extends AnalyticsDoc {
  day: string;
  /** Sessions started. */
  sessions?: number;
  /** Minutes of those sessions that ended (to endedAt) or timed out (to their last heartbeat). */
  minutes?: number;
  /** The same by the session's country (`c` + escaped country), with the escaped ids of the users who started them. */
  byCountry?: Record<string, CountrySummary>;
  /** Ends without a country (recorded before ends carried it): their minutes are in `minutes` only. */
  endsWithoutCountry?: number;
  /**
   * The most seats in use sampled in this UTC day, and the latest sample packed (packLevel), by the
   * instant of the sample as usagePeaks (not by the start of sessions): with the level carried in, a
   * pool's peak over whole days without its 10-minute buckets. A day with samples and no session
   * started has a document with these alone.
   */
  peakSampled?: number;
  latestSampled?: number;
}

export interface CountrySummary {
  sessions?: number;
  minutes?: number;
  users?: string[];
}

export interface HourDoc extends AnalyticsDoc {
  day: string;
  hour: number;
  /** user~machine~country of each session started in this hour. */
  starts?: string[];
  /** user~machine and minutes of each session started in this hour that ended or timed out. */
  ends?: [string, number][];
}

export interface MonthDoc extends AnalyticsDoc {
  month: string;
  /** Sessions started, by user~machine~country. */
  sessionsByUserMachineCountry?: Record<string, number>;
  /** Minutes of the sessions started in this month that ended or timed out, by user~machine. */
  minutesByUserMachine?: Record<string, number>;
  /**
   * The most seats in use sampled in this month (by the instant each seat-changing event was decided, as
   * usagePeaks, not by the start of sessions): the pool's peak over any window holding the month is at least this.
   */
  peakSampled?: number;
}

export interface PeakDoc extends AnalyticsDoc {
  day: string;
  /** Most seats in use sampled in each 10-minute bucket, by its slot of the day (slotKey: `0`..`143`). */
  peakBySlot?: Record<string, number>;
  /** Latest seat level sampled in each 10-minute bucket, packed with the pool-stream revision (packLevel); keyed as peakBySlot. */
  latestLevelBySlot?: Record<string, number>;
}

export interface EntitlementSpan {
  seats: number;
  startsAt: string;
  endsAt: string;
  revokedAt?: string | null;
}

export interface PoolDoc extends Doc {
  accountId: string;
  productId: string;
  /** The pool's entitlements by (escaped) id: seats owned at any instant. */
  entitlements?: Record<string, EntitlementSpan>;
}
