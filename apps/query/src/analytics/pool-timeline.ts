import { BUCKET_MS, BUCKETS_PER_DAY, DAY_MS, type PoolDoc } from './analytics.keys';
import type { DayPeaks } from './report-cache';

/** A day's seat samples summed up (report-cache.ts, DaySummary): its most and its latest, -1 when none. */
export interface DayLevels {
  dayStart: number;
  peakSampled: number;
  lastLevel: number;
}

/**
 * Most seats in use in each 10-minute bucket of [fromMs, toMs) (bucket-aligned
 * outwards): the level carried in from the latest earlier sample, or any sample
 * taken in the bucket, whichever is higher.
 */
export class PeakTimeline {
  readonly firstBucket: number;
  readonly peaks: Int32Array;

  constructor(fromMs: number, toMs: number, peaks?: Int32Array) {
    this.firstBucket = Math.floor(fromMs / BUCKET_MS);
    this.peaks = peaks ?? new Int32Array(Math.max(0, Math.ceil(toMs / BUCKET_MS) - this.firstBucket));
  }

  /** From the pool's parsed days covering the window and the level carried into the first of them. */
  static of(days: readonly DayPeaks[], carry: number, fromMs: number, toMs: number): PeakTimeline {
    const timeline = new PeakTimeline(fromMs, toMs);
    const byDay = new Map(days.map((day) => [Math.floor(day.dayStart / DAY_MS), day]));
    const first = timeline.firstBucket;
    const end = first + timeline.peaks.length;
    const peaks = timeline.peaks;
    let level = carry;
    // Day by day (one lookup per day, not per bucket), then its buckets.
    for (let dayStart = Math.floor(first / BUCKETS_PER_DAY) * BUCKETS_PER_DAY; dayStart < end; dayStart += BUCKETS_PER_DAY) {
      const day = byDay.get(dayStart / BUCKETS_PER_DAY);
      const from = Math.max(dayStart, first);
      const to = Math.min(dayStart + BUCKETS_PER_DAY, end);
      if (!day) {
        // No sample all day: the level carried in holds in every bucket.
        peaks.fill(level, from - first, to - first);
        continue;
      }
      for (let i = 0; i < BUCKETS_PER_DAY; i++) {
        const bucket = dayStart + i;
        const peak = day.peaks[i] > level ? day.peaks[i] : level;
        if (day.lastLevels[i] >= 0) level = day.lastLevels[i];
        if (bucket >= from && bucket < to) peaks[bucket - first] = peak;
      }
    }
    return timeline;
  }

  /**
   * At day resolution, from the pool's day summaries (the most seats sampled in each day and its
   * latest sample) and the level carried into the first: every bucket of a day holds the day's peak,
   * the higher of the level carried in and its samples. So `max` over whole days is the same as the
   * bucket timeline's (`of`); over less than a day, or summed over pools, it is not.
   */
  static ofDays(days: readonly DayLevels[], carry: number, fromMs: number, toMs: number): PeakTimeline {
    const timeline = new PeakTimeline(fromMs, toMs);
    const byDay = new Map(days.map((day) => [Math.floor(day.dayStart / DAY_MS), day]));
    const end = timeline.firstBucket + timeline.peaks.length;
    let level = carry;
    for (let dayStart = Math.floor(timeline.firstBucket / BUCKETS_PER_DAY) * BUCKETS_PER_DAY; dayStart < end; dayStart += BUCKETS_PER_DAY) {
      const day = byDay.get(dayStart / BUCKETS_PER_DAY);
      const peak = day && day.peakSampled > level ? day.peakSampled : level;
      if (day && day.lastLevel >= 0) level = day.lastLevel;
      const from = Math.max(dayStart, timeline.firstBucket) - timeline.firstBucket;
      timeline.peaks.fill(peak, from, Math.min(dayStart + BUCKETS_PER_DAY, end) - timeline.firstBucket);
    }
    return timeline;
  }

  /** Bucket-by-bucket sum over pools (seats of several products). */
  static sum(timelines: readonly PeakTimeline[], fromMs: number, toMs: number): PeakTimeline {
    const total = new PeakTimeline(fromMs, toMs);
    for (const timeline of timelines) for (let i = 0; i < total.peaks.length; i++) total.peaks[i] += timeline.peaks[i] ?? 0;
    return total;
  }

  /** The highest bucket peak over the buckets overlapping [fromMs, toMs). */
  max(fromMs: number, toMs: number): number {
    const start = Math.max(0, Math.floor(fromMs / BUCKET_MS) - this.firstBucket);
    const end = Math.min(this.peaks.length, Math.ceil(toMs / BUCKET_MS) - this.firstBucket);
    let max = 0;
    for (let i = start; i < end; i++) if (this.peaks[i] > max) max = this.peaks[i];
    return max;
  }
}

/** Seats owned at `atMs`: entitlements with startsAt <= t < endsAt, not revoked at or before t. */
export function seatsOwnedAt(pool: PoolDoc | undefined, atMs: number): number {
  let seats = 0;
  for (const span of Object.values(pool?.entitlements ?? {})) {
    if (typeof span.seats !== 'number' || !span.startsAt || !span.endsAt) continue;
    const revokedAt = span.revokedAt ? Date.parse(span.revokedAt) : Infinity;
    if (Date.parse(span.startsAt) <= atMs && atMs < Date.parse(span.endsAt) && atMs < revokedAt) seats += span.seats;
  }
  return seats;
}

/** The most seats owned at any instant of [fromMs, toMs): checked at its start and at every entitlement change inside it. */
export function maxSeatsOwned(pool: PoolDoc | undefined, fromMs: number, toMs: number): number {
  const instants = [fromMs];
  for (const span of Object.values(pool?.entitlements ?? {})) {
    for (const at of [span.startsAt, span.endsAt, span.revokedAt]) {
      const ms = at ? Date.parse(at) : NaN;
      if (ms > fromMs && ms < toMs) instants.push(ms);
    }
  }
  return Math.max(...instants.map((ms) => seatsOwnedAt(pool, ms)));
}
