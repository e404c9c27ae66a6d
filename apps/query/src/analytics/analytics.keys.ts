import type { Doc } from '@ses/read-store';

/** Collections of the usage-analytics read models (see usage-analytics.projection.ts). */
export const ANALYTICS = {
  /** One doc per (account, product, UTC day): usage cells and 10-minute seat levels. */
  days: 'usageDays',
  /** One doc per (account, product): entitlement history, for seats owned at any instant. */
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
export const dayDocId = (pool: string, day: string): string => `${pool}|${day}`;

/** UTC day `YYYY-MM-DD` of an epoch-millisecond instant. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);
export const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;
export const ceilTo = (ms: number, unit: number): number => Math.ceil(ms / unit) * unit;
/** Bucket field of a 10-minute bucket within its day (`x0`..`x143`; a letter so no adapter mistakes it for an array index). */
export const bucketField = (ms: number): string => `x${Math.floor((ms - floorTo(ms, DAY_MS)) / BUCKET_MS)}`;
export const hourOf = (ms: number): string => String(new Date(ms).getUTCHours()).padStart(2, '0');

/**
 * Field names hold ids, which may contain anything: `%`, `.`, `$` and the `~`
 * separator are percent-escaped, so a name never splits a path and decodes back.
 */
export const escapeKey = (value: string): string => value.replace(/[%.$~]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
export const unescapeKey = (key: string): string => key.replace(/%([0-9a-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Cell of sessions started in one UTC hour by one user on one machine in one country. */
export const startCell = (hour: string, userId: string, machineId: string, country: string): string =>
  `${hour}~${escapeKey(userId)}~${escapeKey(machineId)}~${escapeKey(country)}`;
/** Minutes cell: the same without the country (ended sessions do not carry it; it is the user's, so it is the same). */
export const minutesCell = (hour: string, userId: string, machineId: string): string => `${hour}~${escapeKey(userId)}~${escapeKey(machineId)}`;

export interface DayDoc extends Doc {
  pool: string;
  accountId: string;
  productId: string;
  day: string;
  /** Position of the latest event that wrote the doc ($max): readers fetch only what changed (see DayCache). */
  p?: number;
  /** Sessions started, by start cell. */
  cn?: Record<string, number>;
  /** Minutes of ended or timed-out sessions, by minutes cell of their start. */
  cm?: Record<string, number>;
  /** Most seats in use sampled in each 10-minute bucket. */
  b?: Record<string, number>;
  /** Latest (packed) seat level sampled in each 10-minute bucket. */
  l?: Record<string, number>;
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
  e?: Record<string, EntitlementSpan>;
}
