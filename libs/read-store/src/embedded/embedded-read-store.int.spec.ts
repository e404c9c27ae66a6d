import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Doc, Filter, ReadStore, WriteOp } from '../read-store.port';
import { readStoreContract } from '../read-store.contract';
import { CACHE_FILL_PER_QUERY, EmbeddedReadStore, LARGE_COMMIT_DOCUMENTS, type EmbeddedReadStoreOptions } from './embedded-read-store';
import { ROWS_PER_INSERT } from './batched-insert';
import { SqliteDocumentFile } from './sqlite-document-file';

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
    it('keeps a Date given to a document that held plain JSON values only (whose encoding skips the walk for Dates)', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.commit('accounts', 1n, [upsert('a', { $inc: { n: 1 } }, 1n), upsert('b', { $set: { n: 1 } }, 1n)]);
      // In a later batch (cached, plain) and in the same batch as its creation.
      const at = new Date('2024-01-02T03:04:05.000Z');
      await first.commit('accounts', 3n, [upsert('a', { $set: { at } }, 2n), upsert('c', { $inc: { n: 1 } }, 2n), upsert('c', { $set: { at } }, 3n)]);
      await first.close();
      const reopened = await EmbeddedReadStore.open(path);
      try {
        // Decoded plain, then given a Date.
        await reopened.commit('accounts', 4n, [upsert('b', { $set: { at } }, 4n)]);
        await reopened.close();
        const again = await EmbeddedReadStore.open(path);
        try {
          expect(await again.find('accounts', {}, { sort: { _id: 1 } })).toEqual(['a', 'b', 'c'].map((_id) => ({ _id, n: 1, at })));
        } finally {
          await again.close();
        }
      } finally {
        await reopened.close();
      }
    });

    it('moves index entries when an indexed value changes (one key for another), across reopen', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.ensureIndex('accounts', { kind: 1, level: 1 });
      await first.commit('accounts', 1n, [upsert('a', { $set: { kind: 'x', level: 1 } }, 1n), upsert('b', { $set: { kind: 'x', level: 1 } }, 1n)]);
      await first.commit('accounts', 2n, [upsert('a', { $max: { level: 5 } }, 2n)]);
      await first.close();
      const reopened = await EmbeddedReadStore.open(path);
      try {
        await reopened.ensureIndex('accounts', { kind: 1, level: 1 });
        expect(await reopened.find('accounts', { kind: 'x', level: 1 })).toEqual([{ _id: 'b', kind: 'x', level: 1 }]);
        expect(await reopened.find('accounts', { kind: 'x', level: { $gt: 1 } })).toEqual([{ _id: 'a', kind: 'x', level: 5 }]);
      } finally {
        await reopened.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT k0, k1, id FROM ix_1 ORDER BY id').all()).toEqual([
          { k0: 'x', k1: 5, id: 'a' },
          { k0: 'x', k1: 1, id: 'b' },
        ]);
      } finally {
        db.close();
      }
    });

    it('adds the new index entry when the old one to move is not in the file (as removing then adding would)', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.ensureIndex('accounts', { kind: 1, level: 1 });
      await first.commit('accounts', 1n, [upsert('a', { $set: { kind: 'x', level: 1 } }, 1n)]);
      await first.close();
      const db = new Database(path);
      try {
        expect(db.prepare('DELETE FROM ix_1').run().changes).toBe(1);
      } finally {
        db.close();
      }
      const reopened = await EmbeddedReadStore.open(path);
      try {
        await reopened.ensureIndex('accounts', { kind: 1, level: 1 });
        await reopened.commit('accounts', 2n, [upsert('a', { $max: { level: 5 } }, 2n)]);
        expect(await reopened.find('accounts', { kind: 'x', level: 5 })).toEqual([{ _id: 'a', kind: 'x', level: 5 }]);
      } finally {
        await reopened.close();
      }
    });
  });

  describe('ids after every id on file (new ones, e.g. positions) are not looked up', () => {
    let lookedUp: string[];
    beforeEach(() => {
      lookedUp = [];
      const bodies = SqliteDocumentFile.prototype.bodies;
      jest.spyOn(SqliteDocumentFile.prototype, 'bodies').mockImplementation(function (this: SqliteDocumentFile, collection, ids) {
        lookedUp.push(...ids);
        return bodies.call(this, collection, ids);
      });
    });
    afterEach(() => jest.restoreAllMocks());

    it('looks up only the ids that may be on file, before and after reopen and reset', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path, { cacheBytes: 0 });
      await first.commit('p', 2n, [upsert('h01', { $inc: { n: 1 } }, 1n), upsert('h02', { $inc: { n: 1 } }, 2n)]);
      expect(lookedUp).toEqual([]);
      await first.commit('p', 4n, [upsert('h01', { $inc: { n: 1 } }, 3n), upsert('h03', { $inc: { n: 1 } }, 4n)]);
      expect(lookedUp).toEqual(['h01']);
      await first.close();

      const reopened = await EmbeddedReadStore.open(path, { cacheBytes: 0 });
      try {
        lookedUp = [];
        await reopened.commit('p', 6n, [upsert('h04', { $inc: { n: 1 } }, 5n), upsert('h03', { $inc: { n: 1 } }, 6n), upsert('h00', { $inc: { n: 1 } }, 6n)]);
        expect(lookedUp.sort()).toEqual(['h00', 'h03']);
        expect(await reopened.find('accounts', {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'h00', n: 1 },
          { _id: 'h01', n: 2 },
          { _id: 'h02', n: 1 },
          { _id: 'h03', n: 2 },
          { _id: 'h04', n: 1 },
        ]);
        await reopened.reset(['accounts'], ['p']);
        lookedUp = [];
        await reopened.commit('p', 7n, [upsert('h00', { $inc: { n: 1 } }, 7n)]);
        expect(lookedUp).toEqual([]);
        expect(await reopened.find('accounts')).toEqual([{ _id: 'h00', n: 1 }]);
      } finally {
        await reopened.close();
      }
    });

    it('writes the documents and index entries of a commit that creates many, several rows per statement', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.ensureIndex('accounts', { kind: 1 });
      const count = 3 * ROWS_PER_INSERT + 5;
      // Every fifth holds two kinds (two entries of one document).
      const kindOf = (i: number) => (i % 5 === 0 ? [`k${i % 3}`, 'extra'] : `k${i % 3}`);
      await first.commit(
        'p',
        1n,
        Array.from({ length: count }, (_, i) => upsert(`c${String(i).padStart(4, '0')}`, { $set: { kind: kindOf(i), n: i } }, 1n)),
      );
      await first.close();
      const reopened = await EmbeddedReadStore.open(path, { cacheBytes: 0 });
      try {
        await reopened.ensureIndex('accounts', { kind: 1 });
        expect(await reopened.count('accounts')).toBe(count);
        for (const kind of ['k0', 'k1', 'k2', 'extra']) {
          const expected = Array.from({ length: count }, (_, i) => i).filter((i) => [kindOf(i)].flat().includes(kind));
          expect((await reopened.find('accounts', { kind }, { sort: { _id: 1 } })).map((doc) => doc.n)).toEqual(expected);
        }
      } finally {
        await reopened.close();
      }
    });

    it('orders ids as the file does (UTF-8), not as JavaScript does (UTF-16)', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      // '\ue000' > '😀' in JavaScript, but not in the file: an existing '\ue000' must be found, not created again.
      await first.commit('p', 1n, [upsert('\ue000', { $inc: { n: 1 } }, 1n), upsert('😀', { $inc: { n: 1 } }, 1n)]);
      await first.close();
      const reopened = await EmbeddedReadStore.open(path, { cacheBytes: 0 });
      try {
        await reopened.commit('p', 2n, [upsert('\ue000', { $inc: { n: 1 } }, 2n)]);
        expect(await reopened.findOne('accounts', { _id: '\ue000' })).toEqual({ _id: '\ue000', n: 2 });
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
      await store.ensureIndex('accounts', { n: 1 });
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
        // Index entries too: n is found where it was, not where the failed batch put it.
        expect(await s.find('accounts', { n: 1 })).toEqual([{ _id: 'a', n: 1 }]);
        expect(await s.find('accounts', { n: { $gte: 3 } })).toEqual([]);
      };
      await expectUnchanged(store);
      await store.close();
      const reopened = await EmbeddedReadStore.open(path);
      await expectUnchanged(reopened);
      await reopened.close();
    });
  });

  describe('commits edit cached documents in place only while no reader holds them', () => {
    it('leaves what a read-only reader holds, nested values included, as it was', async () => {
      const store = await EmbeddedReadStore.open(freshPath());
      try {
        await store.commit('accounts', 1n, [upsert('a', { $set: { n: 1, tags: ['x'], by: { u1: 1 } } }, 1n)]);
        const [held] = await store.find('accounts', { _id: 'a' }, { readOnly: true });
        const heldTags = held.tags;
        const heldBy = held.by;
        await store.commit('accounts', 2n, [upsert('a', { $inc: { n: 1, 'by.u1': 1 }, $push: { tags: 'y' } }, 2n)]);
        await store.commit('accounts', 3n, [upsert('a', { $inc: { 'by.u2': 5 }, $addToSet: { tags: 'z' } }, 3n)]);

        expect(held).toEqual({ _id: 'a', n: 1, tags: ['x'], by: { u1: 1 } });
        expect(held.tags).toBe(heldTags);
        expect(heldBy).toEqual({ u1: 1 });
        expect(await store.findOne('accounts', { _id: 'a' })).toEqual({ _id: 'a', n: 2, tags: ['x', 'y', 'z'], by: { u1: 2, u2: 5 } });
      } finally {
        await store.close();
      }
    });

    it('keeps index entries right when an indexed field of a document edited in place changes', async () => {
      const store = await EmbeddedReadStore.open(freshPath());
      try {
        await store.ensureIndex('accounts', { n: 1 });
        await store.commit('accounts', 1n, [upsert('a', { $set: { n: 1 } }, 1n)]);
        // Not handed to any reader: edited in place, twice in one batch.
        await store.commit('accounts', 3n, [upsert('a', { $inc: { n: 1 } }, 2n), upsert('a', { $inc: { n: 1 } }, 3n)]);

        expect(await store.find('accounts', { n: 1 })).toEqual([]);
        expect(await store.find('accounts', { n: 3 })).toEqual([{ _id: 'a', n: 3 }]);
        expect(await store.find('accounts', { n: { $gte: 1 } })).toEqual([{ _id: 'a', n: 3 }]);
      } finally {
        await store.close();
      }
    });

    it('drops what a failed commit edited in place, so that readers see the committed document', async () => {
      const store = await EmbeddedReadStore.open(freshPath());
      try {
        await store.commit('accounts', 1n, [upsert('a', { $set: { n: 1, list: [1] } }, 1n)]);
        const attempt = store.commit('accounts', 3n, [upsert('a', { $inc: { n: 1 }, $push: { list: 2 } }, 2n), upsert('b', { $set: { big: 1n } }, 3n)]);
        await expect(attempt).rejects.toThrow();

        expect(await store.find('accounts', { _id: 'a' }, { readOnly: true })).toEqual([{ _id: 'a', n: 1, list: [1] }]);
        await store.commit('accounts', 3n, [upsert('a', { $inc: { n: 1 } }, 3n)]);
        expect(await store.findOne('accounts', { _id: 'a' })).toEqual({ _id: 'a', n: 2, list: [1] });
      } finally {
        await store.close();
      }
    });
  });

  describe('indexes (exotic values)', () => {
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

  describe('memory', () => {
    const many = (count: number, from = 0): WriteOp[] =>
      Array.from({ length: count }, (_, i) =>
        upsert(`d${String(from + i).padStart(4, '0')}`, { $set: { status: i % 2 ? 'ACTIVE' : 'CLOSED', pad: 'x'.repeat(200) } }, BigInt(from + i + 1)),
      );

    it('a commit of more than LARGE_COMMIT_DOCUMENTS documents caches those it updated, not those it created', async () => {
      const store = await EmbeddedReadStore.open(freshPath());
      try {
        await store.commit('p', 2n, many(2));
        expect(store.cacheUsage().documents).toBe(2);
        const large = [...many(2).map((op) => ({ ...op, position: op.position + 5000n })), ...many(LARGE_COMMIT_DOCUMENTS, 2)];
        await store.commit('p', 6000n, large);
        expect(store.cacheUsage().documents).toBe(2);
        // The created ones are read from the file, whole.
        expect(await store.count('accounts')).toBe(LARGE_COMMIT_DOCUMENTS + 2);
        expect(await store.findOne('accounts', { _id: 'd0500' })).toMatchObject({ _id: 'd0500', pad: 'x'.repeat(200) });
      } finally {
        await store.close();
      }
    });

    it('decodes nothing when it opens: documents are read when first used', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.commit('accounts', 100n, many(100));
      expect(first.cacheUsage().documents).toBe(100);
      await first.close();

      const reopened = await EmbeddedReadStore.open(path);
      try {
        expect(reopened.cacheUsage()).toMatchObject({ documents: 0, bytes: 0 });
        expect(await reopened.checkpoint('accounts')).toBe(100n);
        expect(await reopened.findOne('accounts', { _id: 'd0042' })).toMatchObject({ status: 'CLOSED' });
        expect(reopened.cacheUsage().documents).toBe(1);
      } finally {
        await reopened.close();
      }
    });

    it('stays within its cache, evicting the least recently used, and answers from the file what it evicted', async () => {
      const store = await EmbeddedReadStore.open(freshPath(), { cacheBytes: 8 * 1024 });
      try {
        await store.ensureIndex('accounts', { status: 1 });
        await store.commit('accounts', 200n, many(200));
        const usage = store.cacheUsage();
        expect(usage.bytes).toBeLessThanOrEqual(8 * 1024);
        expect(usage.documents).toBeGreaterThan(0);
        expect(usage.documents).toBeLessThan(200);

        expect(await store.count('accounts', { status: 'ACTIVE' })).toBe(100);
        const all = await store.find('accounts', {}, { sort: { _id: 1 } });
        expect(all.map((doc) => doc._id)).toEqual(many(200).map((op) => (op.kind === 'upsert' ? op.id : '')));
        // Updates of evicted documents start from their stored state.
        await store.commit('accounts', 201n, [
          { kind: 'update', collection: 'accounts', filter: { status: 'CLOSED' }, update: { $inc: { n: 1 } }, position: 201n },
        ]);
        expect(await store.count('accounts', { n: 1 })).toBe(100);
        expect(await store.count('accounts', { status: 'CLOSED', n: 1 })).toBe(100);
        expect(store.cacheUsage().bytes).toBeLessThanOrEqual(8 * 1024);
      } finally {
        await store.close();
      }
    });

    it('caches nothing of a query that decodes many documents, so that it does not push out what lookups reuse', async () => {
      const path = freshPath();
      const first = await EmbeddedReadStore.open(path);
      await first.commit('accounts', 1000n, many(1000));
      await first.close();

      const store = await EmbeddedReadStore.open(path, { cacheBytes: 64 * 1024 * 1024 });
      try {
        await store.findOne('accounts', { _id: 'd0999' });
        expect(store.cacheUsage().documents).toBe(1);
        expect(await store.find('accounts', {}, { readOnly: true })).toHaveLength(1000);
        expect(store.cacheUsage().documents).toBe(1);
        // A small query's documents are kept.
        expect(await store.find('accounts', { _id: { $lt: 'd0010' } })).toHaveLength(10);
        expect(store.cacheUsage().documents).toBe(11);
        expect(await store.find('accounts', { _id: { $lt: `d${String(CACHE_FILL_PER_QUERY + 50).padStart(4, '0')}` } })).toHaveLength(
          CACHE_FILL_PER_QUERY + 50,
        );
        expect(store.cacheUsage().documents).toBe(11);
      } finally {
        await store.close();
      }
    });
  });

  describe('upgrade of a file written before documents stayed on disk', () => {
    /** A read-models.sqlite as the previous adapter wrote it: two tables, bodies with their position. */
    function writeFormat1(path: string): void {
      mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec(`
        CREATE TABLE docs (collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (collection, id));
        CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL);
      `);
      const put = db.prepare('INSERT INTO docs (collection, id, body) VALUES (?, ?, ?)');
      put.run(
        'users',
        'u1',
        JSON.stringify({ _id: 'u1', _pos: '00000000000000000001', accountId: 'a1', emailNormalized: 'ann@example.com', registeredAt: '2025-01-01' }),
      );
      put.run(
        'users',
        'u2',
        JSON.stringify({ _id: 'u2', _pos: '00000000000000000002', accountId: 'a1', emailNormalized: 'bob@example.com', groupIds: ['g1'] }),
      );
      put.run('users', 'u3', JSON.stringify({ _id: 'u3', _pos: '00000000000000000003', accountId: 'a2', emailNormalized: 'cy@example.com' }));
      put.run(
        'sessions',
        's1',
        JSON.stringify({ _id: 's1', _pos: '00000000000000000004', startedAt: { $date: '2025-01-02T03:04:05.000Z' }, activeKey: 'a1|p' }),
      );
      db.prepare('INSERT INTO checkpoints (projection, position) VALUES (?, ?)').run('read-models', '4');
      db.close();
    }

    it('opens, answers as before, and builds each declared index once, logged', async () => {
      const path = freshPath();
      writeFormat1(path);
      const logged: { details: object; message: string }[] = [];
      const logger = { info: (details: object, message: string) => void logged.push({ details, message }) };

      const store = await EmbeddedReadStore.open(path, { logger });
      try {
        expect(logged).toEqual([{ details: expect.objectContaining({ from: 1, to: 2, documents: 4 }), message: expect.stringMatching(/upgraded/) }]);
        expect(await store.checkpoint('read-models')).toBe(4n);
        expect(await store.find('users', { accountId: 'a1' }, { sort: { _id: 1 } })).toEqual([
          { _id: 'u1', accountId: 'a1', emailNormalized: 'ann@example.com', registeredAt: '2025-01-01' },
          { _id: 'u2', accountId: 'a1', emailNormalized: 'bob@example.com', groupIds: ['g1'] },
        ]);

        await store.ensureIndex('users', { accountId: 1 });
        await store.ensureIndex('users', { emailNormalized: 1 });
        await store.ensureIndex('sessions', { activeKey: 1 });
        expect(logged.slice(1).map(({ details }) => details)).toEqual([
          expect.objectContaining({ collection: 'users', fields: ['accountId'], documents: 3 }),
          expect.objectContaining({ collection: 'users', fields: ['emailNormalized'], documents: 3 }),
          expect.objectContaining({ collection: 'sessions', fields: ['activeKey'], documents: 1 }),
        ]);
        expect((await store.find('users', { accountId: 'a1' })).map((doc) => doc._id).sort()).toEqual(['u1', 'u2']);
        expect(await store.findOne('users', { emailNormalized: 'cy@example.com' })).toMatchObject({ _id: 'u3' });
        expect(await store.findOne('sessions', { activeKey: 'a1|p' })).toEqual({
          _id: 's1',
          startedAt: new Date('2025-01-02T03:04:05.000Z'),
          activeKey: 'a1|p',
        });
        // The positions of the old file still guard: an old write is skipped, a new one applied.
        await store.commit('read-models', 5n, [
          upsert('u1', { $set: { accountId: 'stale' } }, 1n),
          { kind: 'upsert', collection: 'users', id: 'u3', update: { $set: { accountId: 'a1' } }, position: 5n },
        ]);
        expect((await store.find('users', { accountId: 'a1' })).map((doc) => doc._id).sort()).toEqual(['u1', 'u2', 'u3']);
      } finally {
        await store.close();
      }

      logged.length = 0;
      const reopened = await EmbeddedReadStore.open(path, { logger });
      try {
        await reopened.ensureIndex('users', { accountId: 1 });
        await reopened.ensureIndex('sessions', { activeKey: 1 });
        expect(logged).toEqual([]);
        expect(await reopened.count('users', { accountId: 'a1' })).toBe(3);
      } finally {
        await reopened.close();
      }
    });

    it('refuses a file written by a newer format instead of misreading it', async () => {
      const path = freshPath();
      await (await EmbeddedReadStore.open(path)).close();
      const db = new Database(path);
      db.prepare("UPDATE store_meta SET value = '99' WHERE key = 'format'").run();
      db.close();
      await expect(EmbeddedReadStore.open(path)).rejects.toThrow(/format 99/);
    });
  });
});
