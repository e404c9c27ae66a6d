import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideSeatPool, type PoolContext, type SeatPoolEvent } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import { AggregateStore, type CommandContext } from '../apps/command/src/infrastructure/aggregate-store';
import { seatPoolAggregate } from '../apps/command/src/shared/seat-pools';

/**
 * Does a seat pool that has seen 100,000 sessions decide as fast as a new one? Both
 * pools are loaded once (the command app's state cache), then the median latency of
 * load (tail read) + decide + append of a new session start is measured on each.
 */
export async function seatPoolBench(): Promise<Record<string, unknown>> {
  const history = Number(process.env.SES_BENCH_POOL_SESSIONS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'ses-pool-bench-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    const aggregates = new AggregateStore(store);
    const busy = streams.seatPool('acc', 'busy');
    const fresh = streams.seatPool('acc', 'fresh');
    await fill(aggregates, busy, history);
    await aggregates.load(busy, seatPoolAggregate);
    const coldStart = process.hrtime.bigint();
    await new AggregateStore(store).load(busy, seatPoolAggregate);
    const coldLoadMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
    return {
      historySessions: history,
      coldLoadOfBusyPoolMs: round(coldLoadMs),
      startUsageMedianMs: { poolWith100kSessions: await startLatency(aggregates, busy), newPool: await startLatency(aggregates, fresh) },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const context: PoolContext = { accountId: 'acc', productId: 'p', seatsOwned: 100, alertRules: [], eligibility: { allowed: true }, entitlement: null };
let seq = 0;
const ctx = (now: string): CommandContext => ({ actorSub: 'bench', commandId: `c${++seq}`, correlationId: 'b', causationId: 'b', now, seed: `seed-${seq}` });

async function fill(aggregates: AggregateStore, stream: string, sessions: number): Promise<void> {
  const now = new Date().toISOString();
  for (let offset = 0; offset < sessions; offset += 1000) {
    await aggregates.execute(
      stream,
      seatPoolAggregate,
      (state) => {
        const events: SeatPoolEvent[] = [];
        for (let i = offset; i < Math.min(sessions, offset + 1000); i++) {
          events.push(...decideSeatPool({ type: 'StartUsage', now, sessionId: `h${i}`, userId: `u${i % 50}`, machineId: 'm', country: 'US', context }, state));
          events.push({ type: 'UsageEnded', data: { accountId: 'acc', sessionId: `h${i}`, userId: `u${i % 50}`, productId: 'p', endedAt: now } });
        }
        return events as DomainEvent[];
      },
      ctx(now),
    );
  }
}

async function startLatency(aggregates: AggregateStore, stream: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const now = new Date().toISOString();
    const started = process.hrtime.bigint();
    await aggregates.execute(
      stream,
      seatPoolAggregate,
      (state) =>
        decideSeatPool(
          { type: 'StartUsage', now, sessionId: `n${stream}${i}`, userId: `n${i}`, machineId: 'm', country: 'US', context },
          state,
        ) as DomainEvent[],
      ctx(now),
    );
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return round(samples[Math.floor(samples.length / 2)]);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
