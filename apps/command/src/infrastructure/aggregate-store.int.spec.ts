import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountDecider, seatPoolDecider, SEAT_POOL_STATE_VERSION, type SeatPoolState, type StartUsage } from '@ses/domain';
import { firstBrokenLink, streams, type DomainEvent, type EventMetadata } from '@ses/events';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { CommandHandling } from '../application/command-handling';
import { AggregateStore, type CommandContext } from './aggregate-store';
import { LogIndex } from './command-index/log-index';
import { SqliteCommandIndexStore } from './command-index/sqlite-command-index-store';
import { encodeState, SNAPSHOT_BYTES_PER_EVENT, SNAPSHOT_EVERY, SnapshotBuilder } from './snapshots';
import { counting } from './testing/counting-event-store';

const T = '2026-03-01T10:00:00.000Z';
const POOL = streams.seatPool('acc', 'busy');
const metadata = (): EventMetadata => ({
  actor: 't',
  commandId: randomUUID(),
  correlationId: 'c',
  causationId: 'c',
  schemaVersion: 1,
  occurredAt: T,
  hash: '',
});
const raw = (event: DomainEvent): EventToAppend => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: metadata() });
const ids = (i: number) => ({ accountId: 'acc', sessionId: `h${i}`, userId: `u${i % 50}`, productId: 'busy' });
const startedAndEnded = (i: number): DomainEvent[] => [
  { type: 'UsageStarted', data: { ...ids(i), machineId: 'm', productVersion: null, termLicenseUsage: false, country: 'US', startedAt: T } },
  { type: 'UsageEnded', data: { ...ids(i), endedAt: T } },
];
const start = (sessionId: string, userId: string): StartUsage => ({
  type: 'StartUsage',
  now: T,
  sessionId,
  userId,
  machineId: 'm',
  country: 'US',
  sessionIdTakenInAccount: false,
  recorded: null,
  context: { accountId: 'acc', productId: 'busy', accountExists: true, seatsOwned: 100, alertRules: [], eligibility: { allowed: true }, entitlement: null },
});
let seq = 0;
const ctx = (): CommandContext => ({
  actorSub: 't',
  commandId: `c${++seq}`,
  correlationId: 'c',
  causationId: 'c',
  now: T,
  seed: `seed-${seq}-${randomUUID()}`,
});

