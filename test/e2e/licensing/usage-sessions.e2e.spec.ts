import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('usage sessions: the decision order, term license usage and the session lifecycle', () => {
  let stack: SesStack;

  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  /** Each test its own account, so that no test sees another's sessions on the seats. */
  const usageCo = async (): Promise<OpenedAccount> => {
    const account = await openAccount(stack, 'Usage Co', 'US');
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 1 });
    await grantEntitlement(stack, account.accountId, { productId: 'openroads', seats: 5 });
    await grantEntitlement(stack, account.accountId, { productId: 'expired-app', seats: 5, startsAt: '2025-01-01T00:00:00Z', endsAt: '2025-06-01T00:00:00Z' });
    return account;
  };

  const start = (token: string, productId: string, extra: Record<string, unknown> = {}) =>
    ok(stack.mutate(token, M.startUsage, { input: { productId, machineId: 'laptop-1', ...extra } })).then((d) => d.startUsage);

  it('allows an entitled user and records a session', async () => {
    const account = await usageCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const decision = await start(user.token, 'openroads', { productVersion: '10.2' });
    expect(decision).toMatchObject({ allowed: true, denyReason: null, termLicenseUsage: false, warnings: [] });
    expect(decision.sessionId).toEqual(expect.any(String));
  });

  it('denies a product the account has no entitlement for, an expired entitlement, and another country', async () => {
    const account = await usageCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    expect(await start(user.token, 'no-such-product')).toMatchObject({ allowed: false, denyReason: 'NOT_ENTITLED' });
    expect(await start(user.token, 'expired-app')).toMatchObject({ allowed: false, denyReason: 'NOT_ENTITLED' });
    const german = await registerUser(stack, account.adminToken, account.accountId, { country: 'DE' });
    expect(await start(german.token, 'openroads')).toMatchObject({ allowed: false, denyReason: 'NOT_ENTITLED' });
  });

  it('restricts a user in a group to the union of the group products', async () => {
    const account = await usageCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { createGroup } = await ok(
      stack.mutate(account.adminToken, M.createGroup, { input: { accountId: account.accountId, name: 'Road designers', productIds: ['openroads'] } }),
    );
    await ok(stack.mutate(account.adminToken, M.addGroupMember, { input: { groupId: createGroup.groupId, userId: user.userId } }));
    expect(await start(user.token, 'microstation')).toMatchObject({ allowed: false, denyReason: 'GROUP_RESTRICTED' });
    expect(await start(user.token, 'openroads')).toMatchObject({ allowed: true });
  });

  it('tells an unregistered principal NOT_REGISTERED and a deactivated user USER_DEACTIVATED', async () => {
    const account = await usageCo();
    expect(await start(await stack.userToken('nobody-here@example.com'), 'openroads')).toMatchObject({ allowed: false, denyReason: 'NOT_REGISTERED' });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    await ok(stack.mutate(account.adminToken, M.deactivateUser, { input: { userId: user.userId } }));
    expect(await start(user.token, 'openroads')).toMatchObject({ allowed: false, denyReason: 'USER_DEACTIVATED' });
  });

  it('flags term license usage on the seat above the seats owned, with a warning', async () => {
    const account = await usageCo();
    const first = await registerUser(stack, account.adminToken, account.accountId);
    const second = await registerUser(stack, account.adminToken, account.accountId);
    expect(await start(first.token, 'microstation')).toMatchObject({ allowed: true, termLicenseUsage: false });
    const over = await start(second.token, 'microstation');
    expect(over).toMatchObject({ allowed: true, termLicenseUsage: true });
    expect(over.warnings.join(' ')).toMatch(/term license usage/i);
  });

  it('treats a repeated sessionId as the same session and appends nothing', async () => {
    const account = await usageCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const sessionId = `session-${user.userId}`;
    const first = await start(user.token, 'openroads', { sessionId });
    const again = await start(user.token, 'openroads', { sessionId });
    expect(again).toMatchObject({ sessionId, allowed: first.allowed, termLicenseUsage: first.termLicenseUsage });
    expect(again.position).toBe(first.position);
  });

  it('heartbeats an active session, ends it, and then answers SESSION_NOT_ACTIVE', async () => {
    const account = await usageCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { sessionId } = await start(user.token, 'openroads');
    await ok(stack.mutate(user.token, M.heartbeatUsage, { input: { sessionId } }));
    await ok(stack.mutate(user.token, M.endUsage, { input: { sessionId } }));
    expect(await errorCode(stack.mutate(user.token, M.heartbeatUsage, { input: { sessionId } }))).toBe('SESSION_NOT_ACTIVE');
    expect(await errorCode(stack.mutate(user.token, M.endUsage, { input: { sessionId } }))).toBe('SESSION_NOT_ACTIVE');
  });

  it("lets an administrator end anyone's session, but not another user", async () => {
    const account = await usageCo();
    const holder = await registerUser(stack, account.adminToken, account.accountId);
    const colleague = await registerUser(stack, account.adminToken, account.accountId);
    const { sessionId } = await start(holder.token, 'openroads');
    expect(await errorCode(stack.mutate(colleague.token, M.endUsage, { input: { sessionId } }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(colleague.token, M.heartbeatUsage, { input: { sessionId } }))).toBe('FORBIDDEN');
    await ok(stack.mutate(account.adminToken, M.endUsage, { input: { sessionId } }));
  });

  it('hides sessions of another account (NOT_FOUND) and unknown ones', async () => {
    const account = await usageCo();
    const other = await openAccount(stack, 'Other Co');
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { sessionId } = await start(user.token, 'openroads');
    expect(await errorCode(stack.mutate(other.adminToken, M.endUsage, { input: { sessionId } }))).toBe('NOT_FOUND');
    expect(await errorCode(stack.mutate(user.token, M.heartbeatUsage, { input: { sessionId: 'never-issued' } }))).toBe('NOT_FOUND');
  });
});
