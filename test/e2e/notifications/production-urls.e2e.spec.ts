import { globalLog } from '../../support/event-log';
import { openAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { N } from './notifications-support';

describe('webhook URLs in production (NODE_ENV=production): https only, no loopback, private, link-local or metadata addresses', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({ NODE_ENV: 'production' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it.each([
    ['http to 127.0.0.1', 'http://127.0.0.1:8080/hook'],
    ['https to 127.0.0.1', 'https://127.0.0.1/hook'],
    ['a name that resolves to loopback', 'https://localhost/hook'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['a private address', 'https://10.0.0.8/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['loopback spelt as a number', 'https://2130706433/hook'],
  ])('refuses %s with BAD_USER_INPUT naming url, and appends nothing', async (_, url) => {
    const account = await openAccount(stack, 'Production Co');
    const log = globalLog(stack);
    const res = await stack.mutate(account.adminToken, N.setWebhook, { input: { accountId: account.accountId, url, eventTypes: ['AlertRaised'] } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['url'] });
    expect(globalLog(stack)).toEqual(log);
  });
});
