import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore, type WriteOp } from '@ses/read-store';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { ANALYTICS, slotNumber } from './analytics.keys';
import { ReportCache, reportCacheBytes } from './report-cache';

const POOL = 'a1|P';
const dayWrite = (day: string, sessions: number, position: number, pool = POOL): WriteOp => ({
  kind: 'upsert',
  collection: ANALYTICS.days,
  id: `${pool}|${day}`,
  update: { $set: { sessions }, $max: { lastPosition: position }, $setOnInsert: { pool, day } },
  position: BigInt(position),
});

describe('report cache', () => {
  let store: EmbeddedReadStore;
  let cache: ReportCache;
  const sessionsOf = async (day: string) => (await cache.view(POOL, ['days'])).days.get(day)?.sessions;

  beforeEach(async () => {
    store = await EmbeddedReadStore.open(join(mkdtempSync(join(tmpdir(), 'report-cache-')), 'read.sqlite'));
    cache = new ReportCache(store);
  });
  afterEach(() => store.close());

  it('re-reads only documents written after the checkpoint it saw, and picks up every one of them', async () => {
    await store.commit(PROJECTION_CHECKPOINT, 5n, [dayWrite('2026-03-01', 1, 4), dayWrite('2026-03-02', 1, 5)]);
    expect(await sessionsOf('2026-03-01')).toBe(1);

    const reads: unknown[] = [];
    const find = store.find.bind(store);
    jest.spyOn(store, 'find').mockImplementation((collection, filter, options) => (reads.push(filter), find(collection, filter, options)));
    await store.commit(PROJECTION_CHECKPOINT, 6n, [dayWrite('2026-03-02', 2, 6)]);
    expect(await sessionsOf('2026-03-02')).toBe(2);
    expect(reads).toEqual([{ pool: POOL, lastPosition: { $gt: 5 } }]);
  });

  it('does not trust the highest position it read: a later-visible earlier write is not lost', async () => {
    // A find is no snapshot (MongoDB): it may return a document written by event 10
    // while the projections' checkpoint is still 5 and event 8's write to another
    // document is not visible yet.
    await store.commit(PROJECTION_CHECKPOINT, 5n, [dayWrite('2026-03-01', 1, 5), dayWrite('2026-03-02', 1, 10)]);
    expect(await sessionsOf('2026-03-01')).toBe(1);
    await store.commit(PROJECTION_CHECKPOINT, 10n, [dayWrite('2026-03-01', 3, 8)]);
    expect(await sessionsOf('2026-03-01')).toBe(3);
  });

  it('fails only the report whose refresh failed; the next one reads again', async () => {
    await store.commit(PROJECTION_CHECKPOINT, 1n, [dayWrite('2026-03-01', 1, 1)]);
    jest.spyOn(store, 'find').mockRejectedValueOnce(new Error('store unavailable'));
    await expect(cache.view(POOL, ['days'])).rejects.toThrow('store unavailable');
    expect(await sessionsOf('2026-03-01')).toBe(1);
  });

  describe('bounded', () => {
    const pools = ['a1|A', 'a1|B', 'a1|C'];
    const sessionsIn = async (c: ReportCache, pool: string) => (await c.view(pool, ['days'])).days.get('2026-03-01')?.sessions;
    /** Filters of the finds the cache sends while `run` runs. */
    async function readsDuring(run: () => Promise<unknown>): Promise<unknown[]> {
      const reads: unknown[] = [];
      const find = store.find.bind(store);
      const spy = jest.spyOn(store, 'find').mockImplementation((collection, filter, options) => (reads.push(filter), find(collection, filter, options)));
      try {
        await run();
      } finally {
        spy.mockRestore();
      }
      return reads;
    }

    beforeEach(async () => {
      await store.commit(
        PROJECTION_CHECKPOINT,
        3n,
        pools.map((pool, i) => dayWrite('2026-03-01', i + 1, i + 1, pool)),
      );
    });

    it('keeps pools within its budget, least recently used out: an evicted pool is read again whole, a kept one only for changes', async () => {
      const probe = new ReportCache(store, 1_000_000);
      await sessionsIn(probe, pools[0]);
      const onePool = probe.bytes;
      expect(onePool).toBeGreaterThan(0);

      const small = new ReportCache(store, Math.floor(onePool * 2.5));
      expect(await sessionsIn(small, pools[0])).toBe(1);
      expect(await sessionsIn(small, pools[1])).toBe(2);
      expect(await sessionsIn(small, pools[0])).toBe(1); // A is now the most recently used
      expect(await sessionsIn(small, pools[2])).toBe(3); // room for two: B goes
      expect(small.bytes).toBeLessThanOrEqual(small.maxBytes);

      await store.commit(PROJECTION_CHECKPOINT, 4n, [dayWrite('2026-03-01', 10, 4, pools[0]), dayWrite('2026-03-01', 20, 4, pools[1])]);
      let answer: unknown;
      expect(await readsDuring(async () => (answer = await sessionsIn(small, pools[0])))).toEqual([{ pool: pools[0], lastPosition: { $gt: 3 } }]);
      expect(answer).toBe(10);
      expect(await readsDuring(async () => (answer = await sessionsIn(small, pools[1])))).toEqual([{ pool: pools[1] }]);
      expect(answer).toBe(20);
    });

    it('counts what a pool holds as it grows', async () => {
      const sized = new ReportCache(store, 1_000_000);
      await sessionsIn(sized, pools[0]);
      const oneDay = sized.bytes;
      await store.commit(
        PROJECTION_CHECKPOINT,
        40n,
        Array.from({ length: 30 }, (_, i) => dayWrite(`2026-04-${String(i + 1).padStart(2, '0')}`, i, 10 + i, pools[0])),
      );
      await sessionsIn(sized, pools[0]);
      expect(sized.bytes).toBeGreaterThan(oneDay);
    });

    it('does not keep a pool larger than the whole cache, and still answers from the store', async () => {
      const tiny = new ReportCache(store, 10);
      expect(await sessionsIn(tiny, pools[1])).toBe(2);
      expect(tiny.bytes).toBe(0);
      await store.commit(PROJECTION_CHECKPOINT, 4n, [dayWrite('2026-03-01', 7, 4, pools[1])]);
      expect(await readsDuring(async () => expect(await sessionsIn(tiny, pools[1])).toBe(7))).toEqual([{ pool: pools[1] }]);
    });

    it('takes its budget from SES_REPORT_CACHE_MB, 128 MiB by default', () => {
      expect(reportCacheBytes({})).toBe(128 * 2 ** 20);
      expect(reportCacheBytes({ SES_REPORT_CACHE_MB: '8' })).toBe(8 * 2 ** 20);
      expect(reportCacheBytes({ SES_REPORT_CACHE_MB: '0' })).toBe(0);
      expect(() => reportCacheBytes({ SES_REPORT_CACHE_MB: 'lots' })).toThrow(/SES_REPORT_CACHE_MB/);
    });
  });

  it('reads bucket keys as the projection writes them (slots 0..143), and no other', () => {
    expect(['0', '7', '60', '143'].map(slotNumber)).toEqual([0, 7, 60, 143]);
    for (const key of ['144', '01', '', '-1', '1a', '1000', 'h1', ' 1']) expect(slotNumber(key)).toBe(-1);
  });
});
