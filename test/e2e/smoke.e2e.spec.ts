import { checkServedSchema, noBreakingChangesLine, servedExtensions } from '../support/contract';
import { ok } from '../support/graphql-client';
import { openAccount, registerUser, grantEntitlement } from '../support/scenario';
import { SesStack } from '../support/ses-stack';

describe('both apps as separate processes on the embedded stores', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it.each(['command', 'query'] as const)('%s: serves a schema with 0 breaking changes against the contract', async (which) => {
    // With every extension the app serves passed to the checker, the contract's "onboarding" among them (issue 10).
    expect(servedExtensions(which)).toContain('onboarding');
    const { code, lines } = await checkServedSchema(which, stack[which].url);
    // The checker ran (introspection worked) and summarised: nothing above the summary, exit 0.
    expect(lines).toEqual([noBreakingChangesLine(which)]);
    expect(lines[0]).toMatch(/\+ .*onboarding/);
    expect(code).toBe(0);
  });

  it('serves /health with 200 on both ports', async () => {
    for (const app of [stack.command, stack.query]) {
      const res = await fetch(app.url.replace('/graphql', '/health'));
      expect(res.status).toBe(200);
    }
  });

  it('stops gracefully on SIGTERM (exit code 0) and starts again on the same data', async () => {
    const account = await openAccount(stack);
    for (const app of [stack.command, stack.query]) {
      const code = await app.stop();
      // The app's last log lines come with a failure: a graceful stop that is not clean says why in them.
      expect({ app: app.name, code, logs: code === 0 ? [] : app.logs.slice(-30) }).toEqual({ app: app.name, code: 0, logs: [] });
    }
    await stack.restart('both');
    const data = await ok(stack.read(account.adminToken, '{ me { id } }', {}, account.position));
    expect(data.me.id).toBe(account.adminUserId);
  });

  it('shows what the command side did to a reader who passes the returned position', async () => {
    const account = await openAccount(stack);
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 5 });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const data = await ok(
      stack.read(
        account.adminToken,
        `query($id: ID!) { account(id: $id) { id users { id email } entitlements { productId seats status } } }`,
        { id: account.accountId },
        user.position,
      ),
    );
    expect(data.account.users.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([account.adminUserId, user.userId]));
    expect(data.account.entitlements).toEqual([{ productId: 'microstation', seats: 5, status: 'ACTIVE' }]);
  });
});
