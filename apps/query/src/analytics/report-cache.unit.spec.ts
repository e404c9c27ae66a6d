import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore, type WriteOp } from '@ses/read-store';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { ANALYTICS } from './analytics.keys';
import { ReportCache } from './report-cache';

const POOL = 'a1|P';
const dayWrite = (day: string, sessions: number, position: number): WriteOp => ({
  kind: 'upsert',
  collection: ANALYTICS.days,
  id: `${POOL}|${day}`,
  update: { $set: { sessions }, $max: { lastPosition: position }, $setOnInsert: { pool: POOL, day } },
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
});
