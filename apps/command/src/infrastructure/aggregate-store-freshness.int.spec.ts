import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seatPoolDecider, type StartUsage } from '@ses/domain';
import { streams, type EventMetadata } from '@ses/events';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { CommandHandling } from '../application/command-handling';
import { AggregateStore, type CommandContext } from './aggregate-store';
import type { StreamChangeListener, StreamChanges } from './stream-changes';
import { LogIndex } from './command-index/log-index';
import { SqliteCommandIndexStore } from './command-index/sqlite-command-index-store';
import { counting, type CountingEventStore } from './testing/counting-event-store';

const T = '2026-03-01T10:00:00.000Z';
const POOL = streams.seatPool('acc', 'p');
const started = (sessionId: string): EventToAppend => ({
  eventId: randomUUID(),
  type: 'UsageStarted',
  data: { accountId: 'acc', productId: 'p', sessionId, userId: `u-${sessionId}`, machineId: 'm', productVersion: null, termLicenseUsage: false, startedAt: T },
  metadata: { actor: 't', commandId: randomUUID(), correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: T, hash: '' } as EventMetadata,
});
const start = (sessionId: string): StartUsage => ({
  type: 'StartUsage',
  now: T,
  sessionId,
  userId: `u-${sessionId}`,
  machineId: 'm',
  country: 'US',
  sessionIdTakenInAccount: false,
  recorded: null,
  context: { accountId: 'acc', productId: 'p', accountExists: true, seatsOwned: 100, alertRules: [], eligibility: { allowed: true }, entitlement: null },
});
const ctx = (freshSince?: number): CommandContext => ({
  actorSub: 't',
  commandId: randomUUID(),
  correlationId: 'c',
  causationId: 'c',
  now: T,
  seed: randomUUID(),
  freshSince,
});
const sessions = (state: { activeSessions: Map<string, unknown> }) => [...state.activeSessions.keys()].sort();

/** A change source driven by the test: tickets are counters, `since` settles when the test says the source caught up. */
class ManualChanges implements StreamChanges {
  listener!: StreamChangeListener;
  private passes = 0;
  ticket(): number {
    return this.passes;
  }
  async since(ticket: number): Promise<void> {
    if (this.passes <= ticket) throw new Error(`no pass since ticket ${ticket}`);
  }
  listen(listener: StreamChangeListener): void {
    this.listener = listener;
  }
  /** A pass over the log that read these events. */
  pass(...events: [string, bigint][]): void {
    for (const [streamId, revision] of events) this.listener.changed(streamId, revision);
    this.passes += 1;
  }
}

