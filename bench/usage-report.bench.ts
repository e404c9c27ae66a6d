import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore, type WriteOp } from '@ses/read-store';
import { AnalyticsQueries } from '../apps/query/src/analytics/analytics.queries';
import { usageAnalyticsProjection } from '../apps/query/src/analytics/usage-analytics.projection';
import type { ProjectedEvent } from '../apps/query/src/projections/projection';
import { PROJECTION_CHECKPOINT, PROJECTION_MAX_BATCH } from '../apps/query/src/projections/projection-engine';
import { measureRestart } from './read-store-restart';
import { ACCOUNT, PRODUCTS, synthesize } from './usage-synth';

/**
 * Usage analytics at scale: a year of one account (SES_BENCH_SESSIONS sessions,
 * default 1,000,000; 1,000 users; 2,000 check-outs) pushed through the analytics
 * projection into an embedded read store on a temp file, in batches of
 * PROJECTION_MAX_BATCH events per commit as the engine does when catching up; then the year-long reports, each timed cold
 * (nothing decoded yet) and warm (median of the next three).
 */
export async function usageReportBench(): Promise<Record<string, unknown>> {
  const sessions = Number(process.env.SES_BENCH_SESSIONS ?? 1_000_000);
  const options = { sessions, users: 1000, checkouts: 2000, from: '2025-01-01T00:00:00.000Z', days: 365 };
  const dir = mkdtempSync(join(tmpdir(), 'ses-bench-'));
  const path = join(dir, 'read.sqlite');
  let store = await EmbeddedReadStore.open(path);
  try {
    for (const index of usageAnalyticsProjection.indexes ?? []) await store.ensureIndex(index.collection, index.fields);
    const projection = await project(store, synthesize(options));
    await store.close();
    // A restarted query app, in a process of its own (time to serve, RSS, first reports).
    const restart = await measureRestart(path);
    const restartWithSmallCaches = await measureRestart(path, { SES_READ_CACHE_MB: '16', SES_REPORT_CACHE_MB: '16' });
    // Every year-long report first in a fresh process of its own (the three above share what the first one decoded).
    const restartEachAlone: Record<string, unknown> = {};
    for (const report of ['PRODUCT', 'USER', 'DAY', 'PRODUCT,DAY', 'USER,MACHINE', 'PRODUCT,COUNTRY,DAY'])
      restartEachAlone[report] = ((await measureRestart(path, { SES_BENCH_RESTART_REPORTS: report })) as { reportsAfterRestart: unknown }).reportsAfterRestart;
    // The same in this process: what reopening costs before the first report.
    const opening = performance.now();
    store = await EmbeddedReadStore.open(path);
    for (const index of usageAnalyticsProjection.indexes ?? []) await store.ensureIndex(index.collection, index.fields);
    const reopenMs = Math.round(performance.now() - opening);
    const from = options.from;
    const to = '2026-01-01T00:00:00.000Z';
    const report = (groupBy: string[]) => (queries: AnalyticsQueries) => queries.usageReport({ accountId: ACCOUNT, from, to, groupBy });
    const time = timer(store);
    const reports = {
      'usageReport [PRODUCT]': await time(report(['PRODUCT'])),
      'usageReport [USER]': await time(report(['USER'])),
      'usageReport [DAY]': await time(report(['DAY'])),
      'usageReport [PRODUCT, DAY]': await time(report(['PRODUCT', 'DAY'])),
      'usageReport [USER, MACHINE]': await time(report(['USER', 'MACHINE'])),
      'usageReport [PRODUCT, COUNTRY, DAY]': await time(report(['PRODUCT', 'COUNTRY', 'DAY'])),
      'concurrency HOUR (one product)': await time((queries) => queries.concurrency(ACCOUNT, PRODUCTS[0], from, to, 'HOUR')),
      'concurrency DAY (one product)': await time((queries) => queries.concurrency(ACCOUNT, PRODUCTS[0], from, to, 'DAY')),
      termLicenseUsage: await time((queries) => queries.termLicenseUsage(ACCOUNT, from, to)),
    };
    return {
      workload: { ...options, products: PRODUCTS.length },
      projection: { ...projection, reopenStoreMs: reopenMs },
      restart,
      restartWithSmallCaches,
      restartEachAlone,
      queries: reports,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function project(store: EmbeddedReadStore, events: Iterable<ProjectedEvent>) {
  let count = 0;
  let ops = 0;
  let projectMs = 0;
  let commitMs = 0;
  let applyCpuMicros = 0;
  let batch: ProjectedEvent[] = [];
  const started = performance.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const writes: WriteOp[] = batch.flatMap((event) => usageAnalyticsProjection.project(event));
    const t1 = performance.now();
    await store.commit(PROJECTION_CHECKPOINT, batch[batch.length - 1].position, writes);
    commitMs += performance.now() - t1;
    projectMs += t1 - t0;
    const { user, system } = process.cpuUsage(cpu);
    applyCpuMicros += user + system;
    ops += writes.length;
    count += batch.length;
    batch = [];
  };
  for (const event of events) {
    batch.push(event);
    if (batch.length === PROJECTION_MAX_BATCH) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  return {
    events: count,
    ops,
    opsPerEvent: round(ops / count, 3),
    batchSize: PROJECTION_MAX_BATCH,
    seconds: round(seconds, 1),
    // Including the synthetic log's generation (about a tenth of the time).
    eventsPerSecond: Math.round(count / seconds),
    // Projection apply alone: projection functions and store commits, wall clock and CPU time of this process.
    applyEventsPerSecond: Math.round(count / ((projectMs + commitMs) / 1000)),
    applyCpuEventsPerSecond: Math.round(count / (applyCpuMicros / 1e6)),
    projectFunctionMs: Math.round(projectMs),
    storeCommitMs: Math.round(commitMs),
    dayDocs: await store.count('usageDays'),
  };
}

/**
 * coldMs: the first report of a query app that has decoded nothing yet (a fresh
 * AnalyticsQueries). warmMedianMs: the same report again (median of three), when
 * only documents written since the last report are read (here: none).
 */
function timer(store: EmbeddedReadStore) {
  return async (run: (queries: AnalyticsQueries) => Promise<unknown[]>) => {
    const queries = new AnalyticsQueries(store);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const rows = (await run(queries)).length;
    const coldMs = performance.now() - t0;
    const coldCpu = process.cpuUsage(cpu);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await run(queries);
      warm.push(performance.now() - t);
    }
    warm.sort((a, b) => a - b);
    // CPU time of the process (all threads, GC included) while the cold report ran: moves less than wall time on shared cores.
    return { rows, coldMs: round(coldMs, 1), coldCpuMs: round((coldCpu.user + coldCpu.system) / 1000, 1), warmMedianMs: round(warm[1], 1) };
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
