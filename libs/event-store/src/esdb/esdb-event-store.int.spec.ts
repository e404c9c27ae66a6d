import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { describeWithContainers } from '../../../../test/support/containers';
import { anEvent, uniqueStream, waitUntil, waitUntilAsync } from '../event-store.contract-support';
import type { StoredEvent } from '../event-store.port';
import { eventStoreContract } from '../event-store.contract';
import { STREAM_PREFIXES } from '@ses/events';
import { EsdbEventStore } from './esdb-event-store';

const STARTUP_TIMEOUT_MS = 120_000;

describeWithContainers('EventStoreDB adapter', () => {
  let container: StartedTestContainer | undefined;
  // Set in beforeAll; the contract's describe blocks are built synchronously, so it reads this lazily.
  let hostAndPort = '';

  beforeAll(async () => {
    container = await new GenericContainer('eventstore/eventstore:24.10')
      .withEnvironment({
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
        EVENTSTORE_MEM_DB: 'true',
        EVENTSTORE_CLUSTER_SIZE: '1',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .start();
    hostAndPort = `${container.getHost()}:${container.getMappedPort(2113)}`;
    // "Live" can come a moment before the node has become leader and accepts gRPC calls.
    const probe = new EsdbEventStore(`esdb://${hostAndPort}?tls=false`);
    try {
      await waitUntilAsync(async () => (await probe.headPosition()) >= -1n, 'EventStoreDB answers reads', 60_000);
    } finally {
      await probe.close();
    }
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await container?.stop();
  });

  const streamPrefixes = [...STREAM_PREFIXES, 'contract-'];
  eventStoreContract(
    'EsdbEventStore',
    async ({ onSkipped }) => new EsdbEventStore(`esdb://${hostAndPort}?tls=false`, { onSkipped, streamPrefixes }),
    undefined,
    // A second client: nothing of the first one's memory (the server's own idempotency cache survives, the adapter does not rely on it).
    async () => new EsdbEventStore(`esdb://${hostAndPort}?tls=false`, { streamPrefixes }),
  );

  describe('EventStoreDB specifics', () => {
    it('hides system events from readAll and from subscriptions', async () => {
      const store = new EsdbEventStore(`esdb://${hostAndPort}?tls=false`, { streamPrefixes });
      const delivered: StoredEvent[] = [];
      const subscription = store.subscribeToAll({ onEvent: (event) => void delivered.push(event) });
      try {
        const stream = uniqueStream();
        await store.appendToStream(stream, [anEvent()], 'no_stream');
        await waitUntil(() => delivered.some((event) => event.streamId === stream), 'the subscription reached the new event');

        const all = await store.readAll({ maxCount: 100_000 });

        expect(delivered.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);

        expect(all.some((event) => event.streamId === stream)).toBe(true);
        expect(all.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);
      } finally {
        await subscription.close();
        await store.close();
      }
    }, 20_000);

    it('accepts a kurrentdb:// connection string', async () => {
      const store = new EsdbEventStore(`kurrentdb://${hostAndPort}?tls=false`, { streamPrefixes });
      try {
        const result = await store.appendToStream(uniqueStream(), [anEvent()], 'no_stream');
        expect(await store.headPosition()).toBe(result.position);
      } finally {
        await store.close();
      }
    }, 20_000);
  });
});
