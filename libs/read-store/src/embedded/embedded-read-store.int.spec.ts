import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc, Filter, ReadStore, WriteOp } from '../read-store.port';
import { readStoreContract } from '../read-store.contract';
import { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded-read-store';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ses-embedded-read-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNumber = 0;
const freshPath = (): string => join(dir, `store-${++fileNumber}`, 'read-models.sqlite');

/** Where each store of the contract runs lives, so that it can be reopened on the same file. */
const opened = new WeakMap<ReadStore, { path: string; options: EmbeddedReadStoreOptions }>();
const openAt = async (path: string, options: EmbeddedReadStoreOptions): Promise<ReadStore> => {
  const store = await EmbeddedReadStore.open(path, options);
  opened.set(store, { path, options });
  return store;
};
const reopen = async (store: ReadStore): Promise<ReadStore> => {
  const { path, options } = opened.get(store)!;
  await store.close();
  return openAt(path, options);
};

readStoreContract('EmbeddedReadStore', () => openAt(freshPath(), {}), reopen);
// The same behaviour when the cache evicts all the time (a few small documents fit), or holds nothing.
readStoreContract('EmbeddedReadStore with a 2 KB cache', () => openAt(freshPath(), { cacheBytes: 2048 }), reopen);
readStoreContract('EmbeddedReadStore without a cache', () => openAt(freshPath(), { cacheBytes: 0 }), reopen);

describe('EmbeddedReadStore', () => {
  const upsert = (id: string, update: Record<string, unknown>, position: bigint): WriteOp => ({
    kind: 'upsert',
    collection: 'accounts',
    id,
    update,
    position,
  });

  describe('persistence', () => {
    it('keeps documents, positions and checkpoints across reopen', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      const batch = [upsert('a', { $inc: { n: 1 }, $set: { at: new Date('2024-01-02T03:04:05.000Z') } }, 1n), upsert('b', { $set: { n: 7 } }, 2n)];
      await first.commit('accounts', 2n, batch);
      await first.commit('accounts', 3n, [{ kind: 'delete', collection: 'accounts', filter: { _id: 'b' }, position: 3n }]);
      await first.close();

      const reopened = await EmbeddedReadStore.open(path);
      try {
        expect(await reopened.find('accounts')).toEqual([{ _id: 'a', n: 1, at: new Date('2024-01-02T03:04:05.000Z') }]);
        expect(await reopened.checkpoint('accounts')).toBe(3n);
        // The positions survived too: replaying the first batch changes nothing.
        await reopened.commit('accounts', 2n, batch.slice(0, 1));
        expect(await reopened.findOne('accounts', { _id: 'a' })).toMatchObject({ n: 1 });
      } finally {
        await reopened.close();
      }
    });
  });

  describe('a failing commit changes nothing, in memory or on file', () => {
    it.each<[string, WriteOp]>([
      ['an unknown update operator', upsert('b', { $bogus: { n: 1 } }, 3n)],
      ['an operator conflict', upsert('a', { $set: { n: 1 }, $inc: { n: 1 } }, 3n)],
      ['a change of _id', upsert('a', { $set: { _id: 'z' } }, 3n)],
      ['a value SQLite cannot hold', upsert('b', { $set: { big: 1n } }, 3n)],
    ])('%s', async (_reason, failing) => {
      const path = freshPath();
      const store = await EmbeddedReadStore.open(path);
      await store.commit('accounts', 1n, [upsert('a', { $set: { n: 1 } }, 1n)]);

      const attempt = store.commit('accounts', 3n, [
        upsert('a', { $inc: { n: 100 } }, 2n),
        { kind: 'delete', collection: 'accounts', filter: { _id: 'a' }, position: 2n },
        upsert('c', { $set: { n: 3 } }, 2n),
        failing,
      ]);
      await expect(attempt).rejects.toThrow();

      const expectUnchanged = async (s: EmbeddedReadStore): Promise<void> => {
        expect(await s.find('accounts')).toEqual([{ _id: 'a', n: 1 }]);
        expect(await s.checkpoint('accounts')).toBe(1n);
      };
      await expectUnchanged(store);
      await store.close();
      const reopened = await EmbeddedReadStore.open(path);
      await expectUnchanged(reopened);
      await reopened.close();
    });
  });

  describe('hash indexes', () => {
    const docs: Doc[] = [
      { _id: 'd1', status: 'ACTIVE', seats: 1, tags: ['eu', 'us'], plan: { tier: 'gold' } },
      { _id: 'd2', status: 'SUSPENDED', seats: '1', tags: ['us'], plan: [{ tier: 'gold' }, { tier: 'silver' }] },
      { _id: 'd3', status: ['ACTIVE', 'TRIAL'], seats: 2, tags: [], plan: { tier: 'silver' } },
      { _id: 'd4', seats: 0, tags: 'eu', plan: null },
      { _id: 'd5', status: 'active', seats: -0, tags: [['eu']] },
    ];
    const filters: Filter[] = [
      { status: 'ACTIVE' },
      { status: { $eq: 'ACTIVE' } },
      { status: 'active' },
      { status: { $in: ['ACTIVE', 'SUSPENDED'] } },
      { status: null },
      { seats: 1 },
      { seats: '1' },
      { seats: 0 },
      { tags: 'eu' },
      { tags: ['eu'] },
      { 'plan.tier': 'gold' },
      { 'plan.tier': 'silver', seats: { $gte: 1 } },
      { _id: 'd3' },
      { _id: 'd3', status: 'SUSPENDED' },
      { _id: 'none' },
      { status: 'ACTIVE', $or: [{ seats: 2 }, { tags: 'us' }] },
    ];
    const fields = ['status', 'seats', 'tags', 'plan.tier'];

    async function storeWith(indexed: boolean): Promise<EmbeddedReadStore> {
      const store = await EmbeddedReadStore.open(freshPath());
      if (indexed) for (const field of fields) await store.ensureIndex('c', { [field]: 1, other: 1 });
      const ops: WriteOp[] = docs.map(({ _id, ...fieldsOfDoc }, i) => ({
        kind: 'upsert',
        collection: 'c',
        id: _id,
        update: { $set: fieldsOfDoc },
        position: BigInt(i + 1),
      }));
      await store.commit('p', 10n, ops);
      // Move documents between index buckets, and delete one.
      await store.commit('p', 20n, [
        {
          kind: 'update',
          collection: 'c',
          filter: { status: 'SUSPENDED' },
          update: { $set: { status: 'ACTIVE' } },
          position: 11n,
        },
        { kind: 'upsert', collection: 'c', id: 'd1', update: { $set: { status: 'CLOSED', seats: 2 } }, position: 12n },
        { kind: 'upsert', collection: 'c', id: 'd6', update: { $set: { status: 'ACTIVE', seats: 1 } }, position: 13n },
        { kind: 'delete', collection: 'c', filter: { _id: 'd4' }, position: 14n },
      ]);
      return store;
    }

    it('return what a full scan returns', async () => {
      const plain = await storeWith(false);
      const indexed = await storeWith(true);
      try {
        for (const filter of filters) {
          const expected = await plain.find('c', filter, { sort: { _id: 1 } });
          const docs = await indexed.find('c', filter, { sort: { _id: 1 } });
          expect({ filter, docs }).toEqual({ filter, docs: expected });
          expect({ filter, count: await indexed.count('c', filter) }).toEqual({ filter, count: expected.length });
        }
        expect((await indexed.find('c', { status: 'ACTIVE' }, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['d2', 'd3', 'd6']);
      } finally {
        await plain.close();
        await indexed.close();
      }
    });

    it('are rebuilt over the loaded documents when ensured after reopen', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.commit('p', 1n, [upsert('a', { $set: { status: 'ACTIVE' } }, 1n)]);
      await first.close();

      const reopened = await EmbeddedReadStore.open(path);
      await reopened.ensureIndex('accounts', { status: 1 });
      expect(await reopened.find('accounts', { status: 'ACTIVE' })).toEqual([{ _id: 'a', status: 'ACTIVE' }]);
      await reopened.close();
    });
  });
});
