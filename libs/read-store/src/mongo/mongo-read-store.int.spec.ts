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
});
