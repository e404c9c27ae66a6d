/// <reference types="jest" />
// Test code (jest globals); not exported from index.ts. The reference keeps `npm run build` compiling.
import { WrongExpectedRevisionError, type EventStore, type SkipReporter, type StoredEvent } from './event-store.port';
import { anEvent, aRawEvent, DeliveryRecorder, events, uniqueStream, waitUntil } from './event-store.contract-support';

const TEST_TIMEOUT_MS = 20_000;

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  positions.slice(1).forEach((position, index) => expect(position > positions[index]!).toBe(true));
}

function idsOf(list: readonly { eventId: string }[]): string[] {
  return list.map((event) => event.eventId);
}

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this
 * once; `open` gives a store per test (reporting skipped events to `onSkipped`),
 * `cleanup` runs after it is closed. Streams are unique per test, so adapters sharing
 * one server need no cleanup.
 */
export function eventStoreContract(
  name: string,
  open: (options: { onSkipped: SkipReporter }) => Promise<EventStore>,
  cleanup?: (store: EventStore) => Promise<void> | void,
  /** Another store on the same data, as after a restart of the app (and, where the test can, of the store itself). */
  reopen?: (store: EventStore) => Promise<EventStore>,
): void {
  describe(`${name} satisfies the event store contract`, () => {
    let store: EventStore;
    /** `eventId: problem` of every event a read skipped. */
    let skipped: string[];

    beforeEach(async () => {
      skipped = [];
      store = await open({ onSkipped: (record, problem) => skipped.push(`${record.eventId}: ${problem}`) });
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.(store);
    });

    const read = (streamId: string): Promise<StoredEvent[]> => store.readStream(streamId);

    describe('appendToStream', () => {
      it(
        'creates a stream with no_stream and stores type, data, metadata and revisions',
        async () => {
          const stream = uniqueStream();
          const batch = [anEvent('First', { n: 1, nested: { ok: true } }), anEvent('Second', { n: 2 })];
          const before = Date.now();

          const result = await store.appendToStream(stream, batch, 'no_stream');

          expect(result.nextExpectedRevision).toBe(1n);
          const stored = await read(stream);
          expect(stored.map((e) => [e.eventId, e.streamId, e.revision, e.type, e.data])).toEqual([
            [batch[0]!.eventId, stream, 0n, 'GroupMemberAdded', { ...batch[0]!.data, groupId: 'First', n: 1, nested: { ok: true } }],
            [batch[1]!.eventId, stream, 1n, 'GroupMemberAdded', { ...batch[1]!.data, groupId: 'Second', n: 2 }],
          ]);
          expect(stored[0]!.metadata).toEqual(batch[0]!.metadata);
          expect(stored[1]!.recordedAt).toBeInstanceOf(Date);
          // Server clocks may be a little off the test's.
          expect(Math.abs(stored[1]!.recordedAt.getTime() - before)).toBeLessThan(60_000);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'rejects no_stream on an existing stream and appends nothing',
        async () => {
          const stream = uniqueStream();
          await store.appendToStream(stream, [anEvent()], 'no_stream');

          const rejected = store.appendToStream(stream, [anEvent()], 'no_stream');

          await expect(rejected).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(rejected).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0n });
          expect(await read(stream)).toHaveLength(1);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'accepts the exact current revision and rejects a stale or premature one',
        async () => {
          const stream = uniqueStream();
          await store.appendToStream(stream, events(2), 'no_stream');

          const next = await store.appendToStream(stream, [anEvent()], 1n);
          expect(next.nextExpectedRevision).toBe(2n);

          await expect(store.appendToStream(stream, [anEvent()], 1n)).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            expected: 1n,
            actual: 2n,
          });
          await expect(store.appendToStream(uniqueStream(), [anEvent()], 0n)).rejects.toMatchObject({ actual: 'no_stream' });
          expect(await read(stream)).toHaveLength(3);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        "appends with 'any' to a missing and to an existing stream",
        async () => {
          const stream = uniqueStream();

          expect((await store.appendToStream(stream, [anEvent()], 'any')).nextExpectedRevision).toBe(0n);
          expect((await store.appendToStream(stream, events(2), 'any')).nextExpectedRevision).toBe(2n);
          expect((await read(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'answers a retry of the same event ids with the stored result and appends nothing',
        async () => {
          const stream = uniqueStream();
          const batch = events(2);
          const first = await store.appendToStream(stream, batch, 'no_stream');
          expect(first.alreadyStored).toBe(false);
          const head = await store.headPosition();
          const retried = { ...first, alreadyStored: true };

          expect(await store.appendToStream(stream, batch, 'no_stream')).toEqual(retried);
          expect(await read(stream)).toHaveLength(2);
          expect(await store.headPosition()).toBe(head);

          // Still a retry after the stream moved on, although 'no_stream' no longer holds.
          await store.appendToStream(stream, [anEvent()], 1n);
          expect(await store.appendToStream(stream, batch, 'no_stream')).toEqual(retried);
          expect(idsOf(await read(stream)).slice(0, 2)).toEqual(idsOf(batch));
          expect(await read(stream)).toHaveLength(3);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'appends a retry at the current revision (a retrier that re-read the stream) once, and answers the stored result',
        async () => {
          const stream = uniqueStream();
          await store.appendToStream(stream, [anEvent()], 'no_stream');
          const batch = events(2);
          const first = await store.appendToStream(stream, batch, 0n);

          expect(await store.appendToStream(stream, batch, first.nextExpectedRevision)).toEqual({ ...first, alreadyStored: true });
          await store.appendToStream(stream, events(3), first.nextExpectedRevision);
          // A few events later, at the then current revision: still the same batch.
          expect(await store.appendToStream(stream, batch, first.nextExpectedRevision + 3n)).toEqual({ ...first, alreadyStored: true });
          expect(await read(stream)).toHaveLength(6);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        "appends a retry with 'any' once, also after the stream moved on by a few events",
        async () => {
          const stream = uniqueStream();
          const batch = events(2);
          const first = await store.appendToStream(stream, batch, 'any');

          expect(await store.appendToStream(stream, batch, 'any')).toEqual({ ...first, alreadyStored: true });
          await store.appendToStream(stream, events(3), 'any');
          expect(await store.appendToStream(stream, batch, 'any')).toEqual({ ...first, alreadyStored: true });
          expect(idsOf(await read(stream)).slice(0, 2)).toEqual(idsOf(batch));
          expect(await read(stream)).toHaveLength(5);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'treats a batch that is only partly stored, or stored in another order, as a conflict and appends nothing',
        async () => {
          const stream = uniqueStream();
          const [a, b] = events(2);
          await store.appendToStream(stream, [a!, b!], 'no_stream');

          for (const [batch, expected] of [
            [[a!, anEvent()], 'any'],
            [[b!, anEvent()], 1n],
            [[b!, a!], 'any'],
            [[a!, b!, anEvent()], 1n],
          ] as const) {
            await expect(store.appendToStream(stream, batch, expected)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          }
          expect(idsOf(await read(stream))).toEqual(idsOf([a!, b!]));
        },
        TEST_TIMEOUT_MS,
      );

      (reopen ? it : it.skip)(
        'keeps the promise after a restart: every kind of retry answers the stored result and appends nothing',
        async () => {
          const stream = uniqueStream();
          const batch = events(2);
          const first = await store.appendToStream(stream, batch, 'any');
          const restarted = await reopen!(store);
          try {
            const retried = { ...first, alreadyStored: true };
            expect(await restarted.appendToStream(stream, batch, 'any')).toEqual(retried);
            expect(await restarted.appendToStream(stream, batch, 'no_stream')).toEqual(retried);
            expect(await restarted.appendToStream(stream, batch, first.nextExpectedRevision)).toEqual(retried);
            expect(await restarted.readStream(stream)).toHaveLength(2);
          } finally {
            await restarted.close();
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'lets exactly one of several concurrent appends with the same expected revision win',
        async () => {
          const stream = uniqueStream();
          await store.appendToStream(stream, [anEvent()], 'no_stream');
          const contenders = events(5);

          const outcomes = await Promise.allSettled(contenders.map((event) => store.appendToStream(stream, [event], 0n)));

          const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [contenders[index]!] : []));
          const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(4);
          losers.forEach((reason) => expect(reason).toBeInstanceOf(WrongExpectedRevisionError));
          expect(idsOf(await read(stream))[1]).toBe(winners[0]!.eventId);
          expect(await read(stream)).toHaveLength(2);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'lets exactly one of several concurrent creations with no_stream win',
        async () => {
          const stream = uniqueStream();

          const outcomes = await Promise.allSettled(events(4).map((event) => store.appendToStream(stream, [event], 'no_stream')));

          expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
          expect(await read(stream)).toHaveLength(1);
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('identity', () => {
      (reopen ? it : it.skip)(
        'names the store by a kind and an id that stay the same across calls and restarts',
        async () => {
          const identity = await store.identity!();
          expect(identity).toEqual({ kind: expect.stringMatching(/^[a-z]+$/), id: expect.stringMatching(/^[0-9a-f-]{16,}$/) });
          expect(await store.identity!()).toEqual(identity);
          const restarted = await reopen!(store);
          try {
            expect(await restarted.identity!()).toEqual(identity);
          } finally {
            await restarted.close();
          }
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('readStream', () => {
      it(
        'returns a stream in revision order, from a revision, limited by maxCount',
        async () => {
          const stream = uniqueStream();
          const batch = events(5);
          await store.appendToStream(stream, batch.slice(0, 2), 'no_stream');
          await store.appendToStream(uniqueStream(), [anEvent()], 'no_stream');
          await store.appendToStream(stream, batch.slice(2), 1n);

          expect(idsOf(await read(stream))).toEqual(idsOf(batch));
          expect(idsOf(await store.readStream(stream, { fromRevision: 3n }))).toEqual(idsOf(batch.slice(3)));
          expect(idsOf(await store.readStream(stream, { fromRevision: 1n, maxCount: 2 }))).toEqual(idsOf(batch.slice(1, 3)));
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'returns [] for a stream that does not exist',
        async () => {
          expect(await read(uniqueStream())).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('readAll and headPosition', () => {
      it(
        'returns events of all streams in commit order with strictly increasing positions',
        async () => {
          const before = await store.headPosition();
          const [a, b] = [uniqueStream(), uniqueStream()];
          const first = await store.appendToStream(a, events(2), 'no_stream');
          const second = await store.appendToStream(b, [anEvent()], 'no_stream');
          const third = await store.appendToStream(a, [anEvent()], 1n);

          const all = (await store.readAll({ after: before })).filter((e) => e.streamId === a || e.streamId === b);

          expect(all.map((e) => [e.streamId, e.revision])).toEqual([
            [a, 0n],
            [a, 1n],
            [b, 0n],
            [a, 2n],
          ]);
          expectStrictlyIncreasing(all.map((e) => e.position));
          expect(all.map((e) => e.position).slice(1)).toEqual([first.position, second.position, third.position]);
          expect(all[0]!.position > before).toBe(true);
          expect(await store.headPosition()).toBe(third.position);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'reads strictly after a position and at most maxCount events',
        async () => {
          const stream = uniqueStream();
          const batch = events(4);
          const firstTwo = await store.appendToStream(stream, batch.slice(0, 2), 'no_stream');
          await store.appendToStream(stream, batch.slice(2), 1n);

          expect(idsOf(await store.readAll({ after: firstTwo.position, maxCount: 1 }))).toEqual([batch[2]!.eventId]);
          expect(idsOf(await store.readAll({ after: firstTwo.position }))).toEqual(idsOf(batch.slice(2)));
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('decoding', () => {
      const v1Started = {
        accountId: 'a1',
        sessionId: 's1',
        userId: 'u1',
        productId: 'p',
        machineId: 'm',
        termLicenseUsage: false,
        startedAt: '2025-01-01T00:00:00.000Z',
      };

      it(
        'reads events upcast to the current schema, and readStreamRecords exactly as stored',
        async () => {
          const stream = uniqueStream();
          const before = await store.headPosition();
          const old = aRawEvent('UsageStarted', v1Started, 1);
          await store.appendToStream(stream, [old], 'no_stream');

          const [read] = await store.readStream(stream);
          expect(read).toMatchObject({ eventId: old.eventId, type: 'UsageStarted', data: { ...v1Started, productVersion: null, country: '' } });
          expect((await store.readAll({ after: before })).find((e) => e.eventId === old.eventId)?.data).toEqual(read!.data);
          const [record] = await store.readStreamRecords(stream);
          expect(record).toMatchObject({ eventId: old.eventId, streamId: stream, revision: 0n, type: 'UsageStarted', data: v1Started });
          expect(record!.metadata).toEqual(old.metadata);
          expect(skipped).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'skips and reports events of an unknown type or with data that does not decode, in every read, and reads on past them',
        async () => {
          const stream = uniqueStream();
          const before = await store.headPosition();
          const unknown = aRawEvent('SomethingNew', { accountId: 'a1' });
          const broken = aRawEvent('UserDeactivated', { accountId: 'a1', userId: 42 });
          const good = anEvent();
          await store.appendToStream(stream, [unknown, broken, good], 'no_stream');
          const recorder = new DeliveryRecorder(new Set([stream]));
          const subscription = store.subscribeToAll({ after: before, onEvent: recorder.onEvent, onError: recorder.onError });
          try {
            expect(idsOf(await store.readStream(stream))).toEqual([good.eventId]);
            expect(idsOf(await store.readStream(stream, { maxCount: 1 }))).toEqual([good.eventId]);
            expect(idsOf(await store.readAll({ after: before, maxCount: 1 }))).toEqual([good.eventId]);
            expect(idsOf(await store.readStreamRecords(stream))).toEqual(idsOf([unknown, broken, good]));
            await recorder.waitForCount(1);
            expect(recorder.ids()).toEqual([good.eventId]);
            expect(recorder.errors).toEqual([]);
          } finally {
            await subscription.close();
          }
          expect(new Set(skipped)).toEqual(
            new Set([`${unknown.eventId}: unknown event type "SomethingNew"`, `${broken.eventId}: UserDeactivated data does not decode: userId`]),
          );
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('subscribeToAll', () => {
      it(
        'catches up, then delivers live events in order, exactly once',
        async () => {
          const stream = uniqueStream();
          const before = await store.headPosition();
          const history = events(3);
          await store.appendToStream(stream, history, 'no_stream');
          const recorder = new DeliveryRecorder(new Set([stream]));
          const subscription = store.subscribeToAll({ after: before, onEvent: recorder.onEvent, onError: recorder.onError });
          try {
            await recorder.waitForCount(3);
            const live = events(2);
            await store.appendToStream(stream, live, 2n);
            await recorder.waitForCount(5);
            // Once this last event is in, any duplicate of an earlier one would have arrived before it.
            const marker = anEvent('Marker');
            await store.appendToStream(stream, [marker], 4n);
            await recorder.waitForCount(6);

            expect(recorder.errors).toEqual([]);
            expect(recorder.ids()).toEqual(idsOf([...history, ...live, marker]));
            expectStrictlyIncreasing(recorder.received.map((e) => e.position));
          } finally {
            await subscription.close();
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'starts strictly after the given position',
        async () => {
          const stream = uniqueStream();
          const before = await store.headPosition();
          const batch = events(3);
          await store.appendToStream(stream, batch, 'no_stream');
          const firstPosition = (await store.readAll({ after: before })).find((e) => e.eventId === batch[0]!.eventId)!.position;
          const recorder = new DeliveryRecorder(new Set([stream]));

          const subscription = store.subscribeToAll({ after: firstPosition, onEvent: recorder.onEvent, onError: recorder.onError });
          try {
            await recorder.waitForCount(2);
            expect(recorder.ids()).toEqual(idsOf(batch.slice(1)));
          } finally {
            await subscription.close();
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'delivers nothing more once closed',
        async () => {
          const stream = uniqueStream();
          const streams = new Set([stream]);
          const closed = new DeliveryRecorder(streams);
          const subscription = store.subscribeToAll({ after: await store.headPosition(), onEvent: closed.onEvent });
          const firstEvent = anEvent();
          const first = await store.appendToStream(stream, [firstEvent], 'no_stream');
          await closed.waitForCount(1);
          await subscription.close();

          const witness = new DeliveryRecorder(streams);
          const witnessing = store.subscribeToAll({ after: first.position, onEvent: witness.onEvent });
          try {
            await store.appendToStream(stream, [anEvent()], 0n);
            // The witness got the later event, so a still-open subscription would have had time to get it too.
            await witness.waitForCount(1);
            expect(closed.ids()).toEqual([firstEvent.eventId]);
          } finally {
            await witnessing.close();
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'waits for the next event until onEvent has finished, and close waits for it too',
        async () => {
          const stream = uniqueStream();
          let release: () => void = () => undefined;
          const gate = new Promise<void>((resolve) => (release = resolve));
          const log: string[] = [];
          const subscription = store.subscribeToAll({
            after: await store.headPosition(),
            onEvent: async (event) => {
              if (event.streamId !== stream) return;
              log.push(`start ${event.revision}`);
              await gate;
              log.push(`end ${event.revision}`);
            },
          });
          await store.appendToStream(stream, events(2), 'no_stream');
          await waitUntil(() => log.length > 0, 'the first event is being handled');

          let closeResolved = false;
          const closing = subscription.close().then(() => (closeResolved = true));
          // Asserting something does NOT happen: give a wrong implementation a moment to misbehave.
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(closeResolved).toBe(false);
          expect(log).toEqual(['start 0']);

          release();
          await closing;
          expect(log).toEqual(['start 0', 'end 0']);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'stops and reports once when onEvent throws',
        async () => {
          const stream = uniqueStream();
          const errors: Error[] = [];
          let calls = 0;
          const subscription = store.subscribeToAll({
            after: await store.headPosition(),
            onEvent: (event) => {
              if (event.streamId !== stream) return;
              calls += 1;
              throw new Error('projection failed');
            },
            onError: (error) => errors.push(error),
          });
          await store.appendToStream(stream, events(2), 'no_stream');

          await waitUntil(() => errors.length > 0, 'the error is reported');
          await subscription.close();

          expect(errors.map((error) => error.message)).toEqual(['projection failed']);
          expect(calls).toBe(1);
        },
        TEST_TIMEOUT_MS,
      );
    });
  });
}
