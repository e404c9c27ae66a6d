import type { Page } from 'playwright-core';
import { uniqueDomain } from '../e2e/onboarding/onboarding-support';
import { N } from '../e2e/notifications/notifications-support';
import { ok } from '../support/graphql-client';
import { M, uniqueEmail, type OpenedAccount, type RegisteredUser } from '../support/scenario';
import type { SesStack } from '../support/ses-stack';
import { WebhookReceiver } from '../support/webhook-receiver';
import { eventually, screenshot, seriousAxeViolations } from './support/chromium';

/** What the portal suite shares with these cases: one stack, one browser, one account (so no extra start-up). */
export interface PortalSuite {
  stack: SesStack;
  account: OpenedAccount;
  auditor: RegisteredUser;
  signedIn(token: string, path?: string, viewport?: { width: number; height: number }): Promise<Page>;
  heading(page: Page, name: string): Promise<void>;
}

const PHONE = { width: 390, height: 844 };
const USERS = `query($id: ID!) { account(id: $id) { users { id email roles groups { name } } } }`;
const REQUESTS = `query($id: ID!) { registrationRequests(accountId: $id) { id email status userId } }`;

/** Accessible (axe-core: no serious or critical violations), and nothing but tables wider than the screen. */
async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await screenshot(page, name);
}

/**
 * The portal's pages for the contract extensions: onboarding (CSV import with a dry run,
 * registration requests, domains, asking to join) and notifications (webhooks and their
 * deliveries). Registered inside the portal suite, which starts the apps and the browser.
 */
