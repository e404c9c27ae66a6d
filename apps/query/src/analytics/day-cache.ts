import type { ReadStore } from '@ses/read-store';
import { ANALYTICS, DAY_MS, dayOf, type DayDoc } from './analytics.keys';
import { type MonthRollup, type ParsedDay, parseDay, rollUp } from './parsed-day';

interface PoolCache {
  /** Highest event position seen in any of the pool's day documents. */
  seen: number;
  days: Map<string, ParsedDay>;
  /** Sorted day keys, rebuilt when days are added. */
  order: string[] | null;
  months: Map<string, { signature: string; rollup: MonthRollup }>;
  refreshing: Promise<void>;
}

/**
 * The pools' day documents, decoded once and kept. Every op stamps its day doc
 * with `p` = the event position ($max), so a report reads only the documents
 * changed since the last one: `{pool, p: {$gt: seen}}` (normally today's), and
 * reuses month rollups whose days did not change. Positions are the log's, so a
 * read-model generation rebuilt from the same log has the same content at the same
 * positions: a generation switch needs no flush.
 */
export class DayCache {
  private readonly pools = new Map<string, PoolCache>();

  constructor(private readonly store: ReadStore) {}

  /** The pool's parsed days overlapping [fromMs, toMs), oldest first. */
  async range(pool: string, fromMs: number, toMs: number): Promise<ParsedDay[]> {
    const cache = await this.refreshed(pool);
    const from = dayOf(Math.floor(fromMs / DAY_MS) * DAY_MS);
    const to = dayOf(Math.ceil(toMs / DAY_MS) * DAY_MS);
    return sortedDays(cache)
      .filter((day) => day >= from && day < to)
      .map((day) => cache.days.get(day)!);
  }

  /** The level of the latest sample before `fromMs`'s UTC day (0 when none). */
  async levelBefore(pool: string, fromMs: number): Promise<number> {
    const cache = await this.refreshed(pool);
    const from = dayOf(Math.floor(fromMs / DAY_MS) * DAY_MS);
    const days = sortedDays(cache);
    for (let i = days.length - 1; i >= 0; i--) {
      if (days[i] >= from) continue;
      const level = cache.days.get(days[i])!.lastLevel;
      if (level >= 0) return level;
    }
    return 0;
  }

  /** The rollup of one whole month's days, reused while none of them changes. */
  rollup(pool: string, month: string, days: readonly ParsedDay[]): MonthRollup {
    const cache = this.pools.get(pool);
    const signature = days.map((day) => `${day.day}:${day.position}`).join(',');
    const cached = cache?.months.get(month);
    if (cached?.signature === signature) return cached.rollup;
    const rollup = rollUp(days);
    cache?.months.set(month, { signature, rollup });
    return rollup;
  }

  private refreshed(pool: string): Promise<PoolCache> {
    let cache = this.pools.get(pool);
    if (!cache) this.pools.set(pool, (cache = { seen: -1, days: new Map(), order: null, months: new Map(), refreshing: Promise.resolve() }));
    const target = cache;
    // One refresh at a time per pool; a query that arrives during one waits for it, then looks again.
    target.refreshing = target.refreshing.then(() => this.refresh(pool, target));
    return target.refreshing.then(() => target);
  }

  private async refresh(pool: string, cache: PoolCache): Promise<void> {
    const changed = await this.store.find<DayDoc>(ANALYTICS.days, cache.seen < 0 ? { pool } : { pool, p: { $gt: cache.seen } });
    for (const doc of changed) {
      if (!cache.days.has(doc.day)) cache.order = null;
      cache.days.set(doc.day, parseDay(doc));
      cache.seen = Math.max(cache.seen, doc.p ?? 0);
    }
  }
}

function sortedDays(cache: PoolCache): string[] {
  cache.order ??= [...cache.days.keys()].sort();
  return cache.order;
}
