import { gql, ok } from '../../support/graphql-client';
import { M, openAccount, registerUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('GraphQL hardening in both apps', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  const apps = () => [stack.command, stack.query];

  it('refuses request bodies over the limit (query app 1 MiB, command app 4 MiB) with 413 and keeps serving', async () => {
    for (const app of apps()) {
      const limit = app === stack.command ? 4 * 1024 * 1024 : 1024 * 1024;
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(limit + 50_000) }),
      });
      expect(res.status).toBe(413);
      expect((await gql(app.url, await stack.operatorToken(), '{ __typename }')).data).toEqual({ __typename: 'Query' });
    }
  });

  it('rejects queries nested deeper than the limit', async () => {
    const account = await openAccount(stack);
    let selection = 'id';
    for (let i = 0; i < 6; i++) selection = `groups { members { ${selection} } }`;
    const res = await stack.read(account.adminToken, `query($id: ID!) { account(id: $id) { users { ${selection} } } }`, { id: account.accountId });
    expect(res.errors?.[0].message).toMatch(/depth/i);
    expect(res.data ?? null).toBeNull();
  });

  it('rejects queries whose complexity exceeds the limit', async () => {
    const aliases = Array.from({ length: 400 }, (_, i) => `a${i}: me { id email displayName roles status }`).join(' ');
    const res = await stack.read(await stack.operatorToken(), `{ ${aliases} }`);
    expect(res.errors?.[0].message).toMatch(/complexity/i);
  });

  it('prevents CSRF: a simple cross-site form post is refused', async () => {
    for (const app of apps()) {
      const res = await fetch(`${app.url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET', headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/CSRF|preflight/i);
    }
  });

  it('keeps tokens and emails out of the logs at info level', async () => {
    const account = await openAccount(stack);
    const user = await registerUser(stack, account.adminToken, account.accountId);
    await stack.mutate(account.adminToken, M.registerUser, { input: { accountId: account.accountId, email: 'not-an-email', displayName: 'x' } });
    await stack.read(user.token, '{ me { id } }');
    await stack.mutate('garbage-token', M.openAccount, {
      input: { name: 'x', entitlementCountry: 'US', fulfillmentContact: { email: 'a@b.co', displayName: 'x' } },
    });
    const logs = [...stack.command.logs, ...stack.query.logs].join('\n');
    expect(logs).not.toContain(user.email);
    expect(logs).not.toContain(account.adminEmail);
    expect(logs).not.toContain(user.token);
    expect(logs).not.toContain(account.adminToken.split('.')[2]);
    for (const line of stack.command.logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('production mode', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({ NODE_ENV: 'production' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('turns introspection and the landing page off', async () => {
    for (const app of [stack.command, stack.query]) {
      const res = await gql(app.url, await stack.operatorToken(), '{ __schema { types { name } } }');
      expect(res.errors?.[0].message).toMatch(/introspection/i);
      const page = await fetch(app.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/<html/i);
    }
    await ok(stack.read(await stack.operatorToken(), '{ me { id } }'));
  });
});