export function extensionCases(suite: () => PortalSuite): void {
  describe('onboarding and notifications', () => {
    it('CSV import: the dry run shows a bad row’s error and registers nothing; the commit then registers the good rows', async () => {
      const { stack, account, signedIn, heading } = suite();
      const page = await signedIn(account.adminToken, `a/${account.accountId}/users?tab=import`);
      await heading(page, 'Users and groups');
      const [ada, bob] = [uniqueEmail('import-ada'), uniqueEmail('import-bob')];
      const csv = `email,displayName,country,roles,groups\n${ada},Ada Import,GB,Auditor,\nnot-an-email,Bad Row,,,\n${bob},Bob Import,,,\n`;
      // Chosen as a file, as an administrator would; its text appears in the editable box.
      await page.locator('input[type="file"]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await eventually(async () => (await page.getByLabel('CSV text').inputValue()) === csv, 'the file’s text in the box');
      await page.getByRole('button', { name: 'Check the file' }).click();

      const preview = page.getByTestId('import-preview');
      await preview.filter({ hasText: '2 of 3 lines would be registered; 1 would fail' }).waitFor({ timeout: 20_000 });
      const badRow = page.getByTestId('import-preview-table').getByRole('row').filter({ hasText: 'not-an-email' });
      expect(await badRow.textContent()).toMatch(/Fails.*Some of the values entered are not valid/);
      const before = await ok(stack.read(account.adminToken, USERS, { id: account.accountId }));
      expect(before.account.users.map((u: { email: string }) => u.email)).not.toEqual(expect.arrayContaining([ada]));
      await checkPage(page, 'users-import-preview');

      await page.getByRole('button', { name: 'Register 2 users' }).click();
      await page.getByTestId('import-done').filter({ hasText: 'Registered 2 users; 1 line failed and registered nothing.' }).waitFor({ timeout: 20_000 });
      // Had the dry run registered anyone, these two rows would now fail as already registered.
      const users = await eventually(async () => {
        const answer = await ok(stack.read(account.adminToken, USERS, { id: account.accountId }));
        const found = answer.account.users.filter((u: { email: string }) => [ada, bob].includes(u.email));
        return found.length === 2 && answer.account.users;
      }, 'the imported users to be readable');
      expect(users.find((u: { email: string }) => u.email === ada).roles).toEqual(['AUDITOR']);
      expect(users.some((u: { email: string }) => u.email === 'not-an-email')).toBe(false);
      // The users list shows them too (the import refreshes it).
      await page.getByRole('tab', { name: /^Users/ }).click();
      await page.getByTestId('users-table').getByRole('cell', { name: ada }).waitFor({ timeout: 20_000 });

      const phone = await signedIn(account.adminToken, `a/${account.accountId}/users?tab=import`, PHONE);
      await heading(phone, 'Users and groups');
      await phone.getByLabel('CSV text').waitFor();
      await checkPage(phone, 'users-import-phone');
    });

    it('registration: the administrator claims a domain; a person asks to join from My licenses; the administrator approves; they are a user', async () => {
      const { stack, account, auditor, signedIn, heading } = suite();
      const domain = uniqueDomain('portal');
      const admin = await signedIn(account.adminToken, `a/${account.accountId}/users?tab=domains`);
      await heading(admin, 'Users and groups');
      const domains = admin.getByRole('combobox', { name: 'Email domains' });
      await domains.fill(domain);
      await domains.press('Enter');
      await admin.getByRole('button', { name: 'Save domains' }).click();
      await admin
        .getByTestId('domains-saved')
        .filter({ hasText: `Saved: ${domain}.` })
        .waitFor({ timeout: 20_000 });
      await checkPage(admin, 'users-domains');

      const email = `pat.${Date.now().toString(36)}@${domain}`;
      const person = await signedIn(await stack.userToken(email), 'me');
      await heading(person, 'My licenses');
      await person.getByLabel('Your name').fill('Pat Joiner');
      await checkPage(person, 'my-licenses-join');
      await person.getByRole('button', { name: 'Ask to join' }).click();
      await person.getByTestId('my-requests').filter({ hasText: 'Waiting for an administrator' }).waitFor({ timeout: 20_000 });

      await admin.getByRole('tab', { name: 'Registration requests' }).click();
      const row = admin.getByTestId('registration-requests').getByRole('row').filter({ hasText: email });
      await row.waitFor({ timeout: 20_000 });
      await checkPage(admin, 'users-requests');
      await row.getByRole('button', { name: `Approve ${email}` }).click();
      await admin.getByRole('dialog', { name: 'Approve this request?' }).getByRole('button', { name: 'Approve' }).click();
      await admin
        .getByTestId('requests-done')
        .filter({ hasText: `Approved ${email}` })
        .waitFor({ timeout: 20_000 });
      await admin.getByTestId('registration-requests').getByText('No requests are waiting.').waitFor({ timeout: 20_000 });

      const requests = await ok(stack.read(account.adminToken, REQUESTS, { id: account.accountId }));
      const decided = requests.registrationRequests.find((r: { email: string }) => r.email === email);
      expect(decided).toMatchObject({ status: 'APPROVED', userId: expect.any(String) });
      const me = await ok(stack.read(await stack.userToken(email), `{ me { id accountId } }`));
      expect(me.me).toEqual({ id: decided.userId, accountId: account.accountId });

      // The person, once registered, sees their administrators.
      await person.reload();
      await person.getByTestId('my-administrators').filter({ hasText: account.adminEmail }).waitFor({ timeout: 20_000 });

      // An auditor reads requests and domains but gets no buttons that change them, and no import.
      const reader = await signedIn(auditor.token, `a/${account.accountId}/users?tab=requests`, PHONE);
      await heading(reader, 'Users and groups');
      await reader.getByText('All', { exact: true }).click();
      await reader.getByTestId('registration-requests').getByRole('cell', { name: email }).waitFor({ timeout: 20_000 });
      expect(await reader.getByRole('button', { name: /^Approve|^Reject/ }).count()).toBe(0);
      expect(await reader.getByRole('tab', { name: 'Import CSV' }).count()).toBe(0);
      await checkPage(reader, 'users-requests-phone');
      await reader.getByRole('tab', { name: 'Domains' }).click();
      await reader.getByTestId('domains').getByText(domain).waitFor({ timeout: 20_000 });
      expect(await reader.getByRole('button', { name: 'Save domains' }).count()).toBe(0);
    });

    it('webhooks: an administrator adds one; it is listed, an event is delivered to it, and its deliveries show status and attempts', async () => {
      const { stack, account, signedIn, heading } = suite();
      const receiver = await WebhookReceiver.start();
      try {
        const page = await signedIn(account.adminToken, `a/${account.accountId}/alerts`);
        await heading(page, 'Alerts');
        await page.getByRole('button', { name: 'Add a webhook' }).click();
        const dialog = page.getByRole('dialog', { name: 'Add a webhook' });
        // A refused address is told in words, and nothing is added.
        await dialog.getByLabel('Address (URL)').fill('ftp://files.example/hook');
        await dialog.getByRole('button', { name: 'Add webhook' }).click();
        const refused = dialog.getByTestId('api-error');
        await refused.waitFor({ timeout: 20_000 });
        expect(await refused.getAttribute('data-code')).toBe('BAD_USER_INPUT');
        expect(await refused.innerText()).toMatch(/Some of the values entered are not valid\..*\(check: url\)/s);
        const url = receiver.url('/portal-hook');
        await dialog.getByLabel('Address (URL)').fill(url);
        await dialog.getByLabel('Events to send').fill('UserRegistered');
        await page.getByRole('option', { name: 'UserRegistered' }).click();
        await dialog.getByLabel('Description').fill('directory sync');
        await dialog.getByRole('button', { name: 'Add webhook' }).click();
        await dialog.waitFor({ state: 'detached', timeout: 20_000 });

        const row = page.getByTestId('webhooks').getByRole('row').filter({ hasText: url });
        await row.waitFor({ timeout: 20_000 });
        expect(await row.textContent()).toMatch(/AlertRaised; UserRegistered.*directory sync.*Active/);
        const deliveries = page.getByTestId('webhook-deliveries');
        await deliveries.getByText('Nothing has been sent yet').waitFor({ timeout: 20_000 });

        // An event of a chosen type: a user registered (through the API, as another administrator would).
        const email = uniqueEmail('hooked');
        await ok(stack.mutate(account.adminToken, M.registerUser, { input: { accountId: account.accountId, email, displayName: 'Hooked User' } }));
        const [received] = await receiver.until(() => receiver.at('/portal-hook').length > 0 && receiver.at('/portal-hook'), 'the delivery at /portal-hook');
        expect(JSON.parse(received.body)).toMatchObject({ type: 'UserRegistered', data: { email } });

        // The page reads the deliveries again by itself.
        const delivered = deliveries.getByRole('row').filter({ hasText: 'UserRegistered' }).filter({ hasText: 'Delivered' });
        await delivered.waitFor({ timeout: 30_000 });
        expect(await delivered.textContent()).toMatch(/Delivered1.*HTTP 200/);
        const webhooks = await ok(stack.read(account.adminToken, N.webhooks, { id: account.accountId }));
        const hook = webhooks.webhooks.find((w: { url: string }) => w.url === url);
        const api = await ok(stack.read(account.adminToken, N.deliveries, { id: hook.id }));
        expect(api.webhookDeliveries.deliveries).toEqual([
          expect.objectContaining({ eventType: 'UserRegistered', status: 'DELIVERED', attempts: 1, lastResponseStatus: 200 }),
        ]);
        await checkPage(page, 'alerts-webhooks');

        await row.getByRole('button', { name: `Remove the webhook to ${url}` }).click();
        await page.getByRole('dialog', { name: 'Remove this webhook?' }).getByRole('button', { name: 'Remove webhook' }).click();
        await row.filter({ hasText: 'Removed' }).waitFor({ timeout: 20_000 });

        const phone = await signedIn(account.adminToken, `a/${account.accountId}/alerts`, PHONE);
        await heading(phone, 'Alerts');
        await phone
          .getByTestId('webhooks')
          .getByRole('row')
          .filter({ hasText: url })
          .getByRole('button', { name: /Deliveries/ })
          .click();
        await phone.getByTestId('webhook-deliveries').getByRole('row').filter({ hasText: 'UserRegistered' }).waitFor({ timeout: 20_000 });
        await checkPage(phone, 'alerts-webhooks-phone');
      } finally {
        await receiver.close();
      }
    });
  });
}
