import { MongoClient } from 'mongodb';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { describeWithContainers } from '../../../../test/support/containers';
import { readStoreContract } from '../read-store.contract';
import { MongoReadStore } from './mongo-read-store';
import { MongoReadStoreCatalog } from '../catalog/mongo-catalog';
import { INITIAL_GENERATION, newGenerationName } from '../catalog/read-store-catalog.port';

describeWithContainers('MongoDB read store', () => {
  let container: StartedTestContainer;
  let url: string;

  beforeAll(async () => {
    container = await new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forLogMessage('Waiting for connections')).start();
    url = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/ses_contract`;
  }, 120_000);
  afterAll(async () => {
    await container?.stop();
  });

  it('keeps generations as databases and switches the active one', async () => {
    const catalog = await MongoReadStoreCatalog.connect(url);
    try {
      expect(await catalog.active()).toBe(INITIAL_GENERATION);
      const next = newGenerationName();
      const store = await catalog.open(next);
      await store.commit('p', 1n, [{ kind: 'upsert', collection: 'c', id: 'x', update: { $set: { v: 'new' } }, position: 1n }]);
      await store.close();
      await catalog.activate(next);
      expect(await catalog.active()).toBe(next);
      const active = await catalog.open(await catalog.active());
      expect(await active.findOne('c', { _id: 'x' })).toEqual({ _id: 'x', v: 'new' });
      await active.close();
      await expect(catalog.drop(next)).rejects.toThrow(/active/);
    } finally {
      await catalog.close();
    }
  });

  // Declared now, run later: the factory reads `url` once beforeAll has set it.
  readStoreContract(
    'MongoReadStore',
    () => MongoReadStore.connect(url),
    async (store) => {
      await store.close();
      return MongoReadStore.connect(url);
    },
  );

  it('uses the database named in the URL and stores positions as ordered, zero-padded strings', async () => {
    const store = await MongoReadStore.connect(url);
    const raw = new MongoClient(url);
    try {
      await store.commit('format_check', 42n, [{ kind: 'upsert', collection: 'format_check', id: 'a', update: { $set: { v: 1 } }, position: 42n }]);
      const db = raw.db('ses_contract');
      expect(await db.collection<{ _id: string }>('format_check').findOne({ _id: 'a' })).toEqual({
        _id: 'a',
        v: 1,
        _pos: '00000000000000000042',
      });
      expect(await db.collection<{ _id: string }>('_checkpoints').findOne({ _id: 'format_check' })).toEqual({
        _id: 'format_check',
        position: '00000000000000000042',
      });
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('an explicit database name wins over the URL', async () => {
    const store = await MongoReadStore.connect(url, 'ses_explicit');
    const raw = new MongoClient(url);
    try {
      await store.commit('explicit', 1n, []);
      const checkpoints = raw.db('ses_explicit').collection<{ _id: string }>('_checkpoints');
      expect(await checkpoints.countDocuments({ _id: 'explicit' })).toBe(1);
    } finally {
      await raw.close();
      await store.close();
    }
  });

  describe('several query apps on one database', () => {
    it('never moves a checkpoint back: an app that is behind commits an older position', async () => {
      const store = await MongoReadStore.connect(url, 'ses_monotonic');
      try {
        await store.commit('p', 10n, [{ kind: 'upsert', collection: 'c', id: 'x', update: { $inc: { n: 1 } }, position: 10n }]);
        await store.commit('p', 5n, [{ kind: 'upsert', collection: 'c', id: 'x', update: { $inc: { n: 1 } }, position: 5n }]);
        expect(await store.checkpoint('p')).toBe(10n);
        expect(await store.findOne('c', { _id: 'x' })).toEqual({ _id: 'x', n: 1 });
      } finally {
        await store.close();
      }
    });

    it('re-applies a batch in bulk: upserts that meet newer documents are skipped, the writes after them still land', async () => {
      const store = await MongoReadStore.connect(url, 'ses_bulk');
      try {
        await store.commit('p', 5n, [
          { kind: 'upsert', collection: 'c', id: 'x', update: { $inc: { n: 1 } }, position: 5n },
          { kind: 'upsert', collection: 'c', id: 'y', update: { $inc: { n: 1 } }, position: 5n },
        ]);
        await store.commit('p', 5n, [
          { kind: 'upsert', collection: 'c', id: 'x', update: { $inc: { n: 1 } }, position: 3n },
          { kind: 'upsert', collection: 'c', id: 'y', update: { $inc: { n: 1 } }, position: 5n },
          { kind: 'upsert', collection: 'c', id: 'z', update: { $inc: { n: 1 } }, position: 4n },
          { kind: 'update', collection: 'c', filter: { _id: 'x' }, update: { $inc: { n: 10 } }, position: 6n },
        ]);
        expect(await store.find('c', {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'x', n: 11 },
          { _id: 'y', n: 1 },
          { _id: 'z', n: 1 },
        ]);
      } finally {
        await store.close();
      }
    });

    it('lets one owner at a time hold a lease, renewed by its owner, taken over once it expired', async () => {
      const [a, b] = await Promise.all([MongoReadStore.connect(url, 'ses_lease'), MongoReadStore.connect(url, 'ses_lease')]);
      try {
        const claims = await Promise.all([a.claimLease('p', 'a', 1500), b.claimLease('p', 'b', 1500)]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        const [holder, holderName, other, otherName] = claims[0] ? [a, 'a', b, 'b'] : [b, 'b', a, 'a'];
        expect(await holder.claimLease('p', holderName, 1500)).toBe(true);
        expect(await other.claimLease('p', otherName, 1500)).toBe(false);
        expect(await other.claimLease('q', otherName, 1500)).toBe(true);
        const deadline = Date.now() + 20_000;
        while (!(await other.claimLease('p', otherName, 1500))) {
          if (Date.now() > deadline) throw new Error('the lease never expired');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(await holder.claimLease('p', holderName, 1500)).toBe(false);
      } finally {
        await a.close();
        await b.close();
      }
    }, 30_000);
  });
});
