import { DomainError, LIMITS } from '@ses/domain';
import { UsageDimension } from '../graphql/types';
import { BUCKET_MS, DAY_MS, HOUR_MS } from './analytics.keys';

/** The longest window a report may cover (two years and a leap day). */
export const MAX_WINDOW_MS = LIMITS.reportWindowDays[1] * DAY_MS;
/** The most points one concurrency answer may hold (a year of hours fits). */
export const MAX_POINTS = LIMITS.reportPoints[1];

export type IntervalName = 'TEN_MINUTES' | 'HOUR' | 'DAY';
export const INTERVAL_MS: Record<IntervalName, number> = { TEN_MINUTES: BUCKET_MS, HOUR: HOUR_MS, DAY: DAY_MS };

export interface Window {
  fromMs: number;
  toMs: number;
}

const bad = (message: string, fields: string[]) => new DomainError('BAD_USER_INPUT', message, fields);

/** from < to, both instants, at most MAX_WINDOW_MS apart. */
export function parseWindow(from: string, to: string): Window {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (Number.isNaN(fromMs)) throw bad('from must be an ISO-8601 instant', ['from']);
  if (Number.isNaN(toMs)) throw bad('to must be an ISO-8601 instant', ['to']);
  if (fromMs >= toMs) throw bad('from must be before to', ['from', 'to']);
  if (toMs - fromMs > MAX_WINDOW_MS) throw bad(`the window may cover at most ${LIMITS.reportWindowDays[1]} days`, ['from', 'to']);
  return { fromMs, toMs };
}

/** At least one dimension, each at most once. */
export function parseGroupBy(groupBy: readonly string[] | null | undefined): UsageDimension[] {
  const dims = groupBy ?? [];
  if (dims.length === 0) throw bad('groupBy needs at least one dimension', ['groupBy']);
  const known = new Set<string>(Object.values(UsageDimension));
  if (dims.some((dim) => !known.has(dim))) throw bad('groupBy has an unknown dimension', ['groupBy']);
  if (new Set(dims).size !== dims.length) throw bad('groupBy must not repeat a dimension', ['groupBy']);
  return dims as UsageDimension[];
}

export function parseInterval(interval: string, window: Window): number {
  const size = INTERVAL_MS[interval as IntervalName];
  if (size === undefined) throw bad('interval must be TEN_MINUTES, HOUR or DAY', ['interval']);
  const points = Math.ceil((window.toMs - Math.floor(window.fromMs / size) * size) / size);
  if (points > MAX_POINTS) throw bad(`at most ${MAX_POINTS} points: choose a longer interval or a shorter window`, ['from', 'to', 'interval']);
  return size;
}
