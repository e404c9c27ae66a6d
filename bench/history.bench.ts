import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { issueToken } from '@ses/auth';
import { nextDueAt } from '@ses/domain';
import { chainHash, SCHEMA_VERSIONS, streams, type DomainEvent } from '@ses/events';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { loadConfig } from '@ses/platform';
import { AccountCommands } from '../apps/command/src/application/account-commands';
import { CommandHandling } from '../apps/command/src/application/command-handling';
import { SeatPoolCommands } from '../apps/command/src/application/seat-pool-commands';
import { AggregateStore } from '../apps/command/src/infrastructure/aggregate-store';
import { COMMAND_INDEX_FILE } from '../apps/command/src/infrastructure/command-index/create-command-index-store';
import { LogIndex } from '../apps/command/src/infrastructure/command-index/log-index';
import { SqliteCommandIndexStore } from '../apps/command/src/infrastructure/command-index/sqlite-command-index-store';
import { UsageTimers } from '../apps/command/src/timers/usage-timers';
import { SpawnedApp } from './support/spawned-app';

/**
 * Bounded history (issue 8): the same measurements on a log with N and 10 x N sessions,
 * side by side. The log is written straight into the embedded event store as the service
 * writes it (chained hashes), as a data directory from before the command index holds
 * it: 100 accounts x 20 users x 2 entitled products, every session started, heart-beaten
 * and ended over 2026, a tenth of them in one busy pool; plus 10,000 idle pools (one
 * ended session each). Then, on the built apps as child processes (embedded stores):
 *
 * - command app: first start (builds the command index and snapshots from the log, once),
 *   then restarts: start-up to GET /health 200 and RSS; the first decision (startUsage)
 *   on the busy pool, cold, after a `{ ping }` warm-up;
 * - one usage-timer tick with the 10,000 idle pools (in process, on the built index),
 *   and for comparison the pass over every known pool that ticks made before;
 * - query app: first start (projects the whole log), restarts and RSS, the first page of
 *   eventHistory and a year's usageReport [PRODUCT] after each restart.
 *
 * The machine is shared, so restarts are measured in rounds that alternate the sizes
 * (and an empty data directory, the floor), and medians are reported.
 * SES_BENCH_HISTORY_SESSIONS (default "30000,300000"), SES_BENCH_HISTORY_ROUNDS
 * (default 5; the query app gets at most 3) and SES_BENCH_HISTORY_QUERY=0 (skip the
 * query app) bound a run.
 */
export async function historyBench(): Promise<Record<string, unknown>> {
  const sizes = (process.env.SES_BENCH_HISTORY_SESSIONS ?? '30000,300000').split(',').map(Number);
  const rounds = Number(process.env.SES_BENCH_HISTORY_ROUNDS ?? 5);
  const withQuery = process.env.SES_BENCH_HISTORY_QUERY !== '0';
  const loadAverageAtStart = loadavg().map((load) => Math.round(load * 10) / 10);
  const dirs = new Map<string, string>();
  const runs: Record<string, Figures> = {};
  try {
    dirs.set('empty', mkdtempSync(join(tmpdir(), 'ses-history-bench-empty-')));
    runs.empty = { log: { sessions: 0, events: 0 } };
    for (const sessions of sizes) {
      const dir = mkdtempSync(join(tmpdir(), 'ses-history-bench-'));
      dirs.set(String(sessions), dir);
      const writing = performance.now();
      runs[String(sessions)] = { log: { ...(await writeHistory(dir, sessions)), writeSeconds: seconds(writing) } };
    }
    for (const [name, dir] of dirs) runs[name]!.commandFirstStart = await commandFirstStart(envOf(dir));
    const samples = new Map<string, Record<string, number>[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, dir] of dirs) samples.set(name, [...(samples.get(name) ?? []), await commandRestart(envOf(dir))]);
    }
    for (const [name, list] of samples) runs[name]!.commandRestart = { ...medians(list), rounds: list.length };
    for (const sessions of sizes) runs[String(sessions)]!.timerTick = await timerTick(dirs.get(String(sessions))!);
    if (withQuery) {
      const queried = [...dirs].filter(([name]) => name !== 'empty');
      for (const [name, dir] of queried) runs[name]!.queryFirstStart = await queryFirstStart(envOf(dir), dir);
      const querySamples = new Map<string, Record<string, number>[]>();
      for (let round = 0; round < Math.min(rounds, 3); round++) {
        for (const [name, dir] of queried) querySamples.set(name, [...(querySamples.get(name) ?? []), await queryRestart(envOf(dir), dir)]);
      }
      for (const [name, list] of querySamples) runs[name]!.queryRestart = { ...medians(list), rounds: list.length };
    }
  } finally {
    for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
  }
  const [small, large] = [runs[String(sizes[0])], runs[String(sizes[sizes.length - 1])]];
  return {
    workload: { accounts: ACCOUNTS, usersPerAccount: USERS, productsPerAccount: PRODUCTS.length, idlePools: ACCOUNTS * IDLE_PER_ACCOUNT, busyPoolShare: 0.1 },
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((load) => Math.round(load * 10) / 10),
    runs,
    ...(small && large && small !== large ? { largeOverSmall: ratios(small, large) } : {}),
  };
}