describe('AggregateStore with a change source: cached streams known current skip their tail read', () => {
  let dir: string;
  let events: SqliteEventStore;
  let counted: CountingEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'freshness-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    counted = counting(events);
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('fed by the command index (LogIndex)', () => {
    let index: SqliteCommandIndexStore;
    let lookups: LogIndex;
    let store: AggregateStore;
    beforeEach(async () => {
      index = new SqliteCommandIndexStore(join(dir, 'command-index.sqlite'));
      lookups = new LogIndex(events, index, { followIntervalMs: 0 });
      await lookups.start();
      store = new AggregateStore(counted, index, { changes: lookups });
    });
    afterEach(async () => {
      await lookups.stop();
      await index.close();
    });

    it('reads no tail for a cached stream when a ticket is given, and reads it without one', async () => {
      await new CommandHandling(store).handle(seatPoolDecider, POOL, start('s1'), ctx(store.ticket()));
      counted.resetCounts();
      const loaded = await store.load(POOL, seatPoolDecider, store.ticket());
      expect(counted.reads.streamReads).toBe(0);
      expect(sessions(loaded.state)).toEqual(['s1']);
      await store.load(POOL, seatPoolDecider);
      expect(counted.reads.streamReads).toBe(1);
    });

    it('sees what another instance appended before the ticket was taken, and then knows the stream current again', async () => {
      await new CommandHandling(store).handle(seatPoolDecider, POOL, start('s1'), ctx(store.ticket()));
      await store.load(POOL, seatPoolDecider, store.ticket());
      // Another command app on the same log appends to the cached stream.
      await events.appendToStream(POOL, [started('elsewhere')], 0n);
      counted.resetCounts();
      const loaded = await store.load(POOL, seatPoolDecider, store.ticket());
      expect(sessions(loaded.state)).toEqual(['elsewhere', 's1']);
      expect(loaded.revision).toBe(1n);
      expect(counted.reads.streamReads).toBe(1);
      counted.resetCounts();
      expect((await store.load(POOL, seatPoolDecider, store.ticket())).revision).toBe(1n);
      expect(counted.reads.streamReads).toBe(0);
    });

    it('decides on what another instance appended meanwhile: a command with a later ticket conflicts nowhere and loses nothing', async () => {
      const commands = new CommandHandling(store);
      await commands.handle(seatPoolDecider, POOL, start('s1'), ctx(store.ticket()));
      await events.appendToStream(POOL, [started('elsewhere')], 0n);
      await commands.handle(seatPoolDecider, POOL, start('s2'), ctx(store.ticket()));
      const stored = await events.readStream(POOL);
      expect(stored.map((event) => (event.data as { sessionId: string }).sessionId)).toEqual(['s1', 'elsewhere', 's2']);
    });
  });

  it('the command index tells its listeners of every event it reads, and of a stretch another process indexed', async () => {
    const index = new SqliteCommandIndexStore(join(dir, 'command-index.sqlite'));
    const mine = new LogIndex(events, index, { followIntervalMs: 0 });
    const other = new LogIndex(events, index, { followIntervalMs: 0 });
    await Promise.all([mine.start(), other.start()]);
    const told: string[] = [];
    mine.listen({ changed: (streamId, revision) => told.push(`${streamId}@${revision}`), skipped: () => told.push('skipped') });
    await events.appendToStream(POOL, [started('a'), started('b')], 'no_stream');
    await mine.since(mine.ticket());
    expect(told).toEqual([`${POOL}@0`, `${POOL}@1`]);
    await events.appendToStream(POOL, [started('c')], 1n);
    await other.catchUp(); // the shared index file moves past revision 2 without `mine` reading it
    await mine.since(mine.ticket());
    expect(told.slice(2)).toEqual(['skipped']);
    await Promise.all([mine.stop(), other.stop()]);
    await index.close();
  });

  describe('the moments a stream stops being known current (a change source driven by the test)', () => {
    let changes: ManualChanges;
    let store: AggregateStore;
    beforeEach(async () => {
      changes = new ManualChanges();
      store = new AggregateStore(counted, undefined, { changes });
      await events.appendToStream(POOL, [started('a')], 'no_stream');
      await store.load(POOL, seatPoolDecider);
      changes.pass([POOL, 0n]);
      counted.resetCounts();
    });

    it('an event beyond the cached revision, told by a pass', async () => {
      await store.load(POOL, seatPoolDecider, changes.ticket() - 1);
      expect(counted.reads.streamReads).toBe(0);
      await events.appendToStream(POOL, [started('b')], 0n);
      changes.pass([POOL, 1n]);
      const loaded = await store.load(POOL, seatPoolDecider, changes.ticket() - 1);
      expect(counted.reads.streamReads).toBe(1);
      expect(sessions(loaded.state)).toEqual(['a', 'b']);
    });

    it('an event told while the read that cached the stream was in flight (the read may have missed it)', async () => {
      store.forget(POOL);
      const reading = store.load(POOL, seatPoolDecider);
      // Told before the read settles: the read began first, so it is not known to hold revision 1.
      changes.pass([POOL, 1n]);
      await reading;
      counted.resetCounts();
      await store.load(POOL, seatPoolDecider, changes.ticket() - 1);
      expect(counted.reads.streamReads).toBe(1);
    });

    it('a stretch of the log passed over unread (another process indexed it)', async () => {
      changes.listener.skipped();
      changes.pass();
      await store.load(POOL, seatPoolDecider, changes.ticket() - 1);
      expect(counted.reads.streamReads).toBe(1);
    });

    it('a change source that cannot catch up costs the tail read, never the answer', async () => {
      await events.appendToStream(POOL, [started('b')], 0n);
      const loaded = await store.load(POOL, seatPoolDecider, changes.ticket()); // no pass since: since() rejects
      expect(counted.reads.streamReads).toBe(1);
      expect(sessions(loaded.state)).toEqual(['a', 'b']);
    });

    it('an append by this store leaves the stream known current', async () => {
      await new CommandHandling(store).handle(seatPoolDecider, POOL, start('mine'), ctx(changes.ticket() - 1));
      changes.pass([POOL, 1n]);
      counted.resetCounts();
      const loaded = await store.load(POOL, seatPoolDecider, changes.ticket() - 1);
      expect(counted.reads.streamReads).toBe(0);
      expect(sessions(loaded.state)).toEqual(['a', 'mine']);
    });
  });
});
