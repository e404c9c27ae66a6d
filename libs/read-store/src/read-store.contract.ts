/**
 * The behaviour every ReadStore adapter must show, written once and run by each
 * adapter's spec. Collection and projection names are unique per test, so the
 * suite can share one MongoDB database.
 */
import { randomUUID } from 'node:crypto';
import type { Doc, Filter, ReadStore, Update, WriteOp } from './read-store.port';

export function readStoreContract(name: string, open: () => Promise<ReadStore>): void {
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
