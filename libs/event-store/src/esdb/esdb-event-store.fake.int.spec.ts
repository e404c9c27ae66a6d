import { STREAM_PREFIXES } from '@ses/events';
import { anEvent, DeliveryRecorder, events, uniqueStream, waitUntil } from '../event-store.contract-support';
import { eventStoreContract } from '../event-store.contract';
import type { EventStore } from '../event-store.port';
import { EsdbEventStore } from './esdb-event-store';
import { FakeEsdbServer } from './testing/fake-esdb-server';

/*
 * The EventStoreDB adapter over an in-memory server with EventStoreDB's semantics
 * (testing/fake-esdb-server.ts): the whole contract suite, and what only EventStoreDB
 * does (system events, other tools' streams and content, server restarts, idempotency
 * that the server itself only half keeps). Runs everywhere; the same contract runs
 * against a real server in esdb-event-store.int.spec.ts wherever Docker exists.
 */
const streamPrefixes = [...STREAM_PREFIXES, 'contract-'];
const fastReconnect = { initialMs: 5, maxMs: 50 };
const servers = new WeakMap<EventStore, FakeEsdbServer>();

function storeOn(server: FakeEsdbServer, options: ConstructorParameters<typeof EsdbEventStore>[1] = {}): EsdbEventStore {
  const store = new EsdbEventStore(server.client(), { streamPrefixes, reconnect: fastReconnect, ...options });
  servers.set(store, server);
  return store;
}

eventStoreContract(
  'EsdbEventStore on a fake EventStoreDB',
  async ({ onSkipped }) => storeOn(new FakeEsdbServer(), { onSkipped }),
  undefined,
  async (store) => {
    // The server restarts too: its memory of recent writes (what it checks an 'any' retry against) is gone.
    const server = servers.get(store)!;
    server.restart();
    return storeOn(server);
  },
);

describe('EsdbEventStore on a fake EventStoreDB: what only EventStoreDB does', () => {
  let server: FakeEsdbServer;
  let store: EsdbEventStore;
  let skipped: string[];
  beforeEach(() => {
    server = new FakeEsdbServer();
    skipped = [];
    store = storeOn(server, { onSkipped: (record, problem) => skipped.push(`${record.streamId}/${record.revision}: ${problem}`) });
  });
  afterEach(() => store.close());

  it('reads and subscribes past system events, other tools streams, and records that are not JSON, reporting only the ones in our streams', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, [anEvent()], 'no_stream');
    server.writeSystemEvent();
    server.writeForeign('other-tool-1', 'Whatever', '{"a":1}');
    server.writeForeign(stream, 'Binary', new Uint8Array([0, 1, 2, 255]), { json: false });
    server.writeForeign(stream, 'Broken', '{"unterminated": ');
    server.writeForeign(stream, 'GroupMemberAdded', '[1,2,3]');
    server.writeForeign(stream, 'GroupMemberAdded', '{"accountId":"a","groupId":"g","userId":"u"}', { metadata: new Uint8Array([0xff, 0xfe]) });
    await store.appendToStream(stream, [anEvent()], 4n);

    const recorder = new DeliveryRecorder(new Set([stream]));
    const subscription = store.subscribeToAll({ onEvent: recorder.onEvent, onError: recorder.onError });
    try {
      await recorder.waitForCount(2);
      expect(recorder.received.map((event) => event.revision)).toEqual([0n, 5n]);
      expect((await store.readAll()).map((event) => [event.streamId, event.revision])).toEqual([
        [stream, 0n],
        [stream, 5n],
      ]);
      expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 5n]);
      expect(recorder.errors).toEqual([]);
    } finally {
      await subscription.close();
    }
    expect(new Set(skipped)).toEqual(
      new Set([
        `${stream}/1: data is not JSON`,
        `${stream}/2: data is not JSON`,
        `${stream}/3: data is not a JSON object`,
        `${stream}/4: metadata is not JSON`,
      ]),
    );
    expect(skipped.some((line) => line.startsWith('other-tool') || line.startsWith('$'))).toBe(false);
  });

  it('asks the server for the service streams only (a stream-name prefix filter)', async () => {
    const seen: unknown[] = [];
    const client = server.client();
    const original = client.subscribeToAll.bind(client);
    client.subscribeToAll = (options) => {
      seen.push(options.filter);
      return original(options);
    };
    const filtered = new EsdbEventStore(client, { streamPrefixes });
    const subscription = filtered.subscribeToAll({ onEvent: () => undefined });
    try {
      await waitUntil(() => seen.length === 1, 'the subscription was made');
      expect(seen[0]).toMatchObject({ filterOn: 'streamName', prefixes: streamPrefixes });
    } finally {
      await subscription.close();
      await filtered.close();
    }
  });

  it('looks for a retried batch with bounded reads: never the whole stream', async () => {
    const stream = uniqueStream();
    for (let revision = -1n; revision < 299n; revision += 10n) await store.appendToStream(stream, events(10), revision < 0n ? 'no_stream' : revision);
    const batch = [anEvent()];
    const first = await store.appendToStream(stream, batch, 299n);
    const before = server.calls.streamEventsRead;

    expect(await store.appendToStream(stream, batch, 299n)).toEqual({ ...first, alreadyStored: true });
    expect(await store.appendToStream(stream, batch, 300n)).toEqual({ ...first, alreadyStored: true });
    expect(await store.appendToStream(stream, batch, 'any')).toEqual({ ...first, alreadyStored: true });
    await expect(store.appendToStream(stream, [anEvent()], 250n)).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 300n });

    // Four appends of one event each: at most RETRY_WINDOW + 1 events read for each, never the 301 of the stream.
    expect(server.calls.streamEventsRead - before).toBeLessThanOrEqual(4 * 34);
  });

  it('tells a delivery whose ids were stored by another delivery first that its own events are not the stored ones', async () => {
    const stream = uniqueStream();
    await store.appendToStream(stream, [anEvent()], 'no_stream');
    const mine = anEvent('mine');
    const theirs = { ...mine, data: { ...mine.data, groupId: 'theirs' } };
    const other = storeOn(server);
    try {
      const stored = await other.appendToStream(stream, [theirs], 0n);
      // Same id, same expected revision: EventStoreDB itself acknowledges this stale retry as a success.
      expect(await store.appendToStream(stream, [mine], 0n)).toEqual({ ...stored, alreadyStored: true });
      expect((await store.readStream(stream)).map((event) => event.data)).toEqual([expect.anything(), theirs.data]);
    } finally {
      await other.close();
    }
  });

  it('names the store with its marker stream, made once even when two instances start at once', async () => {
    const other = storeOn(server);
    try {
      const [mine, theirs] = await Promise.all([store.identity(), other.identity()]);
      expect(mine).toEqual({ kind: 'esdb', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(theirs).toEqual(mine);
      expect(await storeOn(new FakeEsdbServer()).identity()).not.toEqual(mine);
      // The marker is not the service's: no read sees it.
      expect(await store.readAll()).toEqual([]);
      expect(await store.headPosition()).toBe(-1n);
    } finally {
      await other.close();
    }
  });
});
