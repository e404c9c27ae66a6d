import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBrokenLink, type DomainEvent } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import { DomainError } from '@ses/domain';
import { AggregateStore, type Aggregate, type CommandContext } from './aggregate-store';

/** A counter aggregate: enough to see loading, caching, concurrency and hashing at work. */
const counter: Aggregate<{ count: number }> = {
  initialState: () => ({ count: 0 }),
  evolve: (state, event) => (event.type === 'UserDeactivated' ? { count: state.count + 1 } : state),
};
const bump = (n = 1): DomainEvent[] => Array.from({ length: n }, () => ({ type: 'UserDeactivated', data: { accountId: 'a', userId: 'u' } }));
let seq = 0;
const ctx = (): CommandContext => ({
  actorSub: 'tester',
  commandId: `c${++seq}`,
  correlationId: 'corr',
  causationId: 'cause',
  now: '2026-11-23T10:00:00.000Z',
  seed: `seed-${seq}`,
});

describe('AggregateStore on the SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agg-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends decided events with metadata and a hash chain that verifies', async () => {
    const aggregates = new AggregateStore(store);
    await aggregates.execute('s-1', counter, () => bump(2), ctx());
    await aggregates.execute('s-1', counter, () => bump(1), ctx());
    const events = await store.readStream('s-1');
    expect(events).toHaveLength(3);
    expect(events[0].metadata).toMatchObject({
      actor: 'tester',
      correlationId: 'corr',
      causationId: 'cause',
      schemaVersion: 1,
      occurredAt: '2026-11-23T10:00:00.000Z',
    });
    expect(firstBrokenLink(events)).toBe(-1);
    expect(firstBrokenLink([{ ...events[0], data: { ...events[0].data, userId: 'x' } }, events[1]])).toBe(0);
  });

  it('sees events appended by another instance (tail read after the cached revision)', async () => {
    const a = new AggregateStore(store);
    const b = new AggregateStore(store);
    await a.execute('s-2', counter, () => bump(1), ctx());
    expect((await b.load('s-2', counter)).state.count).toBe(1);
    await a.execute('s-2', counter, () => bump(2), ctx());
    const loaded = await b.load('s-2', counter);
    expect(loaded.state.count).toBe(3);
    expect(loaded.revision).toBe(2n);
  });

  it('re-decides on fresh state when another instance appended in between', async () => {
    const a = new AggregateStore(store);
    const b = new AggregateStore(store);
    await a.execute('s-3', counter, () => bump(1), ctx());
    await b.load('s-3', counter); // b caches revision 0
    await a.execute('s-3', counter, () => bump(1), ctx());
    const seen: number[] = [];
    await b.execute('s-3', counter, (state) => (seen.push(state.count), bump(1)), ctx());
    expect(seen).toEqual([2]);
    expect((await store.readStream('s-3')).length).toBe(3);
  });

  it('gives CONCURRENCY_CONFLICT when the stream keeps changing', async () => {
    const a = new AggregateStore(store);
    const intruder = new AggregateStore(store);
    const attempt = a.execute(
      's-4',
      counter,
      async () => {
        await intruder.execute('s-4', counter, () => bump(1), ctx());
        return bump(1);
      },
      ctx(),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
  });

  it('appends nothing when the decision throws', async () => {
    const a = new AggregateStore(store);
    await expect(
      a.execute(
        's-5',
        counter,
        () => {
          throw new DomainError('FORBIDDEN', 'no');
        },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.readStream('s-5')).toEqual([]);
  });

  it('serialises concurrent commands on one stream in this process: none conflicts', async () => {
    const a = new AggregateStore(store);
    await Promise.all(Array.from({ length: 20 }, () => a.execute('s-6', counter, () => bump(1), ctx())));
    expect((await a.load('s-6', counter)).state.count).toBe(20);
  });
});
