// `npm run screenshots`: the README's pictures of the portal, taken with the browser tests'
// tooling (playwright-core driving Debian's Chromium) on a synthetic account: 120 days of
// usage by 400 users on five products, served by the query app alone (reads only), with
// registration requests and a webhook whose deliveries reach a local receiver.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { issueToken } from '@ses/auth';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_CHROMIUM, launchChromium } from './portal/chromium';
import { writePortalDataset } from './portal/dataset';
import { startQueryApp } from './portal/query-app';

const SECRET = 'portal-screenshots-secret-long-enough-0000';
const OUT = resolve(process.env.SES_PORTAL_SCREENSHOTS || join(__dirname, '..', '..', 'docs', 'screenshots'));

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function settle(page: Page, heading: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: heading }).waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await page.locator('[data-testid="busy"]').first().waitFor({ state: 'detached', timeout: 60_000 });
  // Charts draw after their chunk arrives.
  if ((await page.locator('[data-testid="concurrency-chart"]').count()) > 0)
    await page.locator('[data-testid="concurrency-chart"] svg').first().waitFor({ timeout: 60_000 });
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`no Chromium at ${CHROMIUM_PATH}: ${INSTALL_CHROMIUM}`);
  const dir = mkdtempSync(join(tmpdir(), 'ses-portal-screenshots-'));
  const port = await freePort();
  const log = (message: string) => process.stderr.write(`screenshots: ${message}\n`);
  // The webhook's endpoint: answers every delivery 200.
  const receiver = createHttpServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const address = receiver.address();
  const webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/alerts`;
  const dataset = await writePortalDataset(dir, { sessions: 60_000, users: 400, checkouts: 300, days: 120, extensions: { webhookUrl }, onProgress: log });
  const app = await startQueryApp({ SES_DATA_DIR: dir, SES_AUTH_SECRET: SECRET, SES_QUERY_PORT: String(port) });
  const browser = await launchChromium();
  try {
    mkdirSync(OUT, { recursive: true });
    const base = `http://localhost:${port}/portal/`;
    const admin = await issueToken(SECRET, { email: dataset.adminEmail, sub: 'bench-admin' });
    const shoot = async (
      name: string,
      path: string,
      heading: string,
      options: { token?: string; phone?: boolean; then?: (page: Page) => Promise<void> } = {},
    ) => {
      const context = await browser.newContext({ viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}${path}#token=${options.token ?? admin}`);
      await settle(page, heading);
      await options.then?.(page);
      await page.screenshot({ path: join(OUT, `${name}.png`) });
      log(`${name}.png`);
      await context.close();
    };
    const account = `a/${dataset.accountId}`;
    await shoot('overview', `${account}/overview`, 'Overview');
    await shoot('usage', `${account}/usage`, 'Usage', {
      then: async (page) => {
        await page.getByRole('button', { name: 'Last 90 days' }).click();
        await settle(page, 'Usage');
      },
    });
    await shoot('term-license-usage', `${account}/term-usage`, 'Term license usage', {
      then: async (page) => {
        await page
          .getByRole('button', { name: /^Days of / })
          .first()
          .click();
        await page.getByTestId('peak-hour').waitFor({ timeout: 60_000 });
        await page.locator('[data-testid="concurrency-chart"] svg').first().waitFor({ timeout: 60_000 });
        await page.getByRole('heading', { level: 3, name: /day by day/ }).evaluate((heading) => heading.scrollIntoView());
        // Below the fixed header.
        await page.evaluate('window.scrollBy(0, -72)');
      },
    });
    await shoot('seats', `${account}/seats`, 'Seats');
    await shoot('users', `${account}/users`, 'Users and groups');
    await shoot('alerts', `${account}/alerts`, 'Alerts');
    await shoot('users-requests', `${account}/users?tab=requests`, 'Users and groups', {
      then: async (page) => {
        await page.getByText('All', { exact: true }).click();
        await page.getByTestId('registration-requests').getByRole('cell', { name: 'Alan Turing' }).waitFor({ timeout: 60_000 });
        // The segmented control's indicator slides for 200 ms; nothing to await but its end (a picture, not a test).
        await page.waitForTimeout(400);
      },
    });
    await shoot('alerts-webhooks', `${account}/alerts`, 'Alerts', {
      then: async (page) => {
        await page.getByRole('button', { name: /^Deliveries to / }).click();
        await page.getByTestId('webhook-deliveries').getByText('Delivered').first().waitFor({ timeout: 120_000 });
        await page.getByRole('heading', { level: 3, name: 'Webhooks' }).evaluate((heading) => heading.scrollIntoView());
        await page.evaluate('window.scrollBy(0, -72)');
      },
    });
    await shoot('audit', `${account}/audit`, 'Audit');
    await shoot('overview-phone', `${account}/overview`, 'Overview', { phone: true });
    await shoot('my-licenses', 'me', 'My licenses', { token: await issueToken(SECRET, { email: 'user1@bench.example', sub: 'user-1' }) });
  } finally {
    await browser.close();
    await app.stop();
    await new Promise((done) => receiver.close(done));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
