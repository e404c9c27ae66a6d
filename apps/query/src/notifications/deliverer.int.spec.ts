import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbEventStore, SqliteEventStore } from '@ses/event-store';
import { EmbeddedReadStore, MongoReadStore } from '@ses/read-store';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { describeWithContainers } from '../../../../test/support/containers';
import { delivererContract } from './deliverer.contract';

delivererContract('the embedded stores (SQLite event store, embedded notifications store)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ses-deliverer-'));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
  return {
    events,
    openNotifications: () => EmbeddedReadStore.open(join(dir, 'notifications.sqlite')),
    close: async () => {
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeWithContainers('the deliverer on EventStoreDB + MongoDB', () => {
  let esdb: StartedTestContainer | undefined;
  let mongo: StartedTestContainer | undefined;
  let esdbUrl = '';
  let mongoUrl = '';

  beforeAll(async () => {
    [esdb, mongo] = await Promise.all([
      new GenericContainer('eventstore/eventstore:24.10')
        .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_CLUSTER_SIZE: '1' })
        .withExposedPorts(2113)
        .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
        .withStartupTimeout(120_000)
        .start(),
      new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forLogMessage('Waiting for connections')).start(),
    ]);
    esdbUrl = `esdb://${esdb.getHost()}:${esdb.getMappedPort(2113)}?tls=false`;
    mongoUrl = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`;
    // "Live" can come a moment before the node accepts gRPC calls.
    const probe = new EsdbEventStore(esdbUrl);
    const deadline = Date.now() + 60_000;
    try {
      for (;;) {
        try {
          await probe.headPosition();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    } finally {
      await probe.close();
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all([esdb?.stop(), mongo?.stop()]);
  });

  // One EventStoreDB for every test (paths and accounts are unique per test); a database of its own per test.
  delivererContract('EventStoreDB + MongoDB', async () => {
    const events = new EsdbEventStore(esdbUrl);
    const database = `notifications_${randomUUID().replaceAll('-', '')}`;
    return {
      events,
      openNotifications: () => MongoReadStore.connect(mongoUrl, database),
      close: () => events.close(),
    };
  });
});
