import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideSeatPool, seatPoolDecider, type Decider, type PoolContext, type SeatPoolEvent, type SeatPoolState } from '@ses/domain';
import { streams } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import { CommandHandling } from '../apps/command/src/application/command-handling';
import { AggregateStore, type CommandContext } from '../apps/command/src/infrastructure/aggregate-store';
import { SqliteCommandIndexStore } from '../apps/command/src/infrastructure/command-index/sqlite-command-index-store';

/**
 * Does a seat pool that has seen 100,000 sessions decide as fast as a new one? Both
 * pools are loaded once (the command app's state cache), then the median latency of
 * load (tail read) + decide + append of a new session start is measured on each. And
 * loading the busy pool with nothing cached (after a restart): from its snapshot (as the
 * command app does), and folding its whole stream (no snapshot, as before issue 8).
 */
export async function seatPoolBench(): Promise<Record<string, unknown>> {
  const history = Number(process.env.SES_BENCH_POOL_SESSIONS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'ses-pool-bench-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const snapshots = new SqliteCommandIndexStore(join(dir, 'command-index.sqlite'));
  try {
    const aggregates = new AggregateStore(store, snapshots);
    const busy = streams.seatPool('acc', 'busy');
    const fresh = streams.seatPool('acc', 'fresh');
    const commands = new CommandHandling(aggregates);
    await fill(commands, busy, history);
    await aggregates.load(busy, seatPoolDecider);
    const coldLoad = async (restarted: AggregateStore) => {
      const started = process.hrtime.bigint();
      await restarted.load(busy, seatPoolDecider);
      return round(Number(process.hrtime.bigint() - started) / 1e6);
    };
    return {
      historySessions: history,
      coldLoadOfBusyPoolMs: {
        fromSnapshot: await coldLoad(new AggregateStore(store, snapshots)),
        foldingTheWholeStream: await coldLoad(new AggregateStore(store)),
      },
      startUsageMedianMs: { poolWith100kSessions: await startLatency(commands, busy), newPool: await startLatency(commands, fresh) },
    };
  } finally {
    await snapshots.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const context: PoolContext = {
  accountId: 'acc',
  productId: 'p',
  accountExists: true,
  seatsOwned: 100,
  alertRules: [],
  eligibility: { allowed: true },
  entitlement: null,
};
const start = (now: string, sessionId: string, userId: string) =>
  ({ type: 'StartUsage', now, sessionId, userId, machineId: 'm', country: 'US', sessionIdTakenInAccount: false, recorded: null, context }) as const;
let seq = 0;
const ctx = (now: string): CommandContext => ({ actorSub: 'bench', commandId: `c${++seq}`, correlationId: 'b', causationId: 'b', now, seed: `seed-${seq}` });

/** History written fast: 1000 starts (each decided on the batch's state) and their ends per append. */
const historyDecider: Decider<{ offset: number; count: number; now: string }, SeatPoolEvent, SeatPoolState> = {
  ...seatPoolDecider,
  decide: ({ offset, count, now }, state) => {
    const events: SeatPoolEvent[] = [];
    for (let i = offset; i < Math.min(count, offset + 1000); i++) {
      events.push(...decideSeatPool(start(now, `h${i}`, `u${i % 50}`), state));
      events.push({ type: 'UsageEnded', data: { accountId: 'acc', sessionId: `h${i}`, userId: `u${i % 50}`, productId: 'p', endedAt: now } });
    }
    return events;
  },
};

async function fill(commands: CommandHandling, stream: string, sessions: number): Promise<void> {
  const now = new Date().toISOString();
  for (let offset = 0; offset < sessions; offset += 1000) await commands.handle(historyDecider, stream, { offset, count: sessions, now }, ctx(now));
}

async function startLatency(commands: CommandHandling, stream: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const now = new Date().toISOString();
    const started = process.hrtime.bigint();
    await commands.handle(seatPoolDecider, stream, start(now, `n${stream}${i}`, `n${i}`), ctx(now));
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return round(samples[Math.floor(samples.length / 2)]);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