type Figures = Record<string, Record<string, number | string>>;

const ACCOUNTS = 100;
const USERS = 20;
const PRODUCTS = ['p0', 'p1'];
const IDLE_PER_ACCOUNT = 100;
const SECRET = 'bench-secret-that-is-long-enough-0000000';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const accountId = (a: number) => `acc-${a}`;
const email = (a: number, u: number) => `u${u}@a${a}.bench.example`;
const envOf = (dir: string) => ({ SES_DATA_DIR: dir, SES_AUTH_SECRET: SECRET, SES_TIMER_INTERVAL_MS: '1000' });

/** The first start on a data directory from before the command index: it builds the index and the snapshots from the log. */
async function commandFirstStart(env: Record<string, string>): Promise<Record<string, number>> {
  const app = await SpawnedApp.start('command', env);
  try {
    const built = app.logs.map(parseLine).find((line) => line?.msg === 'command index: built from the log');
    return { startMs: round(app.startMs), ...app.memory(), indexBuildMs: Number(built?.ms ?? 0), snapshotsStored: Number(built?.snapshotsStored ?? 0) };
  } finally {
    await app.stop();
  }
}

/** A restart: start-up and RSS, then the first decision on the busy pool (cold) after a warm-up `{ ping }`, and the next one. */
async function commandRestart(env: Record<string, string>): Promise<Record<string, number>> {
  const app = await SpawnedApp.start('command', env);
  try {
    const restart = { startMs: round(app.startMs), ...app.memory() };
    const operator = await issueToken(SECRET, { operator: true, sub: 'bench-operator' });
    await app.gql(operator, '{ ping }');
    const user = await issueToken(SECRET, { email: email(0, 1), sub: 'bench-user' });
    const start = `mutation($input: StartUsageInput!) { startUsage(input: $input) { sessionId allowed denyReason } }`;
    // On the empty data directory there is no such user: the answer (NOT_REGISTERED) is still a whole command path.
    const cold = await app.gql(user, start, { input: { productId: 'p0', machineId: 'bench', sessionId: `bench-${Date.now()}` } });
    const warm = await app.gql(user, start, { input: { productId: 'p0', machineId: 'bench', sessionId: `bench-warm-${Date.now()}` } });
    return { ...restart, firstDecisionColdBusyPoolMs: round(cold.ms), nextDecisionMs: round(warm.ms), rssAfterDecisionsMB: app.memory().rssMB };
  } finally {
    await app.stop();
  }
}

