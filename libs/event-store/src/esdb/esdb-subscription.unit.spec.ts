import { PassThrough } from 'node:stream';
import type { RecordedEvent, StoredEvent } from '../event-store.port';
import { waitUntil } from '../event-store.contract-support';
import { EsdbSubscription } from './esdb-subscription';

/** Stands in for the client's subscription: like the real one, unsubscribe() does not end the stream. */
class FakeAllSubscription extends PassThrough {
  readonly unsubscribe = jest.fn(async () => undefined);

  constructor() {
    super({ objectMode: true });
  }

  /** A UserDeactivated of user `at-<position>` (a catalogue event, so it decodes), or `data` as given. */
  deliver(streamId: string, type: string, position: bigint, data: Record<string, unknown> = { accountId: 'a1', userId: `at-${position}` }): void {
    const event = {
      streamId,
      id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      revision: 0n,
      type,
      created: new Date('2030-01-01T00:00:00Z'),
      isJson: true,
      data,
      metadata: { actor: 'test' },
      position: { commit: position, prepare: position },
    };
    this.write({ event });
  }
}

function subscribe(options: { after?: bigint; onEvent: (event: StoredEvent) => Promise<void> | void; onError?: (error: Error) => void }) {
  const fake = new FakeAllSubscription();
  const client = { subscribeToAll: jest.fn(() => fake) };
  const skipped: string[] = [];
  const subscription = new EsdbSubscription(
    client,
    options,
    () => undefined,
    (record: RecordedEvent, problem: string) => skipped.push(`${record.position} ${problem}`),
  );
  return { fake, client, subscription, skipped };
}

describe('EsdbSubscription', () => {
  it('starts at the given position, skips it and system events, and delivers in order', async () => {
    const delivered: StoredEvent[] = [];
    const { fake, client, subscription } = subscribe({ after: 100n, onEvent: (event) => void delivered.push(event) });
    try {
      expect(client.subscribeToAll).toHaveBeenCalledWith(expect.objectContaining({ fromPosition: { commit: 100n, prepare: 100n } }));
      fake.deliver('account-1', 'UserDeactivated', 100n);
      fake.deliver('$stats-0', 'StatsCollected', 150n);
      fake.deliver('account-1', '$metadata', 160n);
      fake.deliver('account-1', 'UserDeactivated', 200n);
      fake.deliver('account-2', 'UserDeactivated', 300n);
      await waitUntil(() => delivered.length === 2, 'two events arrived');

      expect(delivered.map((event) => [event.type, event.position])).toEqual([
        ['UserDeactivated', 200n],
        ['UserDeactivated', 300n],
      ]);
      expect(delivered[0]!.data).toEqual({ accountId: 'a1', userId: 'at-200' });
      expect(delivered[0]!.recordedAt).toEqual(new Date('2030-01-01T00:00:00Z'));
    } finally {
      await subscription.close();
    }
  });

  it('skips and reports events that do not decode, and goes on after them', async () => {
    const delivered: bigint[] = [];
    const { fake, subscription, skipped } = subscribe({ onEvent: (event) => void delivered.push(event.position) });
    try {
      fake.deliver('s', 'SomethingNew', 1n);
      fake.deliver('s', 'UserDeactivated', 2n, { accountId: 'a1' });
      fake.deliver('s', 'UserDeactivated', 3n);
      await waitUntil(() => delivered.length === 1, 'the decodable event arrived');
      expect(delivered).toEqual([3n]);
      expect(skipped).toEqual(['1 unknown event type "SomethingNew"', '2 UserDeactivated data does not decode: userId']);
    } finally {
      await subscription.close();
    }
  });

  it('close resolves even though the cancelled stream never ends, and nothing is delivered after it', async () => {
    const delivered: bigint[] = [];
    const { fake, subscription } = subscribe({ onEvent: (event) => void delivered.push(event.position) });
    fake.deliver('s', 'UserDeactivated', 1n);
    await waitUntil(() => delivered.length === 1, 'the first event arrived');

    await subscription.close();
    fake.write({});

    expect(fake.unsubscribe).toHaveBeenCalled();
    expect(delivered).toEqual([1n]);
  });

  it('stops and reports once when onEvent throws', async () => {
    const errors: Error[] = [];
    let calls = 0;
    const { fake, subscription } = subscribe({
      onEvent: () => {
        calls += 1;
        throw new Error('handler failed');
      },
      onError: (error) => errors.push(error),
    });
    fake.deliver('s', 'UserDeactivated', 1n);
    fake.deliver('s', 'UserDeactivated', 2n);

    await waitUntil(() => errors.length > 0, 'the error was reported');
    await subscription.close();

    expect(errors.map((error) => error.message)).toEqual(['handler failed']);
    expect(calls).toBe(1);
    expect(fake.unsubscribe).toHaveBeenCalled();
  });

  it('reports a subscription that the server ended', async () => {
    const errors: Error[] = [];
    const { fake, subscription } = subscribe({ onEvent: () => undefined, onError: (error) => errors.push(error) });

    fake.end();

    await waitUntil(() => errors.length > 0, 'the end was reported');
    await subscription.close();
    expect(errors[0]!.message).toMatch(/ended/);
  });
});
