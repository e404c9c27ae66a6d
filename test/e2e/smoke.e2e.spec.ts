import { ok } from '../support/graphql-client';
import { openAccount, registerUser, grantEntitlement } from '../support/scenario';
import { SesStack } from '../support/ses-stack';

describe('both apps as separate processes on the embedded stores', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('serves /health with 200 on both ports', async () => {
    for (const app of [stack.command, stack.query]) {
      const res = await fetch(app.url.replace('/graphql', '/health'));
      expect(res.status).toBe(200);
    }
  });

  it('stops gracefully on SIGTERM (exit code 0) and starts again on the same data', async () => {
    const account = await openAccount(stack);
    expect(await stack.command.stop()).toBe(0);
    expect(await stack.query.stop()).toBe(0);
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