/** One tick of the usage timers on the index the command app built, with 10,000 idle pools; and the pass over every pool that ticks made before. */
async function timerTick(dir: string): Promise<Record<string, number>> {
  const events = new SqliteEventStore(join(dir, 'events.sqlite'));
  const indexStore = new SqliteCommandIndexStore(join(dir, COMMAND_INDEX_FILE));
  const index = new LogIndex(events, indexStore, { followIntervalMs: 0 });
  try {
    await index.start();
    const aggregates = new AggregateStore(events, indexStore);
    const commands = new CommandHandling(aggregates);
    const pools = new SeatPoolCommands(commands, aggregates, new AccountCommands(commands, aggregates, index), index, index);
    const config = { ...loadConfig({}), sessionTtlSeconds: 900 };
    const timers = new UsageTimers(config, { now: () => new Date() }, pino({ level: 'silent' }), index, pools);
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      await timers.tick();
      samples.push(performance.now() - started);
    }
    // Before: every tick visited every pool the log ever had (cold after a start, then from the state cache).
    const known = await index.knownPools();
    const visit = async () => {
      const started = performance.now();
      for (const pool of known) nextDueAt((await pools.load(pool)).state, 900);
      return performance.now() - started;
    };
    const coldPass = await visit();
    const warmPass = await visit();
    return {
      knownPools: known.length,
      firstTickMs: round(samples[0]!),
      tickMedianMs: round(median(samples.slice(1))),
      everyPoolPassColdMs: round(coldPass),
      everyPoolPassWarmMs: round(warmPass),
    };
  } finally {
    await index.stop();
    await indexStore.close();
    await events.close();
  }
}

/** The first start of the query app on the log: it projects the whole log (time until caught up, peak RSS). */
async function queryFirstStart(env: Record<string, string>, dir: string): Promise<Record<string, number>> {
  const head = headOf(dir);
  const app = await SpawnedApp.start('query', env);
  try {
    const projected = await caughtUp(app, head);
    return { firstProjectionMs: round(app.startMs + projected), ...app.memory() };
  } finally {
    await app.stop();
  }
}

