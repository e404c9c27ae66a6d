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
    const result = await rebuildReadModels(events, catalog, ALL_PROJECTIONS);
    return {
      workload: { sessions, users: 200, products: 2, events: appended, projections: ALL_PROJECTIONS.map((p) => p.name) },
      rebuildSeconds: result.seconds,
      projectedEventsPerSecond: Math.round(result.events / result.seconds),
    };
  } finally {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeLog(store: SqliteEventStore, sessions: number): Promise<number> {
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
