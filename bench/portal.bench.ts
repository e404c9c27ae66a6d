import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { issueToken } from '@ses/auth';
import { portalBundleSizes } from './portal/bundle-size';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_CHROMIUM, launchChromium } from './portal/chromium';
import { writePortalDataset, type PortalDataset } from './portal/dataset';
import { startQueryApp } from './portal/query-app';
import { PRODUCTS } from './usage-synth';

const SECRET = 'portal-bench-secret-that-is-long-enough-0000';
const PORTAL_DIR = join(__dirname, '..', 'portal');

/**
 * The Analytics Portal: its initial JavaScript (gzipped), and how long the Overview takes
 * to show its figures (seats owned and in use, term license usage this quarter, recent
 * alerts) and its charts in Chromium, served by the query app from a year of
 * SES_BENCH_PORTAL_SESSIONS sessions (default 1,000,000). Targets: under 300 KB, under 2 s.
 */
export async function portalBench(): Promise<Record<string, unknown>> {
  const bundle = portalBundleSizes(PORTAL_DIR);
  if (!chromiumAvailable()) return { bundle, overview: { skipped: `no Chromium at ${CHROMIUM_PATH}: ${INSTALL_CHROMIUM}` } };
  const sessions = Number(process.env.SES_BENCH_PORTAL_SESSIONS ?? 1_000_000);
  // SES_BENCH_PORTAL_DATA=<dir>: keep the data set there and reuse it on the next run (it takes minutes to build).
  const kept = process.env.SES_BENCH_PORTAL_DATA;
  const dir = kept ? resolve(kept) : mkdtempSync(join(tmpdir(), 'ses-portal-bench-'));
  let browser: Browser | undefined;
  try {
    const dataset =
      kept && existsSync(join(dir, 'events.sqlite'))
        ? reusedDataset(dir)
        : await writePortalDataset(dir, {
            sessions,
            users: 1000,
            checkouts: 2000,
            days: 365,
            onProgress: (message) => process.stderr.write(`portal bench: ${message}\n`),
          });
    if (kept) writeFileSync(join(dir, 'dataset.json'), JSON.stringify(dataset));
    const startedAt = process.hrtime.bigint();
    const app = await startQueryApp({ SES_DATA_DIR: dir, SES_AUTH_SECRET: SECRET });
    const startSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    try {
      browser = await launchChromium();
      const token = await issueToken(SECRET, { email: dataset.adminEmail, sub: 'bench-admin' });
      const url = `http://localhost:${app.port}/portal/a/${dataset.accountId}/overview#token=${token}`;
      const visit = async (reuse?: Page) => {
        const page = reuse ?? (await (await browser!.newContext({ viewport: { width: 1280, height: 800 } })).newPage());
        const started = Date.now();
        // A returning visitor reloads: the token is still in the tab's sessionStorage, the assets in its cache.
        if (reuse) await page.reload();
        else await page.goto(url);
        try {
          await page.waitForSelector('[data-testid="overview"][data-figures="ready"]', { timeout: 120_000 });
        } catch (error) {
          process.stderr.write(
            `portal bench: the overview did not show its figures; the page says:\n${(await page.locator('body').innerText()).slice(0, 3000)}\n`,
          );
          throw error;
        }
        const figuresMs = Date.now() - started;
        // Every product's chart drawn (a locator, not a page function: the portal's CSP forbids eval).
        await page
          .locator('[data-testid="concurrency-chart"] svg.recharts-surface')
          .nth(PRODUCTS.length - 1)
          .waitFor({ timeout: 120_000 });
        const chartsMs = Date.now() - started;
        const transferred = Number(
          await page.evaluate(`performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((sum, r) => sum + r.transferSize, 0)`),
        );
        return { page, figuresMs, chartsMs, jsTransferredKB: Math.round(transferred / 102.4) / 10 };
      };
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      // Cold: the first visit after the app started (its report caches empty) in a new browser profile.
      const cold = await visit();
      await cold.page.context().close();
      // Warm server, new browser profile (assets downloaded again), three times.
      const fresh = [];
      for (let i = 0; i < 3; i++) {
        const run = await visit();
        fresh.push(run);
        await run.page.context().close();
      }
      // Warm server, returning browser (assets cached), three times.
      const again = await visit();
      const cached = [];
      for (let i = 0; i < 3; i++) cached.push(await visit(again.page));
      await again.page.context().close();
      return {
        bundle,
        dataset: {
          sessions: dataset.sessions ?? sessions,
          users: 1000,
          products: PRODUCTS.length,
          events: dataset.events,
          window: `${dataset.from.slice(0, 10)}..${dataset.to.slice(0, 10)}`,
          writeSeconds: Math.round(dataset.writeSeconds),
          projectSeconds: Math.round(dataset.projectSeconds),
          queryAppStartSeconds: Math.round(startSeconds * 10) / 10,
        },
        overview: {
          coldMs: { figures: cold.figuresMs, charts: cold.chartsMs },
          newBrowserMedianMs: { figures: median(fresh.map((r) => r.figuresMs)), charts: median(fresh.map((r) => r.chartsMs)) },
          returningBrowserMedianMs: { figures: median(cached.map((r) => r.figuresMs)), charts: median(cached.map((r) => r.chartsMs)) },
          jsTransferredKB: cold.jsTransferredKB,
          targetMs: 2000,
        },
      };
    } finally {
      await app.stop();
    }
  } finally {
    await browser?.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

function reusedDataset(dir: string): PortalDataset {
  return JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as PortalDataset;
}
