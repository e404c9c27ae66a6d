import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seatPoolDecider, type StartUsage } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { loadConfig } from '@ses/platform';
import pino from 'pino';
import { AccountCommands } from '../application/account-commands';
import { CommandHandling } from '../application/command-handling';
import { SeatPoolCommands } from '../application/seat-pool-commands';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { LogIndex } from '../infrastructure/command-index/log-index';
import { SqliteCommandIndexStore } from '../infrastructure/command-index/sqlite-command-index-store';
import { counting, type CountingEventStore } from '../infrastructure/testing/counting-event-store';
import { UsageTimers } from './usage-timers';

const T = Date.parse('2026-03-01T10:00:00.000Z');
const TTL = 900;
const iso = (ms: number) => new Date(ms).toISOString();
const silent = pino({ level: 'silent' });

/** One command-app process as far as timers go: its own event store connection, index, aggregate cache and timers, on a shared data directory. */
class Process {
  readonly events: CountingEventStore;
  readonly indexStore: SqliteCommandIndexStore;
  readonly index: LogIndex;
  readonly timers: UsageTimers;
  readonly commands: CommandHandling;
  now = T;

  constructor(dir: string) {
    this.events = counting(new SqliteEventStore(join(dir, 'events.sqlite')));
    this.indexStore = new SqliteCommandIndexStore(join(dir, 'command-index.sqlite'));
    this.index = new LogIndex(this.events, this.indexStore, { followIntervalMs: 0 });
    const aggregates = new AggregateStore(this.events, this.indexStore);
    this.commands = new CommandHandling(aggregates);
    const pools = new SeatPoolCommands(this.commands, aggregates, new AccountCommands(this.commands, aggregates, this.index), this.index, this.index);
    const config = { ...loadConfig({}), sessionTtlSeconds: TTL };
    this.timers = new UsageTimers(config, { now: () => new Date(this.now) }, silent, this.index, pools);
  }

  async stop(): Promise<void> {
    await this.index.stop();
    await this.indexStore.close();
    await this.events.close();
  }
}

const start = (accountId: string, productId: string, sessionId: string, at: number): StartUsage => ({
  type: 'StartUsage',
  now: iso(at),
  sessionId,
  userId: 'u1',
  machineId: 'm',
  country: 'US',
  sessionIdTakenInAccount: false,
  recorded: null,
  context: { accountId, productId, accountExists: true, seatsOwned: 5, alertRules: [], eligibility: { allowed: true }, entitlement: null },
});
let seq = 0;
const ctx = (at: number): CommandContext => ({ actorSub: 'u', commandId: `c${++seq}`, correlationId: 'c', causationId: 'c', now: iso(at), seed: randomUUID() });

describe('usage timers from the index of due times', () => {
  let dir: string;
  const processes: Process[] = [];
  const open = async () => {
    const process = new Process(dir);
    processes.push(process);
    await process.index.start();
    return process;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'timers-'));
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `count` pools that once had a session (started and ended): idle, nothing due, ever. */
  async function idlePools(process: Process, count: number): Promise<void> {
    for (let p = 0; p < count; p++) {
      const data = { accountId: 'idle', sessionId: `s${p}`, userId: 'u1', productId: `p${p}` };
      const raw = (event: DomainEvent): EventToAppend => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor: 't', commandId: 'x', correlationId: 'x', causationId: 'x', schemaVersion: 1, occurredAt: iso(T), hash: '' },
      });
      await process.events.appendToStream(
        streams.seatPool('idle', `p${p}`),
        [
          raw({ type: 'UsageStarted', data: { ...data, machineId: 'm', productVersion: null, termLicenseUsage: false, country: 'US', startedAt: iso(T) } }),
          raw({ type: 'UsageEnded', data: { ...data, endedAt: iso(T + 1000) } }),
        ],
        'any',
      );
    }
  }

  const timedOut = async (process: Process, streamId: string) =>
    (await process.events.readStream(streamId)).filter((event) => event.type === 'UsageTimedOut').map((event) => event.data);

  it('fires once after a restart a time-out that fell due during the downtime, in a pool idle since, loading only the pools that are due', async () => {
    const before = await open();
    await idlePools(before, 300);
    const due = streams.seatPool('acme', 'cad');
    await before.commands.handle(seatPoolDecider, due, start('acme', 'cad', 'left-open', T), ctx(T));
    await before.timers.tick();
    expect(await timedOut(before, due)).toEqual([]);
    await before.stop();
    processes.splice(0);

    // Down for an hour; then a new process starts on the same data directory.
    const after = await open();
    after.now = T + 3600_000;
    after.events.resetCounts();
    await after.timers.tick();
    expect(await timedOut(after, due)).toEqual([expect.objectContaining({ sessionId: 'left-open', lastHeartbeatAt: iso(T), timedOutAt: iso(after.now) })]);
    // The tick read the index's tail (nothing new) and the due pool's stream, none of the 300 idle pools.
    expect(after.events.reads.logEvents).toBe(0);
    expect([...after.events.streamsRead]).toEqual([due]);

    after.now += 60_000;
    await after.timers.tick();
    const again = await open(); // one more restart: still nothing to fire twice
    again.now = after.now + 60_000;
    await again.timers.tick();
    expect(await timedOut(again, due)).toHaveLength(1);
  });

  it('two instances ticking at once append a time-out once', async () => {
    const first = await open();
    const due = streams.seatPool('acme', 'cad');
    await first.commands.handle(seatPoolDecider, due, start('acme', 'cad', 's1', T), ctx(T));
    const second = await open();
    first.now = second.now = T + (TTL + 5) * 1000;
    await Promise.all([first.timers.tick(), second.timers.tick()]);
    expect(await timedOut(first, due)).toHaveLength(1);
  });

  it('a heartbeat postpones the time-out: nothing is due until TTL after it', async () => {
    const process = await open();
    const pool = streams.seatPool('acme', 'cad');
    await process.commands.handle(seatPoolDecider, pool, start('acme', 'cad', 's1', T), ctx(T));
    const beat = T + 600_000;
    await process.commands.handle(
      seatPoolDecider,
      pool,
      { type: 'HeartbeatUsage', now: iso(beat), sessionId: 's1', actor: { kind: 'operator' }, recorded: null },
      ctx(beat),
    );
    process.now = T + (TTL + 1) * 1000;
    await process.timers.tick();
    expect(await timedOut(process, pool)).toEqual([]);
    process.now = beat + TTL * 1000;
    await process.timers.tick();
    expect(await timedOut(process, pool)).toHaveLength(1);
  });
});