describe('aggregates load in constant time: snapshots of the state, a bounded tail read', () => {
  let dir: string;
  let events: SqliteEventStore;
  let index: SqliteCommandIndexStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'snapshots-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    index = new SqliteCommandIndexStore(join(dir, 'command-index.sqlite'));
  });
  afterEach(async () => {
    await index.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `sessions` sessions started and ended in the pool, written straight into the log (as an old data directory holds them). */
  async function history(sessions: number): Promise<void> {
    for (let offset = 0; offset < sessions; offset += 5000) {
      const batch: EventToAppend[] = [];
      for (let i = offset; i < Math.min(sessions, offset + 5000); i++) batch.push(...startedAndEnded(i).map(raw));
      await events.appendToStream(POOL, batch, 'any');
    }
  }

  it('loads a pool with 100,000 past sessions after a restart reading a bounded number of events, to the same state as a full fold', async () => {
    await history(100_000);
    // The first load after the history was written folds it all once, and leaves a snapshot.
    const full = await new AggregateStore(events, index).load(POOL, seatPoolDecider);
    expect(full.revision).toBe(199_999n);
    // A few more events after the snapshot, by a process that takes none.
    const commands = new CommandHandling(new AggregateStore(events));
    for (let i = 0; i < 20; i++) await commands.handle(seatPoolDecider, POOL, start(`n${i}`, `n${i}`), ctx());

    const counted = counting(events);
    const restarted = new AggregateStore(counted, index);
    const cold = await restarted.load(POOL, seatPoolDecider);
    expect(counted.reads.streamEvents).toBeLessThanOrEqual(SNAPSHOT_EVERY);
    expect(counted.reads.streamEvents).toBe(20);
    const folded = await new AggregateStore(events).load(POOL, seatPoolDecider);
    expect(cold).toEqual({ ...folded, snapshotRevision: cold.snapshotRevision, snapshotBytes: cold.snapshotBytes });
    expect(cold.state.activeSessions.size).toBe(20);

    // It decides on it as on the folded state: the hash chain goes on from the snapshot's hash.
    await new CommandHandling(restarted).handle(seatPoolDecider, POOL, start('after', 'u-after'), ctx());
    const [before, appended] = await events.readStreamRecords(POOL, { fromRevision: 200_019n });
    expect([before.revision, appended.revision, appended.data.sessionId]).toEqual([200_019n, 200_020n, 'after']);
    expect(firstBrokenLink([appended], String(before.metadata.hash))).toBe(-1);
  }, 120_000);

  it('takes a snapshot once a stream is SNAPSHOT_EVERY events beyond the last one, while commands append', async () => {
    const store = new AggregateStore(events, index);
    const commands = new CommandHandling(store);
    for (let i = 0; i < SNAPSHOT_EVERY - 1; i++) await commands.handle(seatPoolDecider, POOL, start(`s${i}`, `u${i}`), ctx());
    expect(await index.loadSnapshot(POOL)).toBeUndefined();
    await commands.handle(seatPoolDecider, POOL, start('last', 'u-last'), ctx());
    expect(await index.loadSnapshot(POOL)).toMatchObject({ revision: BigInt(SNAPSHOT_EVERY - 1), stateVersion: SEAT_POOL_STATE_VERSION });
    const counted = counting(events);
    const cold = await new AggregateStore(counted, index).load(POOL, seatPoolDecider);
    expect(counted.reads.streamEvents).toBe(0);
    expect(cold.state.activeSessions.size).toBe(SNAPSHOT_EVERY);
  });

  it('snapshots a large state once per SNAPSHOT_BYTES_PER_EVENT bytes of its last snapshot rather than every SNAPSHOT_EVERY events', async () => {
    // 2,000 sessions still open: a state of a few hundred KB.
    const opened = Array.from({ length: 2000 }, (_, i) => raw(startedAndEnded(i)[0]!));
    await events.appendToStream(POOL, opened, 'no_stream');
    const store = new AggregateStore(events, index, { snapshotEvery: 10 });
    const commands = new CommandHandling(store);
    await commands.handle(seatPoolDecider, POOL, start('first', 'u-first'), ctx());
    const first = (await index.loadSnapshot(POOL))!;
    const every = Math.ceil(first.state.byteLength / SNAPSHOT_BYTES_PER_EVENT);
    expect(every).toBeGreaterThan(10);
    const taken = Number(first.revision); // taken at the load, before 'first' appended one event
    for (let i = taken + 2; i < taken + every; i++) await commands.handle(seatPoolDecider, POOL, start(`s${i}`, `v${i}`), ctx());
    expect((await index.loadSnapshot(POOL))!.revision).toBe(first.revision);
    await commands.handle(seatPoolDecider, POOL, start('due', 'u-due'), ctx());
    expect((await index.loadSnapshot(POOL))!.revision).toBe(BigInt(taken + every));
  });

  it('ignores a snapshot of another state version (folds the log instead, and replaces it), and one that does not decode', async () => {
    await history(300);
    const folded = await new AggregateStore(events).load(POOL, seatPoolDecider);
    const misleading = { accountId: 'acc', productId: 'busy', sessions: new Map([['h0', { status: 'ACTIVE' }]]) };
    await index.saveSnapshot({ streamId: POOL, stateVersion: 1, revision: 599n, position: 1n, lastHash: 'x', state: encodeState(misleading) });
    const counted = counting(events);
    const loaded = await new AggregateStore(counted, index).load(POOL, seatPoolDecider);
    expect(counted.reads.streamEvents).toBe(600);
    expect(loaded.state).toEqual(folded.state);
    expect(await index.loadSnapshot(POOL)).toMatchObject({ stateVersion: SEAT_POOL_STATE_VERSION, revision: 599n });

    await index.saveSnapshot({
      streamId: POOL,
      stateVersion: SEAT_POOL_STATE_VERSION + 1,
      revision: 599n,
      position: 1n,
      lastHash: 'x',
      state: new Uint8Array([1, 2]),
    });
    const problems: string[] = [];
    const broken = { ...seatPoolDecider, stateVersion: SEAT_POOL_STATE_VERSION + 1 };
    const again = await new AggregateStore(events, index, { onSnapshotError: (streamId) => problems.push(streamId) }).load(POOL, broken);
    expect(problems).toEqual([POOL]);
    expect(again.state).toEqual(folded.state);
  });

  it('after an upgrade, the index build leaves a snapshot of every pool and account, so even the busiest loads from one (also when it had to make room)', async () => {
    await history(3000);
    const account = streams.account('acc');
    await events.appendToStream(account, [raw({ type: 'AccountOpened', data: { accountId: 'acc', name: 'A', entitlementCountry: 'US', openedAt: T } })], 'any');
    for (let p = 0; p < 5; p++) {
      await events.appendToStream(
        streams.seatPool('acc', `p${p}`),
        startedAndEnded(p).map((event) => raw({ ...event, data: { ...event.data, productId: `p${p}` } } as DomainEvent)),
        'any',
      );
    }
    await history(3010); // the busy pool goes on after the others
    const expected = await new AggregateStore(events).load(POOL, seatPoolDecider);
    const log = new LogIndex(events, index, { followIntervalMs: 0, buildListener: () => new SnapshotBuilder(index, 2) });
    await log.start();
    await log.stop();
    for (const streamId of [POOL, account, ...[0, 1, 2, 3, 4].map((p) => streams.seatPool('acc', `p${p}`))]) {
      expect([streamId, (await index.loadSnapshot(streamId)) !== undefined]).toEqual([streamId, true]);
    }
    const counted = counting(events);
    const cold = await new AggregateStore(counted, index).load(POOL, seatPoolDecider);
    expect(counted.reads.streamEvents).toBe(0);
    expect(cold).toEqual({ ...expected, snapshotRevision: cold.snapshotRevision, snapshotBytes: cold.snapshotBytes });
    expect((await new AggregateStore(counted, index).load(account, accountDecider)).state.exists).toBe(true);
    const pool0 = await new AggregateStore(counted, index).load<SeatPoolState>(streams.seatPool('acc', 'p0'), seatPoolDecider);
    expect(pool0.revision).toBe(1n);
    expect(counted.reads.streamEvents).toBe(0);
  }, 60_000);
});
