import { EmbeddedReadStore, readCacheBytes } from '@ses/read-store';
import { AnalyticsQueries } from '../apps/query/src/analytics/analytics.queries';
import { ALL_PROJECTIONS } from '../apps/query/src/projections/all-projections';
import { ACCOUNT } from './usage-synth';

/** Child process of read-store-restart.ts: prints one JSON line. */
async function main(): Promise<void> {
  const path = process.argv[2];
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const rssBeforeMB = mb(process.memoryUsage().rss);
  const t0 = performance.now();
  // As the query app opens it (createReadStoreCatalog): the cache from SES_READ_CACHE_MB.
  const store = await EmbeddedReadStore.open(path, { cacheBytes: readCacheBytes() });
  for (const projection of ALL_PROJECTIONS) for (const index of projection.indexes ?? []) await store.ensureIndex(index.collection, index.fields);
  const openMs = Math.round(performance.now() - t0);
  const rssAfterOpenMB = mb(process.memoryUsage().rss);
  const from = '2025-01-01T00:00:00.000Z';
  const to = '2026-01-01T00:00:00.000Z';
  const queries = new AnalyticsQueries(store);
  const reports: Record<string, { coldMs: number; coldCpuMs: number; warmMedianMs: number }> = {};
  // SES_BENCH_RESTART_REPORTS: the reports in order, `;` between reports, `,` between dimensions.
  const groupBys = (process.env.SES_BENCH_RESTART_REPORTS ?? 'PRODUCT;USER;PRODUCT,COUNTRY,DAY').split(';').map((report) => report.split(','));
  for (const groupBy of groupBys) {
    const run = () => queries.usageReport({ accountId: ACCOUNT, from, to, groupBy });
    const cpu = process.cpuUsage();
    const t = performance.now();
    await run();
    const coldMs = performance.now() - t;
    const coldCpu = process.cpuUsage(cpu);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w = performance.now();
      await run();
      warm.push(performance.now() - w);
    }
    warm.sort((a, b) => a - b);
    reports[`usageReport [${groupBy.join(', ')}]`] = {
      coldMs: Math.round(coldMs),
      coldCpuMs: Math.round((coldCpu.user + coldCpu.system) / 1000),
      warmMedianMs: Math.round(warm[1]),
    };
  }
  const rssAfterReportsMB = mb(process.memoryUsage().rss);
  (globalThis as { gc?: () => void }).gc?.();
  const result = {
    readCacheMB: process.env.SES_READ_CACHE_MB ?? 'default (128)',
    reportCacheMB: process.env.SES_REPORT_CACHE_MB ?? 'default (128)',
    openMs,
    rssBeforeOpenMB: rssBeforeMB,
    rssAfterOpenMB,
    reportsAfterRestart: reports,
    rssAfterReportsMB,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapAfterGcMB: mb(process.memoryUsage().heapUsed),
    readCacheHeldMB: mb(store.cacheUsage().bytes),
  };
  await store.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
