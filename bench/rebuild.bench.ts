import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainHash, SCHEMA_VERSIONS, streams, type DomainEvent } from '@ses/events';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import { ALL_PROJECTIONS } from '../apps/query/src/projections/all-projections';
import { rebuildReadModels } from '../apps/query/src/read-models/rebuild';

/**
 * A full projection rebuild on the embedded stores: a synthetic log of one account
 * (SES_BENCH_REBUILD_SESSIONS sessions, default 100,000, of 200 users on 2 products,
 * each started, heart-beaten and ended) replayed through EVERY projection of the query
 * app into a fresh read-model generation. Reports the rebuild time and the projection
 * throughput in events/s.
 */
export async function rebuildBench(): Promise<Record<string, unknown>> {
  const sessions = Number(process.env.SES_BENCH_REBUILD_SESSIONS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'ses-rebuild-bench-'));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    const appended = await writeLog(events, sessions);
    const catalog = new EmbeddedReadStoreCatalog(dir);
    const cpu = process.cpuUsage();
    const result = await rebuildReadModels(events, catalog, ALL_PROJECTIONS);
    const { user, system } = process.cpuUsage(cpu);
    return {
      workload: { sessions, users: 200, products: 2, events: appended, projections: ALL_PROJECTIONS.map((p) => p.name) },
      rebuildSeconds: result.seconds,
      projectedEventsPerSecond: Math.round(result.events / result.seconds),
      // CPU time of this process during the rebuild (main thread, GC and SQLite): on a shared machine, less noisy than the wall clock.
      rebuildCpuSeconds: Math.round((user + system) / 1e4) / 100,
      eventHistory: await historyPages(catalog),
    };
  } finally {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `eventHistory` on the rebuilt generation, as the resolver asks it (the account's
 * history documents in position order, a page of 100 plus one): the first page and
 * one from the middle, each on a freshly opened store (nothing decoded).
 */
async function historyPages(catalog: EmbeddedReadStoreCatalog): Promise<Record<string, number>> {
  const page = async (after: string | null) => {
    const opening = performance.now();
    const store = await catalog.open(await catalog.active());
    const openMs = performance.now() - opening;
    try {
      const t0 = performance.now();
      const filter = after ? { accountId: 'bench-account', _id: { $gt: after } } : { accountId: 'bench-account' };
      const docs = await store.find('history', filter, { sort: { _id: 1 }, limit: 101 });
      return { openMs, pageMs: performance.now() - t0, rows: docs.length, total: await store.count('history') };
    } finally {
      await store.close();
    }
  };
  const first = await page(null);
  const middle = await page(String(Math.floor(first.total / 2)).padStart(20, '0'));
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    historyDocuments: first.total,
    openStoreMs: round(first.openMs),
    firstPageMs: round(first.pageMs),
    middlePageMs: round(middle.pageMs),
    pageRows: Math.min(first.rows, middle.rows),
  };
}

export async function writeLog(store: SqliteEventStore, sessions: number): Promise<number> {
  const accountId = 'bench-account';
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const account: DomainEvent[] = [
    { type: 'AccountOpened', data: { accountId, name: 'Bench', entitlementCountry: 'US', openedAt: iso(t0) } },
    ...['p1', 'p2'].map((productId, i): DomainEvent => ({
      type: 'EntitlementGranted',
      data: {
        accountId,
        entitlementId: `e${i}`,
        productId,
        productName: productId,
        seats: 50,
        startsAt: iso(t0),
        endsAt: iso(t0 + 400 * 86_400_000),
        country: 'US',
        offlineDays: 7,
        checkoutAllowed: true,
        maxCheckoutDays: 30,
      },
    })),
    ...Array.from({ length: 200 }, (_, u): DomainEvent => ({
      type: 'UserRegistered',
      data: { accountId, userId: `u${u}`, email: `u${u}@bench.example`, displayName: `U${u}`, country: 'US', registeredAt: iso(t0) },
    })),
  ];
  let count = await appendChained(store, streams.account(accountId), account);
  const pools = new Map<string, DomainEvent[]>([
    ['p1', []],
    ['p2', []],
  ]);
  for (let i = 0; i < sessions; i++) {
    const productId = i % 2 ? 'p2' : 'p1';
    const userId = `u${i % 200}`;
    const start = t0 + Math.floor((i / sessions) * 365 * 86_400_000);
    const base = { accountId, sessionId: `s${i}`, userId, productId };
    pools.get(productId)!.push(
      {
        type: 'UsageStarted',
        data: { ...base, machineId: `m${i % 300}`, productVersion: '24.1', termLicenseUsage: false, country: 'US', startedAt: iso(start), seatsInUse: 1 },
      },
      { type: 'UsageHeartbeat', data: { ...base, at: iso(start + 600_000) } },
      { type: 'UsageEnded', data: { ...base, endedAt: iso(start + 1_800_000), startedAt: iso(start), machineId: `m${i % 300}`, seatsInUse: 0 } },
    );
  }
  for (const [productId, list] of pools) count += await appendChained(store, streams.seatPool(accountId, productId), list);
  return count;
}

const startedAtOf = (event: DomainEvent): string | null | undefined =>
  event.type === 'UsageStarted' || event.type === 'UsageEnded' || event.type === 'UsageTimedOut' ? event.data.startedAt : undefined;

async function appendChained(store: SqliteEventStore, streamId: string, list: DomainEvent[]): Promise<number> {
  let previous = '';
  let revision = -1n;
  for (let offset = 0; offset < list.length; offset += 5000) {
    const batch: EventToAppend[] = list.slice(offset, offset + 5000).map((event, i) => {
      const metadata = {
        actor: 'bench',
        commandId: `c${offset + i}`,
        correlationId: 'bench',
        causationId: 'bench',
        schemaVersion: SCHEMA_VERSIONS[event.type],
        occurredAt: startedAtOf(event) ?? new Date(0).toISOString(),
      };
      previous = chainHash(previous, event.type, event.data, metadata);
      return {
        eventId: `${streamId}-${offset + i}`,
        type: event.type,
        data: event.data,
        metadata: { ...metadata, hash: previous },
      };
    });
    revision = (await store.appendToStream(streamId, batch, revision < 0n ? 'no_stream' : revision)).nextExpectedRevision;
  }
  return list.length;
}
