import { anEvent, uniqueStream, waitUntil } from '../event-store.contract-support';
import type { RetryInfo, StoredEvent, SubscribeOptions } from '../event-store.port';
import { EsdbEventStore } from './esdb-event-store';
import { FakeEsdbServer } from './testing/fake-esdb-server';

const streamPrefixes = ['contract-'];

/** A store on a fake server, a subscription recording what it delivers and every retry, recovery and error. */
function setUp(options: Partial<SubscribeOptions> = {}) {
  const server = new FakeEsdbServer();
  const store = new EsdbEventStore(server.client(), { streamPrefixes, reconnect: { initialMs: 5, maxMs: 40 } });
  const delivered: StoredEvent[] = [];
  const retries: { error: string; retry: RetryInfo }[] = [];
  const recoveries: number[] = [];
  const errors: Error[] = [];
  const subscribe = (after?: bigint) =>
    store.subscribeToAll({
      after,
      onEvent: (event) => void delivered.push(event),
      onRetry: (error, retry) => retries.push({ error: error.message, retry }),
      onRecovered: ({ attempts }) => recoveries.push(attempts),
      onError: (error) => errors.push(error),
      ...options,
    });
  return { server, store, delivered, retries, recoveries, errors, subscribe };
}

const ids = (events: readonly { eventId: string }[]) => events.map((event) => event.eventId);

describe('EsdbSubscription', () => {
  it('resubscribes after the last event it delivered when the server drops the subscription: nothing lost, nothing twice', async () => {
    const { server, store, delivered, retries, recoveries, subscribe } = setUp();
    const stream = uniqueStream();
    const subscription = subscribe();
    try {
      const written = [anEvent(), anEvent(), anEvent()];
      await store.appendToStream(stream, written.slice(0, 2), 'no_stream');
      await waitUntil(() => delivered.length === 2, 'two events arrived');

      server.dropSubscriptions();
      await store.appendToStream(stream, written.slice(2), 1n);
      await waitUntil(() => delivered.length === 3 && recoveries.length === 1, 'the subscription came back with the third event');

      expect(ids(delivered)).toEqual(ids(written));
      expect(retries).toEqual([
        { error: expect.stringMatching(/CANCELLED/), retry: { attempt: 1, delayMs: expect.any(Number), after: delivered[1]!.position } },
      ]);
      expect(recoveries).toEqual([1]);
    } finally {
      await subscription.close();
      await store.close();
    }
  });

  it('keeps retrying with growing, capped delays while the server is unreachable, and catches up once it is back', async () => {
    const { server, store, delivered, retries, recoveries, errors, subscribe } = setUp();
    const stream = uniqueStream();
    const subscription = subscribe();
    try {
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      await waitUntil(() => delivered.length === 1, 'the first event arrived');

      server.setUnreachable(true);
      await waitUntil(() => retries.length >= 6, 'several retries', 10_000);
      server.setUnreachable(false);
      await store.appendToStream(stream, [anEvent()], 0n);
      await waitUntil(() => delivered.length === 2 && recoveries.length === 1, 'the subscription recovered', 10_000);

      expect(errors).toEqual([]);
      expect(retries.every(({ error }) => /UNAVAILABLE/.test(error))).toBe(true);
      const attempts = retries.map(({ retry }) => retry.attempt);
      expect(attempts.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
      // Equal jitter: each delay lies in [ceiling/2, ceiling], the ceiling doubling from 5 ms up to 40 ms.
      retries.forEach(({ retry }) => {
        const ceiling = Math.min(40, 5 * 2 ** (retry.attempt - 1));
        expect(retry.delayMs).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(retry.delayMs).toBeLessThanOrEqual(ceiling);
      });
      expect(recoveries[0]).toBe(retries.length);
    } finally {
      await subscription.close();
      await store.close();
    }
  });

  it('resubscribes when the server ends the subscription (shutdown) and after a restart', async () => {
    const { server, store, delivered, retries, subscribe } = setUp();
    const stream = uniqueStream();
    const subscription = subscribe();
    try {
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      await waitUntil(() => delivered.length === 1, 'the first event arrived');
      server.endSubscriptions();
      await store.appendToStream(stream, [anEvent()], 0n);
      await waitUntil(() => delivered.length === 2, 'the second event arrived');
      server.restart();
      await store.appendToStream(stream, [anEvent()], 1n);
      await waitUntil(() => delivered.length === 3, 'the third event arrived');

      expect(retries.map(({ error }) => error)).toEqual([expect.stringMatching(/ended/), expect.stringMatching(/UNAVAILABLE/)]);
      expect(delivered.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    } finally {
      await subscription.close();
      await store.close();
    }
  });

  it('starts after the given position and skips the events at or before it', async () => {
    const { store, delivered, subscribe } = setUp();
    const stream = uniqueStream();
    const first = await store.appendToStream(stream, [anEvent(), anEvent()], 'no_stream');
    await store.appendToStream(stream, [anEvent()], 1n);
    const subscription = subscribe(first.position);
    try {
      await waitUntil(() => delivered.length === 1, 'the event after the position arrived');
      expect(delivered.map((event) => event.revision)).toEqual([2n]);
    } finally {
      await subscription.close();
      await store.close();
    }
  });

  it('stops and reports once when onEvent throws: that is the consumer failing, not the source', async () => {
    let calls = 0;
    const { server, store, retries, errors, subscribe } = setUp({
      onEvent: () => {
        calls += 1;
        throw new Error('handler failed');
      },
    });
    const subscription = subscribe();
    try {
      await store.appendToStream(uniqueStream(), [anEvent(), anEvent()], 'no_stream');
      await waitUntil(() => errors.length > 0, 'the error was reported');
      expect(errors.map((error) => error.message)).toEqual(['handler failed']);
      expect(calls).toBe(1);
      expect(retries).toEqual([]);
      await waitUntil(() => server.openSubscriptions === 0, 'the gRPC subscription was cancelled');
    } finally {
      await subscription.close();
      await store.close();
    }
  });

  it('close resolves while it waits to retry and while the stream is idle, and nothing is delivered after it', async () => {
    const { server, store, delivered, retries, subscribe } = setUp();
    const idle = subscribe();
    await waitUntil(() => server.openSubscriptions === 1, 'the subscription is open');
    await idle.close();

    server.setUnreachable(true);
    const retrying = subscribe();
    await waitUntil(() => retries.length > 0, 'a retry is pending');
    await retrying.close();
    server.setUnreachable(false);
    await store.appendToStream(uniqueStream(), [anEvent()], 'no_stream');
    // A subscription opened now gets the event: the closed ones had every chance to.
    const witness: StoredEvent[] = [];
    const open = store.subscribeToAll({ onEvent: (event) => void witness.push(event) });
    await waitUntil(() => witness.length === 1, 'the witness got the event');
    await open.close();
    expect(delivered).toEqual([]);
    await store.close();
  });
});
