import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBrokenLink, type DomainEvent } from '@ses/events';
import { SqliteEventStore, type EventStore } from '@ses/event-store';
import { DomainError, type Decider } from '@ses/domain';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { appendCounting } from '../infrastructure/testing/append-counting-event-store';
import { testCommandContext as ctx } from '../infrastructure/testing/test-command-context';
import { CommandHandling } from './command-handling';

/** A counter aggregate: enough to see loading, caching, concurrency and hashing at work. */
type Bump = { by: number; seen?: number[]; fail?: boolean };
const counter: Decider<Bump, DomainEvent, { count: number }> = {
  initialState: () => ({ count: 0 }),
  evolve: (state, event) => (event.type === 'UserDeactivated' ? { count: state.count + 1 } : state),
  decide: (command, state) => {
    command.seen?.push(state.count); // test instrumentation: which state each attempt decided on
    if (command.fail) throw new DomainError('FORBIDDEN', 'no');
    return Array.from({ length: command.by }, () => ({ type: 'UserDeactivated', data: { accountId: 'a', userId: 'u' } }));
  },
};
describe('the command path (load, decide, append, retry) on the SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;
  const path = (events: EventStore = store) => new CommandHandling(new AggregateStore(events));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agg-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends decided events with metadata and a hash chain that verifies, and answers them with the state after', async () => {
    const commands = path();
    await commands.handle(counter, 's-1', { by: 2 }, ctx());
    const handled = await commands.handle(counter, 's-1', { by: 1 }, ctx(), () => ({ commandResult: { ok: true } }));
    expect(handled.events).toHaveLength(1);
    expect(handled.state).toEqual({ count: 3 });
    const events = await store.readStreamRecords('s-1');
    expect(events).toHaveLength(3);
    expect(handled.position).toBe(events[2].position);
    expect(events[0].metadata).toMatchObject({
      actor: 'tester',
      correlationId: 'corr',
      causationId: 'cause',
      schemaVersion: 1,
      occurredAt: '2026-11-23T10:00:00.000Z',
    });
    expect(events[2].metadata.commandResult).toEqual({ ok: true });
    expect(firstBrokenLink(events)).toBe(-1);
    expect(firstBrokenLink([{ ...events[0], data: { ...events[0].data, userId: 'x' } }, events[1]])).toBe(0);
  });

  it("records a command's result on the last event of its append only", async () => {
    await path().handle(counter, 's-8', { by: 3 }, ctx(), () => ({ commandResult: { n: 3 } }));
    const events = await store.readStreamRecords('s-8');
    expect(events.map((e) => e.metadata.commandResult ?? null)).toEqual([null, null, { n: 3 }]);
    expect(firstBrokenLink(events)).toBe(-1);
  });

  it('appends nothing for a decision of no events, answering the state and position as they are', async () => {
    const commands = path();
    const first = await commands.handle(counter, 's-0', { by: 1 }, ctx());
    expect(await commands.handle(counter, 's-0', { by: 0 }, ctx())).toEqual({ command: { by: 0 }, events: [], state: { count: 1 }, position: first.position });
  });

  it('sees events appended by another instance (tail read after the cached revision)', async () => {
    const a = new AggregateStore(store);
    const b = new AggregateStore(store);
    await new CommandHandling(a).handle(counter, 's-2', { by: 1 }, ctx());
    expect((await b.load('s-2', counter)).state.count).toBe(1);
    await new CommandHandling(a).handle(counter, 's-2', { by: 2 }, ctx());
    const loaded = await b.load('s-2', counter);
    expect(loaded.state.count).toBe(3);
    expect(loaded.revision).toBe(2n);
  });

  it('re-decides on fresh state when another instance appended in between', async () => {
    const a = path();
    const bStore = new AggregateStore(store);
    const b = new CommandHandling(bStore);
    await a.handle(counter, 's-3', { by: 1 }, ctx());
    await bStore.load('s-3', counter); // b caches revision 0
    await a.handle(counter, 's-3', { by: 1 }, ctx());
    const seen: number[] = [];
    await b.handle(counter, 's-3', { by: 1, seen }, ctx());
    expect(seen).toEqual([2]);
    expect((await store.readStream('s-3')).length).toBe(3);
  });

  it('retries on a conflict, deciding again on the state that won', async () => {
    let intrusions = 1;
    const commands = path(appendCounting(store, async () => intrusions-- > 0 && (await path().handle(counter, 's-7', { by: 1 }, ctx()))));
    const seen: number[] = [];
    const handled = await commands.handle(counter, 's-7', { by: 1, seen }, ctx());
    expect(seen).toEqual([0, 1]);
    expect(handled.state).toEqual({ count: 2 });
  });

  it('gives CONCURRENCY_CONFLICT when the stream keeps changing, after a bounded number of attempts', async () => {
    const seen: number[] = [];
    const commands = path(appendCounting(store, () => path().handle(counter, 's-4', { by: 1 }, ctx())));
    const attempt = commands.handle(counter, 's-4', { by: 1, seen }, ctx());
    await expect(attempt).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    expect(seen).toHaveLength(8);
  });

  it('appends nothing when the decision throws', async () => {
    await expect(path().handle(counter, 's-5', { by: 1, fail: true }, ctx())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.readStream('s-5')).toEqual([]);
  });

  it('serialises concurrent commands on one stream in this process: none conflicts', async () => {
    const aggregates = new AggregateStore(store);
    const commands = new CommandHandling(aggregates);
    await Promise.all(Array.from({ length: 20 }, () => commands.handle(counter, 's-6', { by: 1 }, ctx())));
    expect((await aggregates.load('s-6', counter)).state.count).toBe(20);
  });
});
