import { EventEmitter } from 'node:events';
import type { MappedRecord } from '../decode-records';
import { waitUntil } from '../event-store.contract-support';
import type { RetryInfo, StoredEvent } from '../event-store.port';
import { APPENDED_SIGNAL, PollingSubscription, type PollingSource } from './polling-subscription';

/** A log in memory whose reads can be made to fail (a file locked or unreadable for a while). */
class FlakySource implements PollingSource {
  readonly appendSignals = new EventEmitter();
  readonly pollIntervalMs = 5;
  readonly backoff = { initialMs: 2, maxMs: 20 };
  readonly log: MappedRecord[] = [];
  failing = false;
  reads = 0;

  readRecords(after: bigint, maxCount: number): MappedRecord[] {
    this.reads += 1;
    if (this.failing) throw new Error('SQLITE_IOERR: disk I/O error');
    return this.log.filter((record) => record.position > after).slice(0, maxCount);
  }

  decode(record: MappedRecord): StoredEvent | undefined {
    return { ...record, type: 'UserDeactivated', data: { accountId: 'a', userId: String(record.position) } } as StoredEvent;
  }

  append(): void {
    const position = BigInt(this.log.length + 1);
    this.log.push({
      eventId: `e${position}`,
      streamId: 's',
      revision: position - 1n,
      position,
      type: 'UserDeactivated',
      data: {},
      metadata: {} as never,
      recordedAt: new Date(),
    });
    this.appendSignals.emit(APPENDED_SIGNAL);
  }
}

describe('PollingSubscription', () => {
  it('retries failed reads with a capped back-off from where it was, and delivers every event once when reads work again', async () => {
    const source = new FlakySource();
    const delivered: bigint[] = [];
    const retries: RetryInfo[] = [];
    const recovered: number[] = [];
    const errors: Error[] = [];
    const subscription = new PollingSubscription(
      source,
      {
        onEvent: (event) => void delivered.push(event.position),
        onRetry: (_error, retry) => retries.push(retry),
        onRecovered: ({ attempts }) => recovered.push(attempts),
        onError: (error) => errors.push(error),
      },
      () => undefined,
    );
    try {
      source.append();
      source.append();
      await waitUntil(() => delivered.length === 2, 'two events arrived');
      source.failing = true;
      source.append();
      await waitUntil(() => retries.length >= 4, 'several retries');
      source.failing = false;
      source.append();
      await waitUntil(() => delivered.length === 4, 'all four events arrived');

      expect(delivered).toEqual([1n, 2n, 3n, 4n]);
      expect(errors).toEqual([]);
      expect(retries.slice(0, 4).map((retry) => [retry.attempt, retry.after])).toEqual([
        [1, 2n],
        [2, 2n],
        [3, 2n],
        [4, 2n],
      ]);
      expect(retries.every((retry) => retry.delayMs <= 20)).toBe(true);
      expect(recovered).toEqual([retries.length]);
    } finally {
      await subscription.close();
    }
  });

  it('close ends a subscription that waits to retry', async () => {
    const source = new FlakySource();
    source.failing = true;
    const retries: RetryInfo[] = [];
    const subscription = new PollingSubscription(source, { onEvent: () => undefined, onRetry: (_error, retry) => retries.push(retry) }, () => undefined);
    await waitUntil(() => retries.length > 0, 'a retry is pending');
    await subscription.close();
    const reads = source.reads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(source.reads).toBe(reads);
  });
});
