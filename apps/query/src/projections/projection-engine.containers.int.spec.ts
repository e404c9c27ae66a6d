import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pino from 'pino';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { EsdbEventStore } from '@ses/event-store';
import { MongoReadStore, type Doc } from '@ses/read-store';
import { describeWithContainers } from '../../../../test/support/containers';
import { ProjectionEngine } from './projection-engine';
import type { Projection } from './projection';

/*
 * The production stores, restarted under a running engine: EventStoreDB (on disk, not in
 * memory, so that a restart keeps the log) and MongoDB, each restarted while events keep
 * being appended. Afterwards the read models equal a fresh projection of the whole log.
 * Fixed host ports: a restarted container must come back where the clients look for it.
 */

const tally: Projection = {
  name: 'tally',
  version: 1,
  collections: ['streams'],
  project: (event) => [
    { kind: 'upsert', collection: 'streams', id: event.streamId, update: { $inc: { n: 1 }, $push: { ids: event.eventId } }, position: event.position },
  ],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describeWithContainers('ProjectionEngine on EventStoreDB and MongoDB, through restarts of both', () => {
  let esdb: StartedTestContainer;
  let mongo: StartedTestContainer;
  let esdbUrl: string;
  let mongoUrl: string;

  beforeAll(async () => {
    const [esdbPort, mongoPort] = [await freePort(), await freePort()];
    esdb = await new GenericContainer('eventstore/eventstore:24.10')
      .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None', EVENTSTORE_CLUSTER_SIZE: '1' })
      .withExposedPorts({ container: 2113, host: esdbPort })
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
      .withStartupTimeout(120_000)
      .start();
    mongo = await new GenericContainer('mongo:7')
      .withExposedPorts({ container: 27017, host: mongoPort })
      .withWaitStrategy(Wait.forLogMessage('Waiting for connections'))
      .start();
    esdbUrl = `esdb://127.0.0.1:${esdbPort}?tls=false`;
    mongoUrl = `mongodb://127.0.0.1:${mongoPort}/ses_restarts`;
  }, 240_000);

  afterAll(async () => {
    await esdb?.stop();
    await mongo?.stop();
  });

  it('loses nothing and applies nothing twice when EventStoreDB and then MongoDB restart mid-projection', async () => {
    const events = new EsdbEventStore(esdbUrl, { reconnect: { initialMs: 100, maxMs: 1000 } });
    const reads = await MongoReadStore.connect(mongoUrl);
    const engine = new ProjectionEngine(events, reads, [tally], pino({ level: 'silent' }), { restartBackoff: { initialMs: 100, maxMs: 2000 } });
    const writer = new EsdbEventStore(esdbUrl);
    let appended = 0;
    let stop = false;
    const appending = (async () => {
      while (!stop) {
        const event = {
          eventId: randomUUID(),
          type: 'UserDeactivated',
          data: { accountId: 'a', userId: randomUUID() },
          metadata: { actor: 't', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: new Date().toISOString(), hash: '' },
        };
        try {
          // Retried with the same event id until it is acknowledged: the idempotent append stores it once.
          for (;;) {
            try {
              await writer.appendToStream(`account-${appended % 5}`, [event], 'any');
              break;
            } catch {
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
          }
          appended += 1;
        } catch {
          // keep going
        }
      }
    })();
    try {
      await engine.start();
      await until(async () => engine.position > 0n && appended >= 50, 'the engine projected something');
      await esdb.restart();
      await until(async () => appended >= 150, 'appends went on after EventStoreDB restarted');
      await mongo.restart();
      await until(async () => appended >= 250, 'appends went on after MongoDB restarted');
      stop = true;
      await appending;
      const head = await writer.headPosition();
      await until(async () => engine.position === head, 'the engine caught up');

      const all = await writer.readAll({ maxCount: 1_000_000 });
      expect(all).toHaveLength(appended);
      const docs = await reads.find<Doc & { n: number; ids: string[] }>('streams', {}, { sort: { _id: 1 } });
      for (const doc of docs) expect(new Set(doc.ids).size).toBe(doc.n);
      expect(docs.reduce((sum, doc) => sum + doc.n, 0)).toBe(all.length);
      expect(new Set(docs.flatMap((doc) => doc.ids))).toEqual(new Set(all.map((event) => event.eventId)));
    } finally {
      stop = true;
      await appending;
      await engine.stop();
      await reads.close();
      await writer.close();
      await events.close();
    }
  }, 600_000);
});