/** A restart of the query app: until it serves caught up, RSS, then the first eventHistory page and a year's usageReport. */
async function queryRestart(env: Record<string, string>, dir: string): Promise<Record<string, number>> {
  const head = headOf(dir);
  const app = await SpawnedApp.start('query', env);
  try {
    const restartMs = app.startMs + (await caughtUp(app, head));
    const afterStart = app.memory();
    const operator = await issueToken(SECRET, { operator: true, sub: 'bench-operator' });
    const history = await app.gql(operator, `query($id: ID!) { eventHistory(accountId: $id, first: 100) { events { position type } nextCursor } }`, {
      id: accountId(0),
    });
    const report = await app.gql(
      operator,
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { usageReport(accountId: $id, from: $from, to: $to, groupBy: [PRODUCT]) { productId sessions usageMinutes } }`,
      { id: accountId(0), from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
    );
    return {
      restartMs: round(restartMs),
      rssMB: afterStart.rssMB,
      eventHistoryFirstPageMs: round(history.ms),
      usageReportYearMs: round(report.ms),
      rssAfterQueriesMB: app.memory().rssMB,
      peakRssMB: app.memory().peakRssMB,
    };
  } finally {
    await app.stop();
  }
}

/** Waits until the query app's projections reach `head`; the wait in ms. */
async function caughtUp(app: SpawnedApp, head: bigint): Promise<number> {
  const started = performance.now();
  for (;;) {
    const health = (await app.health()) as { info?: { service?: { projectedPosition?: string } } };
    const position = BigInt(health.info?.service?.projectedPosition ?? '-1');
    if (position >= head) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function headOf(dir: string): bigint {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  try {
    return BigInt(db.prepare('SELECT MAX(position) AS head FROM events').pluck().get() as number);
  } finally {
    db.close();
  }
}

/** The log as the service writes it (chained hashes, metadata as the aggregate store builds it), in batches per stream. */
export async function writeHistory(dir: string, sessions: number): Promise<Record<string, number>> {
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  let events = 0;
  const append = async (streamId: string, list: DomainEvent[]) => {
    let previous = '';
    let revision = -1n;
    for (let offset = 0; offset < list.length; offset += 5000) {
      const batch: EventToAppend[] = list.slice(offset, offset + 5000).map((event, i) => {
        const metadata = {
          actor: 'bench',
          commandId: `${streamId}-${offset + i}`,
          correlationId: 'bench',
          causationId: 'bench',
          schemaVersion: SCHEMA_VERSIONS[event.type],
          occurredAt: occurredAt(event),
        };
        previous = chainHash(previous, event.type, event.data, metadata);
        return { eventId: `${streamId}-${offset + i}`, type: event.type, data: event.data, metadata: { ...metadata, hash: previous } };
      });
      revision = (await store.appendToStream(streamId, batch, revision < 0n ? 'no_stream' : revision)).nextExpectedRevision;
    }
    events += list.length;
  };
  try {
    for (let a = 0; a < ACCOUNTS; a++) {
      const id = accountId(a);
      const directory: DomainEvent[] = [{ type: 'AccountOpened', data: { accountId: id, name: `Account ${a}`, entitlementCountry: 'US', openedAt: iso(T0) } }];
      for (const [i, productId] of PRODUCTS.entries()) {
        directory.push({
          type: 'EntitlementGranted',
          data: {
            accountId: id,
            entitlementId: `${id}-e${i}`,
            productId,
            productName: productId.toUpperCase(),
            seats: 50,
            startsAt: iso(T0),
            endsAt: '2099-01-01T00:00:00.000Z',
            country: 'US',
            offlineDays: 7,
            checkoutAllowed: true,
            maxCheckoutDays: 30,
          },
        });
      }
      for (let u = 0; u < USERS; u++) {
        const userId = `${id}-u${u}`;
        await append(streams.email(email(a, u)), [{ type: 'EmailReserved', data: { email: email(a, u), accountId: id, userId } }]);
        directory.push({
          type: 'UserRegistered',
          data: { accountId: id, userId, email: email(a, u), displayName: `User ${u}`, country: 'US', registeredAt: iso(T0) },
        });
      }
      await append(streams.account(id), directory);
    }
    // A tenth of the sessions in the busy pool (account 0, p0), the rest round robin over every pool.
    const pools = ACCOUNTS * PRODUCTS.length;
    const busy = Math.floor(sessions / 10);
    for (let pool = 0; pool < pools; pool++) {
      const count = (pool === 0 ? busy : 0) + Math.floor((sessions - busy) / pools) + (pool < (sessions - busy) % pools ? 1 : 0);
      await append(...poolHistory(Math.floor(pool / PRODUCTS.length), PRODUCTS[pool % PRODUCTS.length]!, count));
    }
    for (let a = 0; a < ACCOUNTS; a++) for (let j = 0; j < IDLE_PER_ACCOUNT; j++) await append(...poolHistory(a, `idle-${j}`, 1));
    return { sessions, events, busyPoolSessions: busy + Math.floor((sessions - busy) / pools) + 1 };
  } finally {
    await store.close();
  }
}

/** `count` sessions of the pool, spread over 330 days of 2026: started, a heartbeat 10 minutes in, ended after 30. */
function poolHistory(a: number, productId: string, count: number): [string, DomainEvent[]] {
  const id = accountId(a);
  const list: DomainEvent[] = [];
  for (let k = 0; k < count; k++) {
    const start = T0 + Math.floor((k / Math.max(count, 1)) * 330 * DAY);
    const userId = `${id}-u${k % USERS}`;
    const base = { accountId: id, sessionId: `${productId}-s${k}`, userId, productId };
    const machineId = `m${k % 30}`;
    list.push(
      {
        type: 'UsageStarted',
        data: { ...base, machineId, productVersion: '26.1', termLicenseUsage: false, country: 'US', startedAt: iso(start), seatsInUse: 1 },
      },
      { type: 'UsageHeartbeat', data: { ...base, at: iso(start + 600_000) } },
      { type: 'UsageEnded', data: { ...base, endedAt: iso(start + 1_800_000), startedAt: iso(start), machineId, seatsInUse: 0 } },
    );
  }
  return [streams.seatPool(id, productId), list];
}

function occurredAt(event: DomainEvent): string {
  switch (event.type) {
    case 'UsageStarted':
      return event.data.startedAt;
    case 'UsageHeartbeat':
      return event.data.at;
    case 'UsageEnded':
      return event.data.endedAt;
    default:
      return iso(T0);
  }
}

/** Large over small for every figure both runs have (how much 10x the history costs). */
function ratios(small: Figures, large: Figures): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [group, values] of Object.entries(large)) {
    for (const [name, value] of Object.entries(values)) {
      const base = small[group]?.[name];
      if (typeof value === 'number' && typeof base === 'number' && base > 0) (result[group] ??= {})[name] = Math.round((value / base) * 100) / 100;
    }
  }
  return result;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;
const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The median of every figure over the samples. */
function medians(samples: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(samples[0] ?? {}).map((name) => [name, median(samples.map((sample) => sample[name]!))]));
}
