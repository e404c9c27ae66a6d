/**
 * The behaviour every ReadStore adapter must show, written once and run by each
 * adapter's spec. Collection and projection names are unique per test, so the
 * suite can share one MongoDB database.
 */
import { randomUUID } from 'node:crypto';
import type { Doc, Filter, ReadStore, Update, WriteOp } from './read-store.port';

/**
 * `open` gives a store on fresh or shared data; `reopen` closes a store and opens
 * the same data again (a restart of the query app between writes and reads).
 */
export function readStoreContract(name: string, open: () => Promise<ReadStore>, reopen: (store: ReadStore) => Promise<ReadStore>): void {
  describe(`${name}: read store contract`, () => {
    let store: ReadStore;
    let collection: string;
    let projection: string;

    beforeEach(async () => {
      store = await open();
      const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
      collection = `contract_${suffix}`;
      projection = `projection_${suffix}`;
    });
    afterEach(async () => {
      await store.close();
    });

    const upsert = (id: string, update: Update, position: bigint, into = collection): WriteOp => ({
      kind: 'upsert',
      collection: into,
      id,
      update,
      position,
    });
    const update = (filter: Filter, change: Update, position: bigint): WriteOp => ({
      kind: 'update',
      collection,
      filter,
      update: change,
      position,
    });
    const remove = (filter: Filter, position: bigint): WriteOp => ({ kind: 'delete', collection, filter, position });
    /** Commits ops with the checkpoint at their highest position. */
    const commit = (...ops: WriteOp[]): Promise<void> =>
      store.commit(
        projection,
        ops.reduce((max, op) => (op.position > max ? op.position : max), 0n),
        ops,
      );
    const byId = (id: string): Promise<Doc | null> => store.findOne(collection, { _id: id });

    describe('writes', () => {
      it('upsert creates the document, then updates it', async () => {
        await commit(upsert('a', { $set: { name: 'Alpha', seats: 1 } }, 1n));
        expect(await byId('a')).toEqual({ _id: 'a', name: 'Alpha', seats: 1 });

        await commit(upsert('a', { $set: { name: 'Beta' } }, 2n));
        expect(await byId('a')).toEqual({ _id: 'a', name: 'Beta', seats: 1 });
      });

      it('applies $setOnInsert only when the upsert creates the document', async () => {
        await commit(upsert('a', { $setOnInsert: { createdAt: 't1' }, $set: { v: 1 } }, 1n));
        await commit(upsert('a', { $setOnInsert: { createdAt: 't2' }, $set: { v: 2 } }, 2n));
        expect(await byId('a')).toEqual({ _id: 'a', createdAt: 't1', v: 2 });
      });

      it('applies update operators as MongoDB does', async () => {
        await commit(
          upsert(
            'a',
            {
              $set: {
                n: 1,
                tags: ['x'],
                log: ['e0'],
                items: [{ k: 1 }, { k: 2 }],
                numbers: [1, 2, 3, 2],
                gone: true,
                hi: 5,
                lo: 5,
              },
            },
            1n,
          ),
        );
        await commit(
          upsert(
            'a',
            {
              $inc: { n: 2, fresh: 3 },
              $push: { log: { $each: ['e1', 'e2'] } },
              $addToSet: { tags: { $each: ['x', 'y'] } },
              $unset: { gone: '' },
              $pull: { items: { k: 1 }, numbers: 2 },
              $max: { hi: 3 },
              $min: { lo: 2 },
              $set: { 'plan.tier': 'gold' },
            },
            2n,
          ),
        );
        expect(await byId('a')).toEqual({
          _id: 'a',
          n: 3,
          fresh: 3,
          tags: ['x', 'y'],
          log: ['e0', 'e1', 'e2'],
          items: [{ k: 2 }],
          numbers: [1, 3],
          hi: 5,
          lo: 2,
          plan: { tier: 'gold' },
        });
      });

      it('takes a numeric part of a path as a key of an object, created where missing (usagePeaks by slot)', async () => {
        await commit(upsert('a', { $max: { 'slots.20': 5, 'slots.3': 1 }, $inc: { 'counts.7': 2 } }, 1n));
        await commit(upsert('a', { $max: { 'slots.20': 4, 'slots.143': 9 }, $inc: { 'counts.7': 1 } }, 2n));
        const doc = await byId('a');
        expect(doc).toEqual({ _id: 'a', slots: { '3': 1, '20': 5, '143': 9 }, counts: { '7': 3 } });
        expect(Array.isArray(doc?.slots)).toBe(false);
      });

      it('update changes every document its filter matches, and only those', async () => {
        await commit(
          upsert('a', { $set: { status: 'ACTIVE' } }, 1n),
          upsert('b', { $set: { status: 'ACTIVE' } }, 2n),
          upsert('c', { $set: { status: 'SUSPENDED' } }, 3n),
        );
        await commit(update({ status: 'ACTIVE' }, { $set: { flagged: true }, $inc: { touches: 1 } }, 4n));

        expect(await store.find(collection, { flagged: true }, { sort: { _id: 1 } })).toEqual([
          { _id: 'a', status: 'ACTIVE', flagged: true, touches: 1 },
          { _id: 'b', status: 'ACTIVE', flagged: true, touches: 1 },
        ]);
        expect(await byId('c')).toEqual({ _id: 'c', status: 'SUSPENDED' });
      });

      it('update matching nothing creates nothing', async () => {
        await commit(update({ _id: 'missing' }, { $set: { x: 1 } }, 1n));
        expect(await store.count(collection)).toBe(0);
      });

      it('delete removes the documents its filter matches', async () => {
        await commit(
          upsert('a', { $set: { status: 'ACTIVE' } }, 1n),
          upsert('b', { $set: { status: 'ACTIVE' } }, 2n),
          upsert('c', { $set: { status: 'SUSPENDED' } }, 3n),
        );
        await commit(remove({ status: 'ACTIVE' }, 4n));

        expect(await byId('a')).toBeNull();
        expect(await store.find(collection)).toEqual([{ _id: 'c', status: 'SUSPENDED' }]);
      });

      it('applies the ops of one batch in order', async () => {
        await commit(
          upsert('a', { $set: { n: 1 } }, 1n),
          update({ _id: 'a' }, { $inc: { n: 10 } }, 2n),
          upsert('b', { $set: { n: 1 } }, 3n),
          remove({ _id: 'b' }, 4n),
        );
        expect(await store.find(collection)).toEqual([{ _id: 'a', n: 11 }]);
      });
    });

    describe('queries', () => {
      beforeEach(async () => {
        await commit(
          upsert('acc-1', { $set: { status: 'ACTIVE', seats: 5, plan: { tier: 'gold' }, tags: ['eu'] } }, 1n),
          upsert('acc-2', { $set: { status: 'SUSPENDED', seats: 10, plan: { tier: 'silver' }, tags: ['us'] } }, 2n),
          upsert('acc-3', { $set: { status: 'ACTIVE', seats: 20, plan: { tier: 'gold' }, tags: ['eu', 'us'] } }, 3n),
          upsert('acc-4', { $set: { status: 'CLOSED', seats: 1, plan: { tier: 'bronze' }, tags: [] } }, 4n),
        );
      });
      const ids = (docs: Doc[]): string[] => docs.map((doc) => doc._id);

      it('filters with $in, $gte, nested fields and array membership', async () => {
        const sorted = { sort: { _id: 1 as const } };
        expect(ids(await store.find(collection, { status: { $in: ['ACTIVE', 'CLOSED'] } }, sorted))).toEqual(['acc-1', 'acc-3', 'acc-4']);
        expect(ids(await store.find(collection, { seats: { $gte: 10 } }, sorted))).toEqual(['acc-2', 'acc-3']);
        expect(ids(await store.find(collection, { 'plan.tier': 'gold' }, sorted))).toEqual(['acc-1', 'acc-3']);
        expect(ids(await store.find(collection, { tags: 'us', seats: { $lt: 20 } }, sorted))).toEqual(['acc-2']);
      });

      it('sorts, skips and limits', async () => {
        const bySeatsDesc = { sort: { seats: -1 as const } };
        expect(ids(await store.find(collection, {}, bySeatsDesc))).toEqual(['acc-3', 'acc-2', 'acc-1', 'acc-4']);
        expect(ids(await store.find(collection, {}, { ...bySeatsDesc, limit: 2 }))).toEqual(['acc-3', 'acc-2']);
        expect(ids(await store.find(collection, {}, { ...bySeatsDesc, skip: 1, limit: 2 }))).toEqual(['acc-2', 'acc-1']);
        expect(ids(await store.find(collection, {}, { sort: { status: 1, seats: -1 } }))).toEqual(['acc-3', 'acc-1', 'acc-4', 'acc-2']);
      });

      it('answers a read-only find with the same documents', async () => {
        const sorted = { sort: { _id: 1 as const } };
        expect(await store.find(collection, { seats: { $gte: 10 } }, { ...sorted, readOnly: true })).toEqual(
          await store.find(collection, { seats: { $gte: 10 } }, sorted),
        );
      });

      it('findOne returns the match or null', async () => {
        expect(await store.findOne(collection, { seats: 10 })).toEqual({
          _id: 'acc-2',
          status: 'SUSPENDED',
          seats: 10,
          plan: { tier: 'silver' },
          tags: ['us'],
        });
        expect(await store.findOne(collection, { status: 'NOPE' })).toBeNull();
      });

      it('counts', async () => {
        expect(await store.count(collection)).toBe(4);
        expect(await store.count(collection, { status: 'ACTIVE' })).toBe(2);
        expect(await store.count(collection, { seats: { $gt: 100 } })).toBe(0);
      });

      it('treats an unknown collection as empty', async () => {
        expect(await store.find(`${collection}_none`)).toEqual([]);
        expect(await store.findOne(`${collection}_none`, {})).toBeNull();
        expect(await store.count(`${collection}_none`)).toBe(0);
      });

      it('keeps answering correctly over an index as indexed fields change', async () => {
        await store.ensureIndex(collection, { status: 1, seats: -1 });
        await commit(
          upsert('acc-1', { $set: { status: 'CLOSED' } }, 5n),
          update({ status: 'SUSPENDED' }, { $set: { status: 'ACTIVE' } }, 6n),
          remove({ _id: 'acc-3' }, 7n),
          upsert('acc-5', { $set: { status: 'ACTIVE', seats: 2 } }, 8n),
        );
        const sorted = { sort: { _id: 1 as const } };
        expect(ids(await store.find(collection, { status: 'ACTIVE' }, sorted))).toEqual(['acc-2', 'acc-5']);
        expect(ids(await store.find(collection, { status: 'CLOSED' }, sorted))).toEqual(['acc-1', 'acc-4']);
        expect(await store.count(collection, { status: 'SUSPENDED' })).toBe(0);
      });
    });

    describe('indexes', () => {
      /**
       * The same documents in an indexed and an unindexed collection: every query
       * must answer the same from both, whatever the index narrows or cannot serve.
       */
      const plain = (): string => `${collection}_plain`;
      const indexes: Record<string, 1 | -1>[] = [
        { status: 1 },
        { seats: -1 },
        { 'plan.tier': 1 },
        { tags: 1 },
        { accountId: 1, day: 1 },
        { accountId: 1, p: 1 },
        { at: 1 },
      ];
      const documents: Record<string, Update> = {
        d01: { $set: { accountId: 'a1', day: '2025-01-01', p: 1, status: 'ACTIVE', seats: 5, plan: { tier: 'gold' }, tags: ['eu', 'us'] } },
        d02: { $set: { accountId: 'a1', day: '2025-01-02', p: 2, status: 'SUSPENDED', seats: 10, plan: { tier: 'silver' }, tags: ['us'] } },
        d03: { $set: { accountId: 'a1', day: '2025-01-03', p: 3, status: 'ACTIVE', seats: 20, plan: [{ tier: 'gold' }, { tier: 'bronze' }], tags: [] } },
        d04: { $set: { accountId: 'a2', day: '2025-01-01', p: 4, status: 'CLOSED', seats: 1, plan: null, tags: 'eu' } },
        d05: { $set: { accountId: 'a2', day: '2025-01-02', p: 5, status: 'active', seats: '10', plan: { tier: 'gold' } } },
        d06: { $set: { accountId: 'a2', day: 20250103, p: 6, status: true, seats: 0 } },
        d07: { $set: { accountId: 'a1', p: 7, status: null, seats: 7.5, at: new Date('2025-01-02T00:00:00.000Z') } },
        d08: { $set: { day: '2025-01-02', p: 8, status: 'ACTIVE', seats: -3, at: '2025-01-02T00:00:00.000Z' } },
        d09: { $set: { accountId: 'a1', day: '2025-01-02', p: 9, status: 'ACTIVE', seats: 12 } },
      };
      const filters: Filter[] = [
        { status: 'ACTIVE' },
        { status: { $eq: 'ACTIVE' } },
        { status: 'active' },
        { status: { $in: ['ACTIVE', 'CLOSED', 'NOPE'] } },
        { status: null },
        { status: true },
        { status: { $ne: 'ACTIVE' } },
        { seats: 10 },
        { seats: '10' },
        { seats: { $gte: 5, $lte: 12 } },
        { seats: { $gt: 5 } },
        { seats: { $lt: 5 } },
        { seats: { $gte: '1' } },
        { seats: { $gte: 1, $lt: '9' } },
        { 'plan.tier': 'gold' },
        { 'plan.tier': { $in: ['bronze', 'silver'] } },
        { tags: 'eu' },
        { tags: { $gt: 'f' } },
        // Each bound met by another element of ['eu', 'us']: a match, as in MongoDB.
        { tags: { $gt: 'eu', $lt: 'us' } },
        { tags: { $in: ['us'] }, seats: { $lt: 10 } },
        { accountId: 'a1' },
        { accountId: 'a1', day: '2025-01-02' },
        { accountId: 'a1', day: { $gte: '2025-01-02', $lte: '2025-01-03' } },
        { accountId: 'a2', day: { $gte: 20250101 } },
        { accountId: { $in: ['a1', 'a2'] }, day: '2025-01-01' },
        { accountId: 'a1', p: { $gt: 2 } },
        { accountId: 'a1', _id: { $gt: 'd02' } },
        { _id: { $gte: 'd03', $lt: 'd07' } },
        { _id: { $in: ['d01', 'd04', 'nope'] }, status: 'ACTIVE' },
        { at: '2025-01-02T00:00:00.000Z' },
        { at: new Date('2025-01-02T00:00:00.000Z') },
        { at: { $gte: new Date('2025-01-01T00:00:00.000Z') } },
        { status: 'ACTIVE', $or: [{ seats: { $gte: 20 } }, { tags: 'eu' }] },
        { accountId: 'a1', status: { $in: ['ACTIVE'] }, seats: { $gte: 10 } },
      ];

      /** Writes the documents into `into`, declaring the indexes before the writes, after them, or never. */
      async function fill(into: string, indexed: 'before' | 'after' | 'never'): Promise<void> {
        if (indexed === 'before') for (const fields of indexes) await store.ensureIndex(into, fields);
        const ops = Object.entries(documents).map(([id, change], i) => upsert(id, change, BigInt(i + 1), into));
        await store.commit(`${projection}_${into}`, BigInt(ops.length), ops);
        if (indexed === 'after') for (const fields of indexes) await store.ensureIndex(into, fields);
      }

      /** Every filter, sorted, limited and counted, answered from `indexed` as from the unindexed collection. */
      async function expectSameAnswers(indexed: string): Promise<void> {
        for (const filter of filters) {
          const expected = await store.find(plain(), filter, { sort: { _id: 1 } });
          expect({ filter, docs: await store.find(indexed, filter, { sort: { _id: 1 } }) }).toEqual({ filter, docs: expected });
          expect({ filter, count: await store.count(indexed, filter) }).toEqual({ filter, count: expected.length });
          const page = { sort: { _id: -1 as const }, skip: 1, limit: 2 };
          expect({ filter, page: await store.find(indexed, filter, page) }).toEqual({ filter, page: await store.find(plain(), filter, page) });
        }
      }

      it('answer every query as an unindexed collection does, whether declared before or after the writes', async () => {
        await fill(plain(), 'never');
        await fill(collection, 'before');
        await fill(`${collection}_late`, 'after');
        await expectSameAnswers(collection);
        await expectSameAnswers(`${collection}_late`);
        const ids = (docs: Doc[]): string[] => docs.map((doc) => doc._id);
        expect(ids(await store.find(collection, { status: 'ACTIVE' }, { sort: { _id: 1 } }))).toEqual(['d01', 'd03', 'd08', 'd09']);
        expect(ids(await store.find(collection, { accountId: 'a1', day: { $gte: '2025-01-02' } }, { sort: { _id: 1 } }))).toEqual(['d02', 'd03', 'd09']);
        expect(ids(await store.find(collection, { tags: 'eu' }, { sort: { _id: 1 } }))).toEqual(['d01', 'd04']);
      });

      it('stay in step as writes change, add and remove indexed values', async () => {
        await fill(plain(), 'never');
        await fill(collection, 'before');
        const changes = (into: string): WriteOp[] => [
          { kind: 'update', collection: into, filter: { status: 'SUSPENDED' }, update: { $set: { status: 'ACTIVE', seats: 11 } }, position: 20n },
          {
            kind: 'update',
            collection: into,
            filter: { accountId: 'a1', day: { $gte: '2025-01-03' } },
            update: { $set: { day: '2024-12-31' }, $inc: { p: 100 } },
            position: 21n,
          },
          upsert('d01', { $push: { tags: 'apac' }, $set: { 'plan.tier': 'silver' } }, 22n, into),
          upsert('d04', { $unset: { status: '' }, $set: { tags: ['us'] } }, 23n, into),
          upsert('d10', { $set: { status: 'ACTIVE', seats: 10, tags: ['eu'], accountId: 'a1', day: '2025-01-02', p: 24 } }, 24n, into),
          { kind: 'delete', collection: into, filter: { seats: { $lt: 1 } }, position: 25n },
          { kind: 'delete', collection: into, filter: { _id: 'd09' }, position: 26n },
          upsert('d07', { $pull: { tags: 'x' }, $set: { status: 'CLOSED', accountId: 'a3' } }, 27n, into),
        ];
        await store.commit(`${projection}_${plain()}`, 30n, changes(plain()));
        await store.commit(`${projection}_${collection}`, 30n, changes(collection));
        await expectSameAnswers(collection);
        const ids = async (filter: Filter): Promise<string[]> => (await store.find(collection, filter, { sort: { _id: 1 } })).map((doc) => doc._id);
        expect(await ids({ status: 'ACTIVE' })).toEqual(['d01', 'd02', 'd03', 'd10']);
        expect(await ids({ tags: 'apac' })).toEqual(['d01']);
        expect(await ids({ 'plan.tier': 'gold' })).toEqual(['d03', 'd05']);
        expect(await ids({ accountId: 'a1', day: '2024-12-31' })).toEqual(['d03']);
        expect(await ids({ seats: { $lt: 1 } })).toEqual([]);
        expect(await ids({ accountId: 'a3' })).toEqual(['d07']);
        expect(await ids({ accountId: 'a1', p: { $gt: 20 } })).toEqual(['d03', 'd10']);
      });

      it('walk an indexed prefix in _id order with skip and limit, both ways', async () => {
        await store.ensureIndex(collection, { accountId: 1 });
        const ops = Array.from({ length: 30 }, (_, i) =>
          upsert(`e${String(i).padStart(2, '0')}`, { $set: { accountId: i % 3 === 0 ? 'a1' : 'a2', n: i } }, BigInt(i + 1)),
        );
        await commit(...ops);
        const ids = (docs: Doc[]): string[] => docs.map((doc) => doc._id);
        expect(ids(await store.find(collection, { accountId: 'a1' }, { sort: { _id: 1 }, limit: 3 }))).toEqual(['e00', 'e03', 'e06']);
        expect(ids(await store.find(collection, { accountId: 'a1' }, { sort: { _id: 1 }, skip: 2, limit: 2 }))).toEqual(['e06', 'e09']);
        expect(ids(await store.find(collection, { accountId: 'a1', _id: { $gt: 'e09' } }, { sort: { _id: 1 }, limit: 2 }))).toEqual(['e12', 'e15']);
        expect(ids(await store.find(collection, { accountId: 'a1' }, { sort: { _id: -1 }, limit: 2 }))).toEqual(['e27', 'e24']);
        expect(ids(await store.find(collection, { accountId: 'a1', n: { $in: [9, 21, 22] } }, { sort: { _id: 1 }, limit: 1 }))).toEqual(['e09']);
        expect(ids(await store.find(collection, { accountId: 'a2' }, { sort: { n: -1 }, skip: 1, limit: 2 }))).toEqual(['e28', 'e26']);
        expect(ids(await store.find(collection, {}, { sort: { _id: 1 }, skip: 28, limit: 5 }))).toEqual(['e28', 'e29']);
        expect(await store.findOne(collection, { accountId: 'a2', n: { $gte: 20 } })).toMatchObject({ accountId: 'a2' });
      });

      it('are emptied by reset and refilled by later writes', async () => {
        await store.ensureIndex(collection, { status: 1 });
        await commit(upsert('a', { $set: { status: 'ACTIVE' } }, 1n), upsert('b', { $set: { status: 'ACTIVE' } }, 2n));
        await store.reset([collection], [projection]);
        expect(await store.find(collection, { status: 'ACTIVE' })).toEqual([]);
        await commit(upsert('b', { $set: { status: 'ACTIVE' } }, 1n));
        expect(await store.find(collection, { status: 'ACTIVE' })).toEqual([{ _id: 'b', status: 'ACTIVE' }]);
      });
    });

    describe('restart between writes and reads', () => {
      it('answers after a reopen exactly as before it, through its indexes too', async () => {
        await store.ensureIndex(collection, { status: 1, seats: 1 });
        await commit(
          upsert('a', { $set: { status: 'ACTIVE', seats: 2, at: new Date('2025-03-04T05:06:07.000Z'), nested: { list: [1, { deep: 'x' }] } } }, 1n),
          upsert('b', { $set: { status: 'ACTIVE', seats: 9 } }, 2n),
          upsert('c', { $set: { status: 'CLOSED', seats: 4 } }, 3n),
        );
        const queries: [Filter, number][] = [
          [{}, 3],
          [{ status: 'ACTIVE' }, 2],
          [{ status: 'ACTIVE', seats: { $gt: 5 } }, 1],
          [{ at: { $lt: new Date('2026-01-01T00:00:00.000Z') } }, 1],
        ];
        const before = await Promise.all(queries.map(([filter]) => store.find(collection, filter, { sort: { _id: 1 } })));
        expect(before.map((docs) => docs.length)).toEqual(queries.map(([, n]) => n));

        store = await reopen(store);
        await store.ensureIndex(collection, { status: 1, seats: 1 });
        const after = await Promise.all(queries.map(([filter]) => store.find(collection, filter, { sort: { _id: 1 } })));
        expect(after).toEqual(before);
        expect((await store.findOne(collection, { _id: 'a' }))?.at).toBeInstanceOf(Date);
        expect(await store.checkpoint(projection)).toBe(3n);
      });

      it('keeps the position guard: replaying a batch after a reopen changes nothing, later writes apply', async () => {
        const batch = [
          upsert('a', { $inc: { n: 1 }, $push: { log: 'e1' } }, 1n),
          upsert('b', { $set: { status: 'ACTIVE' } }, 2n),
          update({ status: 'ACTIVE' }, { $inc: { n: 5 } }, 3n),
        ];
        await commit(...batch);
        const once = await store.find(collection, {}, { sort: { _id: 1 } });

        store = await reopen(store);
        await commit(...batch);
        expect(await store.find(collection, {}, { sort: { _id: 1 } })).toEqual(once);
        await commit(upsert('a', { $inc: { n: 1 } }, 4n), remove({ _id: 'b' }, 5n));
        store = await reopen(store);
        expect(await store.find(collection, {}, { sort: { _id: 1 } })).toEqual([{ _id: 'a', n: 2, log: ['e1'] }]);
      });
    });

    describe('checkpoints', () => {
      it('is null until the projection commits, then the committed position', async () => {
        expect(await store.checkpoint(projection)).toBeNull();
        await store.commit(projection, 7n, [upsert('a', { $set: { v: 1 } }, 7n)]);
        expect(await store.checkpoint(projection)).toBe(7n);
        await store.commit(projection, 12n, []);
        expect(await store.checkpoint(projection)).toBe(12n);
        expect(await store.checkpoint(`${projection}_other`)).toBeNull();
      });

      it('holds positions beyond 2^63', async () => {
        const far = 2n ** 64n - 1n;
        await store.commit(projection, far, [upsert('a', { $set: { v: 1 } }, far)]);
        expect(await store.checkpoint(projection)).toBe(far);
      });
    });

    describe('position guard', () => {
      it('re-committing the same batch changes nothing', async () => {
        const batch = [
          upsert('a', { $inc: { n: 1 }, $push: { log: 'e1' }, $setOnInsert: { createdAt: 't1' } }, 1n),
          upsert('b', { $set: { status: 'ACTIVE' } }, 2n),
          update({ status: 'ACTIVE' }, { $inc: { n: 5 } }, 3n),
          upsert('a', { $inc: { n: 1 }, $push: { log: 'e4' } }, 4n),
        ];
        await commit(...batch);
        const once = await store.find(collection, {}, { sort: { _id: 1 } });
        expect(once).toEqual([
          { _id: 'a', n: 2, log: ['e1', 'e4'], createdAt: 't1' },
          { _id: 'b', status: 'ACTIVE', n: 5 },
        ]);

        await commit(...batch);
        expect(await store.find(collection, {}, { sort: { _id: 1 } })).toEqual(once);
      });

      it('skips an older write for the documents that saw a newer one, only for those', async () => {
        await commit(upsert('x', { $set: { v: 'new', kind: 'k' } }, 10n), upsert('z', { $set: { kind: 'k' } }, 3n));

        await commit(
          upsert('x', { $set: { v: 'old' } }, 5n),
          upsert('y', { $set: { v: 'old' } }, 5n),
          update({ kind: 'k' }, { $set: { touched: true } }, 7n),
          remove({ _id: 'x' }, 8n),
        );

        expect(await store.find(collection, {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'x', v: 'new', kind: 'k' },
          { _id: 'y', v: 'old' },
          { _id: 'z', kind: 'k', touched: true },
        ]);
      });

      it('skips a write at the position the document already saw', async () => {
        await commit(upsert('a', { $inc: { n: 1 } }, 4n));
        await commit(upsert('a', { $inc: { n: 1 } }, 4n), update({ _id: 'a' }, { $inc: { n: 1 } }, 4n));
        expect(await byId('a')).toEqual({ _id: 'a', n: 1 });
      });
    });

    describe('isolation of reads', () => {
      it('never exposes the internal position', async () => {
        await commit(upsert('a', { $set: { v: 1 } }, 1n), upsert('b', { $set: { v: 2 } }, 2n));
        const docs = [...(await store.find(collection)), await byId('a')];
        for (const doc of docs) expect(Object.keys(doc ?? {}).sort()).toEqual(['_id', 'v']);
      });

      it('returns copies: mutating them or the update does not change the store', async () => {
        const nested = { list: [1, 2], inner: { flag: true } };
        await commit(upsert('a', { $set: { nested } }, 1n));
        nested.list.push(99);
        nested.inner.flag = false;

        const [found] = await store.find(collection);
        (found.nested as typeof nested).list.push(3);
        found.extra = 'mutated';
        const one = await byId('a');
        (one!.nested as typeof nested).inner.flag = false;

        expect(await byId('a')).toEqual({ _id: 'a', nested: { list: [1, 2], inner: { flag: true } } });
      });
    });

    describe('reset', () => {
      it('empties the given collections and forgets the given checkpoints, nothing else', async () => {
        const other = `${collection}_kept`;
        await commit(upsert('a', { $set: { v: 1 } }, 1n), upsert('b', { $set: { v: 2 } }, 2n, other));
        await store.commit(`${projection}_kept`, 9n, []);

        await store.reset([collection], [projection]);

        expect(await store.count(collection)).toBe(0);
        expect(await store.checkpoint(projection)).toBeNull();
        expect(await store.find(other)).toEqual([{ _id: 'b', v: 2 }]);
        expect(await store.checkpoint(`${projection}_kept`)).toBe(9n);

        await commit(upsert('a', { $set: { v: 3 } }, 1n));
        expect(await byId('a')).toEqual({ _id: 'a', v: 3 });
      });
    });
  });
}
