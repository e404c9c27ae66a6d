import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseCsv } from '../../apps/portal/src/lib/csv';
import { errorCode, ok } from '../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, uniqueEmail, type OpenedAccount, type RegisteredUser } from '../support/scenario';
import { TEST_SECRET, type SesStack } from '../support/ses-stack';
import { FakeOidcIssuer } from './support/fake-oidc';
import { describeWithChromium, eventually, launchChromium, screenshot, seriousAxeViolations } from './support/chromium';
import { startPortalStack } from './support/portal-stack';
import { extensionCases } from './extensions.cases';

/**
 * The Analytics Portal in a real browser (Debian's Chromium driven by playwright-core)
 * against both apps as processes: sign-in, live figures, CSV downloads, seat release,
 * authorization, error messages, CORS and accessibility.
 */
jest.setTimeout(90_000);

describeWithChromium('Analytics Portal in Chromium', () => {
  describe('signed in by token', () => {
    let stack: SesStack;
    let portal: string;
    let browser: Browser;
    let account: OpenedAccount;
    let user: RegisteredUser;
    let other: RegisteredUser;
    let auditor: RegisteredUser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      ({ stack, portal } = await startPortalStack());
      browser = await launchChromium();
      account = await openAccount(stack, 'Acme Engineering');
      // Product names sort AECOsim first: the Seats page opens on it.
      await grantEntitlement(stack, account.accountId, { productId: 'AEC', productName: 'AECOsim', seats: 2 });
      await grantEntitlement(stack, account.accountId, { productId: 'MSTN', productName: 'MicroStation', seats: 3 });
      user = await registerUser(stack, account.adminToken, account.accountId);
      other = await registerUser(stack, account.adminToken, account.accountId);
      auditor = await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] });
      await ok(
        stack.mutate(account.adminToken, M.setAlertRule, { input: { accountId: account.accountId, productId: 'MSTN', thresholdSeats: 1, action: 'NOTIFY' } }),
      );
      // Some finished usage for the reports: two users, two products.
      for (const [who, productId] of [
        [user, 'MSTN'],
        [other, 'MSTN'],
        [other, 'AEC'],
      ] as const) {
        const started = await ok(stack.mutate(who.token, M.startUsage, { input: { productId, machineId: `ws-${who.userId.slice(0, 4)}` } }));
        expect(started.startUsage.allowed).toBe(true);
        await ok(stack.mutate(who.token, M.endUsage, { input: { sessionId: started.startUsage.sessionId } }));
      }
    }, 90_000);

    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      await stack?.stop();
    });

    async function newPage(viewport = { width: 1280, height: 800 }, origin?: string): Promise<Page> {
      const context = await browser.newContext({ viewport, acceptDownloads: true, baseURL: origin });
      contexts.push(context);
      return context.newPage();
    }

    /** Opens the portal signed in by `#token=` (how `npm run token` users and tests sign in). */
    async function signedIn(token: string, path = '', viewport?: { width: number; height: number }): Promise<Page> {
      const page = await newPage(viewport);
      await page.goto(`${portal}${path}#token=${token}`);
      return page;
    }

    const accountPath = (page: string) => `a/${account.accountId}/${page}`;

    async function heading(page: Page, name: string): Promise<void> {
      await page.getByRole('heading', { level: 2, name }).waitFor({ timeout: 20_000 });
    }

    it('signs in by #token: the token moves to sessionStorage and out of the address bar; signing out forgets it', async () => {
      const page = await signedIn(account.adminToken);
      await page.waitForURL(/\/portal\/a\/[^/]+\/overview$/, { timeout: 20_000 });
      expect(page.url()).not.toContain('token');
      expect(await page.evaluate(() => sessionStorage.getItem('ses.portal.token'))).toBe(account.adminToken);
      await page.getByTestId('signed-in-as').filter({ hasText: account.adminEmail }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/portal\/sign-in$/);
      await page.getByText('You have signed out.').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('ses.portal.token'))).toBeNull();
      // Back to a page that needs a session: the sign-in page again, no token anywhere.
      await page.goto(`${portal}${accountPath('overview')}`);
      await page.waitForURL(/\/portal\/sign-in$/);

      // The paste box signs in too.
      await page.getByLabel('Bearer token').fill(account.adminToken);
      await page.getByRole('button', { name: 'Sign in with this token' }).click();
      await heading(page, 'Overview');
    });

    it('overview: each product with seats owned, seats in use and a chart, updated live (no reload) when a session starts', async () => {
      const page = await signedIn(account.adminToken, accountPath('overview'));
      await heading(page, 'Overview');
      const mstn = page.locator('[data-testid="product-card"][data-product="MSTN"]');
      await mstn.getByTestId('seats-owned').filter({ hasText: /^3$/ }).waitFor();
      await mstn.getByTestId('seats-in-use').filter({ hasText: /^0$/ }).waitFor();
      await page.locator('[data-testid="product-card"][data-product="AEC"]').getByTestId('seats-owned').filter({ hasText: /^2$/ }).waitFor();
      await mstn.getByTestId('concurrency-chart').locator('svg').first().waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="overview"][data-figures="ready"]').waitFor();
      await page.locator('[data-testid="live-badge"][data-state="live"]').waitFor({ timeout: 20_000 });
      await page.evaluate(() => ((window as any).notReloaded = true));

      // graphql-ws does not acknowledge a subscription: repeat a harmless event (a denied start) until the page shows one arriving.
      const stranger = await registerUser(stack, account.adminToken, account.accountId);
      await eventually(async () => {
        await ok(stack.mutate(stranger.token, M.startUsage, { input: { productId: 'NOT-ENTITLED', machineId: 'probe' } }));
        return (await page.getByTestId('live-activity').count()) > 0;
      }, 'the overview to receive live usage events');

      const started = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'MSTN', machineId: 'ws-live' } }));
      expect(started.startUsage.allowed).toBe(true);
      await mstn.getByTestId('seats-in-use').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
      await page
        .getByTestId('live-activity')
        .getByText(/MicroStation: a session of user .* started/)
        .waitFor();
      expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);
      await ok(stack.mutate(user.token, M.endUsage, { input: { sessionId: started.startUsage.sessionId } }));
      await mstn.getByTestId('seats-in-use').filter({ hasText: /^0$/ }).waitFor({ timeout: 20_000 });
    });

    it('usage: the report by user downloaded as CSV holds exactly the rows the GraphQL API answers', async () => {
      const page = await signedIn(account.adminToken, accountPath('usage'));
      await heading(page, 'Usage');
      await page.getByRole('tab', { name: 'By user' }).click();
      const table = page.getByTestId('usage-report-USER');
      await table.getByRole('cell', { name: new RegExp(other.email.replace(/[.+]/g, '\\$&')) }).waitFor({ timeout: 20_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button', { name: /Download CSV/ }).click()]);
      expect(download.suggestedFilename()).toMatch(/^usage-by-user-all-products-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = parseCsv(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''));
      expect(csv.header).toEqual(['userId', 'userName', 'sessions', 'usageMinutes', 'distinctUsers', 'peakConcurrent']);

      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString();
      const to = new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000).toISOString();
      const answer = await ok(
        stack.read(
          account.adminToken,
          `query($a: ID!, $f: DateTime!, $t: DateTime!) { usageReport(accountId: $a, from: $f, to: $t, groupBy: [USER]) { userId sessions usageMinutes distinctUsers peakConcurrent } }`,
          { a: account.accountId, f: from, t: to },
        ),
      );
      const fromApi = answer.usageReport.map((r: any) => [r.userId, r.sessions, r.usageMinutes, r.distinctUsers, r.peakConcurrent].join('|')).sort();
      const fromCsv = csv.rows
        .map(([userId, , sessions, minutes, users, peak]) => [userId, Number(sessions), Number(minutes), Number(users), Number(peak)].join('|'))
        .sort();
      expect(fromApi.length).toBeGreaterThanOrEqual(2);
      expect(fromCsv).toEqual(fromApi);
      // Users are named, not only numbered.
      expect(csv.rows.find((r) => r[0] === other.userId)?.[1]).toContain(other.email);
    });

    it('seats: an administrator releases a seat from the Seats page, and the session ends', async () => {
      const started = await ok(stack.mutate(other.token, M.startUsage, { input: { productId: 'AEC', machineId: 'ws-release' } }));
      const page = await signedIn(account.adminToken, accountPath('seats'));
      await heading(page, 'Seats');
      const holders = page.getByTestId('seat-holders');
      const row = holders.getByRole('row').filter({ hasText: other.email });
      await row.waitFor({ timeout: 20_000 });
      await row.getByRole('button', { name: /Release/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Release this seat?' });
      await dialog.getByRole('button', { name: 'Release seat' }).click();
      await page.getByTestId('seats-done').filter({ hasText: 'Released the seat of' }).waitFor({ timeout: 20_000 });
      await holders.getByText('Nobody holds a seat of this product now.').waitFor({ timeout: 20_000 });
      expect(await errorCode(stack.mutate(other.token, M.heartbeatUsage, { input: { sessionId: started.startUsage.sessionId } }))).toBe('SESSION_NOT_ACTIVE');
    });

    it('a plain user sees only their own policy: no other user, no account page', async () => {
      const page = await signedIn(user.token);
      await heading(page, 'My licenses');
      await page.getByTestId('policy-product').filter({ hasText: 'MicroStation' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Portal pages' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['My licenses']);

      await page.goto(`${portal}${accountPath('users')}`);
      await heading(page, 'No access to this account');
      const text = await page.locator('body').innerText();
      for (const someoneElse of [other.email, account.adminEmail, auditor.email]) expect(text).not.toContain(someoneElse);
      // And the API the portal talks to shows a plain user nobody but themself.
      const answer = await stack.read(user.token, `query($id: ID!) { account(id: $id) { users { email } } }`, { id: account.accountId });
      expect((answer.data?.account?.users ?? []).map((u: { email: string }) => u.email)).toEqual(answer.errors ? [] : [user.email]);
    });

    it('an API error is shown as a message in words, never as raw JSON', async () => {
      const page = await signedIn(account.adminToken, accountPath('users'));
      await heading(page, 'Users and groups');
      await page.getByRole('button', { name: 'Register a user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Register a user' });
      await dialog.getByLabel('Email').fill(other.email);
      await dialog.getByLabel('Display name').fill('Someone Again');
      await dialog.getByRole('button', { name: 'Register' }).click();
      const alert = dialog.getByTestId('api-error');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.getAttribute('data-code')).toBe('EMAIL_ALREADY_REGISTERED');
      const message = await alert.innerText();
      expect(message).toContain('This email address is already registered');
      expect(message).not.toMatch(/[{}]|EMAIL_ALREADY_REGISTERED|extensions/);
    });

    it('an administrator registers a user, and the list shows it at once (read-your-writes)', async () => {
      const page = await signedIn(account.adminToken, accountPath('users'));
      await heading(page, 'Users and groups');
      await page.getByRole('button', { name: 'Register a user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Register a user' });
      const email = uniqueEmail('portal');
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Display name').fill('Portal Registered');
      await dialog.getByRole('button', { name: 'Register' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Registered ${email}.` })
        .waitFor({ timeout: 20_000 });
      await page.getByTestId('users-table').getByRole('cell', { name: email }).waitFor({ timeout: 20_000 });
    });

    it('the command API answers CORS for the portal origin only: from another origin the portal says so and changes fail in words', async () => {
      const origin = new URL(portal);
      const allowed = await fetch(stack.command.url, {
        method: 'OPTIONS',
        headers: { origin: origin.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin.origin);
      // The same portal opened as http://127.0.0.1:<port> is another origin.
      const elsewhere = `http://127.0.0.1:${origin.port}`;
      const refused = await fetch(stack.command.url, { method: 'OPTIONS', headers: { origin: elsewhere, 'access-control-request-method': 'POST' } });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();

      const page = await newPage();
      await page.goto(`${elsewhere}/portal/${accountPath('users')}#token=${account.adminToken}`);
      await heading(page, 'Users and groups');
      await page.getByText('Changes will not work from this address').waitFor();
      await page.getByRole('button', { name: 'Register a user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Register a user' });
      const email = uniqueEmail('cors');
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Display name').fill('Never Registered');
      await dialog.getByRole('button', { name: 'Register' }).click();
      await dialog.getByTestId('api-error').filter({ hasText: 'could not be reached' }).waitFor({ timeout: 20_000 });
      const users = await ok(stack.read(account.adminToken, `query($id: ID!) { account(id: $id) { users { email } } }`, { id: account.accountId }));
      expect(users.account.users.map((u: { email: string }) => u.email)).not.toContain(email);
    });

    it('the operator picks an account by its id', async () => {
      const page = await signedIn(await stack.operatorToken());
      await heading(page, 'Choose an account');
      await page.getByLabel('Account id').fill(account.accountId);
      await page.getByRole('button', { name: 'Open' }).click();
      await heading(page, 'Overview');
      await page.getByTestId('account-name').filter({ hasText: 'Acme Engineering' }).waitFor();
    });

    it('audit: the history pages by type, verifies intact, and shows the account as of now', async () => {
      const page = await signedIn(auditor.token, accountPath('audit'));
      await heading(page, 'Audit');
      await page.getByTestId('event-history').getByRole('cell', { name: 'AccountOpened' }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Verify history' }).click();
      await page
        .getByTestId('verify-result')
        .filter({ hasText: /^Intact: all \d+ events verified\.$/ })
        .waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Show the account then' }).click();
      await page.getByTestId('as-of').filter({ hasText: 'Acme Engineering' }).waitFor({ timeout: 20_000 });
      // Auditors read; they do not get the buttons that change things.
      await page.goto(`${portal}${accountPath('users')}`);
      await heading(page, 'Users and groups');
      await page.getByTestId('users-table').waitFor();
      expect(await page.getByRole('button', { name: 'Register a user' }).count()).toBe(0);
    });

    extensionCases(() => ({ stack, account, auditor, signedIn, heading }));

    describe('accessibility (axe-core): no serious or critical violations', () => {
      const accountPages: [string, string][] = [
        ['overview', 'Overview'],
        ['usage', 'Usage'],
        ['term-usage', 'Term license usage'],
        ['seats', 'Seats'],
        ['users', 'Users and groups'],
        ['alerts', 'Alerts'],
        ['audit', 'Audit'],
      ];

      it.each(accountPages)('on the %s page, at 1280x800 and on a phone', async (path, title) => {
        // A seat held now, so the Seats page shows a holder with its buttons.
        const started = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'AEC', machineId: `ws-${randomUUID().slice(0, 6)}` } }));
        try {
          for (const [viewport, suffix] of [
            [{ width: 1280, height: 800 }, ''],
            [{ width: 390, height: 844 }, '-phone'],
          ] as const) {
            const page = await signedIn(account.adminToken, accountPath(path), viewport);
            await heading(page, title);
            await page.waitForLoadState('networkidle');
            await page.locator('[data-testid="busy"]').first().waitFor({ state: 'detached', timeout: 20_000 });
            if (path === 'overview') await page.locator('[data-testid="concurrency-chart"] svg').first().waitFor({ timeout: 20_000 });
            if (path === 'term-usage') await page.getByRole('button', { name: /Days of AECOsim/ }).click();
            expect(await seriousAxeViolations(page)).toEqual([]);
            // Usable on a phone: nothing but tables (which scroll) is wider than the screen.
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            expect(overflow).toBeLessThanOrEqual(1);
            await screenshot(page, `${path}${suffix}`);
          }
        } finally {
          await ok(stack.mutate(user.token, M.endUsage, { input: { sessionId: started.startUsage.sessionId } }));
        }
      });

      it('on the sign-in page, a plain user’s licenses and the operator’s account picker', async () => {
        const signIn = await newPage();
        await signIn.goto(`${portal}sign-in`);
        await signIn.getByLabel('Bearer token').waitFor();
        expect(await seriousAxeViolations(signIn)).toEqual([]);
        await screenshot(signIn, 'sign-in');

        const mine = await signedIn(user.token, 'me');
        await mine.getByTestId('policy-product').first().waitFor({ timeout: 20_000 });
        expect(await seriousAxeViolations(mine)).toEqual([]);
        await screenshot(mine, 'my-licenses');

        const picker = await signedIn(await stack.operatorToken(), 'accounts');
        await heading(picker, 'Choose an account');
        expect(await seriousAxeViolations(picker)).toEqual([]);
      });
    });
  });

  describe('OIDC sign-in (authorization code + PKCE)', () => {
    let stack: SesStack;
    let portal: string;
    let browser: Browser;
    let issuer: FakeOidcIssuer;
    const adminEmail = uniqueEmail('oidc-admin');

    beforeAll(async () => {
      issuer = new FakeOidcIssuer(TEST_SECRET, adminEmail);
      await issuer.start();
      ({ stack, portal } = await startPortalStack({ SES_AUTH_ISSUER: issuer.issuer, SES_PORTAL_CLIENT_ID: 'ses-portal' }));
      browser = await launchChromium();
      const operator = await issuer.token({ sub: 'operator', scope: 'ses:operator' });
      await ok(
        stack.mutate(operator, M.openAccount, {
          input: { name: 'Oidc Org', entitlementCountry: 'US', fulfillmentContact: { email: adminEmail, displayName: 'Olive Oidc' } },
        }),
      );
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
      await issuer?.stop();
    });

    it('signs in through the issuer with a PKCE challenge, exchanges the code with its verifier, and signs out again', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(`${portal}sign-in`);
        await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
        await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor({ timeout: 30_000 });
        await page.getByTestId('signed-in-as').filter({ hasText: adminEmail }).waitFor();

        expect(issuer.authorizeRequests).toHaveLength(1);
        const authorize = issuer.authorizeRequests[0];
        expect(authorize.get('response_type')).toBe('code');
        expect(authorize.get('client_id')).toBe('ses-portal');
        expect(authorize.get('code_challenge_method')).toBe('S256');
        expect(authorize.get('code_challenge')).toMatch(/^[\w-]{43}$/);
        expect(authorize.get('redirect_uri')).toBe(`${portal}auth/callback`);
        expect(issuer.tokenRequests).toHaveLength(1);
        expect(issuer.tokenRequests[0].get('grant_type')).toBe('authorization_code');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/portal\/sign-in$/);
        // Signing out forgets the token and the OIDC client's user.
        await eventually(
          async () => (await page.evaluate(() => Object.keys(sessionStorage).filter((key) => /token|oidc/.test(key)))).length === 0,
          'the stored sign-in to be forgotten',
        );
      } finally {
        await context.close();
      }
    });
  });
});
