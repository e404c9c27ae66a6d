import { globalLog, ids } from '../../support/event-log';
import { ok, type GraphQLResponse } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, Q, registerUser, uniqueEmail, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('isolation: what each principal reads on the query side', () => {
  let stack: SesStack;
  let operator: string;
  let a: OpenedAccount;
  let b: OpenedAccount;
  let aAuditor: RegisteredUser;
  let aCo: RegisteredUser;
  let aPlain: RegisteredUser;
  let aOther: RegisteredUser;
  let aDownloader: RegisteredUser;
  let bUser: RegisteredUser;
  let aEntitlements: string[];
  let groupWithPlain: string;
  let groupWithoutPlain: string;
  let head: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
    [a, b] = await Promise.all([openAccount(stack, 'Tenant A'), openAccount(stack, 'Tenant B')]);
    aEntitlements = [
      (await grantEntitlement(stack, a.accountId, { productId: 'a-one', seats: 3 })).entitlementId,
      (await grantEntitlement(stack, a.accountId, { productId: 'a-two', seats: 1, startsAt: '2098-01-01T00:00:00Z' })).entitlementId,
    ];
    await grantEntitlement(stack, b.accountId, { productId: 'b-secret', seats: 9 });
    aAuditor = await registerUser(stack, a.adminToken, a.accountId, { roles: ['AUDITOR'] });
    aCo = await registerUser(stack, a.adminToken, a.accountId, { roles: ['CO_ADMINISTRATOR'] });
    aPlain = await registerUser(stack, a.adminToken, a.accountId);
    aOther = await registerUser(stack, a.adminToken, a.accountId);
    aDownloader = await registerUser(stack, a.adminToken, a.accountId, { roles: ['SOFTWARE_DOWNLOAD'] });
    bUser = await registerUser(stack, b.adminToken, b.accountId, { roles: ['AUDITOR'] });
    groupWithPlain = (await ok(stack.mutate(a.adminToken, M.createGroup, { input: { accountId: a.accountId, name: 'Alpha', productIds: ['a-one'] } })))
      .createGroup.groupId;
    groupWithoutPlain = (await ok(stack.mutate(a.adminToken, M.createGroup, { input: { accountId: a.accountId, name: 'Beta', productIds: ['a-two'] } })))
      .createGroup.groupId;
    await ok(stack.mutate(a.adminToken, M.addGroupMember, { input: { groupId: groupWithPlain, userId: aPlain.userId } }));
    await ok(stack.mutate(a.adminToken, M.addGroupMember, { input: { groupId: groupWithoutPlain, userId: aOther.userId } }));
    head = globalLog(stack).head;
  }, 60_000);
  afterAll(() => stack?.stop());

  const refusedWithoutData = (res: GraphQLResponse, codes: string[]) => {
    expect(codes).toContain(res.errors?.[0]?.extensions?.code);
    expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
    expect(JSON.stringify(res)).not.toMatch(/b-secret|Tenant B/);
  };

  it('a user of account A, whatever their roles, reads nothing of account B', async () => {
    for (const reader of [a.adminToken, aAuditor.token, aCo.token, aPlain.token, aDownloader.token]) {
      refusedWithoutData(await stack.read(reader, Q.account, { id: b.accountId }, head), ['FORBIDDEN', 'NOT_FOUND']);
      refusedWithoutData(await stack.read(reader, Q.user, { id: b.adminUserId }, head), ['FORBIDDEN', 'NOT_FOUND']);
      refusedWithoutData(await stack.read(reader, Q.user, { id: bUser.userId }, head), ['FORBIDDEN', 'NOT_FOUND']);
      refusedWithoutData(await stack.read(reader, Q.history, { id: b.accountId }, head), ['FORBIDDEN', 'NOT_FOUND']);
    }
    // An administrator of A is told FORBIDDEN, exactly, for B's account and history.
    expect((await stack.read(a.adminToken, Q.account, { id: b.accountId }, head)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.read(a.adminToken, Q.history, { id: b.accountId }, head)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // ...and B's people nothing of A.
    refusedWithoutData(await stack.read(bUser.token, Q.history, { id: a.accountId }, head), ['FORBIDDEN', 'NOT_FOUND']);
    refusedWithoutData(await stack.read(b.adminToken, Q.user, { id: aPlain.userId }, head), ['FORBIDDEN', 'NOT_FOUND']);
  });

  it('an id of another account is indistinguishable from an id that does not exist', async () => {
    const foreign = await stack.read(a.adminToken, Q.user, { id: bUser.userId }, head);
    const missing = await stack.read(a.adminToken, Q.user, { id: '00000000-0000-4000-8000-000000000000' }, head);
    expect(foreign.errors?.[0]?.extensions?.code).toBe(missing.errors?.[0]?.extensions?.code);
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
  });

  it("a plain member sees the account's entitlements but only themself and their own groups", async () => {
    for (const member of [aPlain, aDownloader]) {
      const account = (await ok(stack.read(member.token, Q.account, { id: a.accountId }, head))).account;
      expect(account).toMatchObject({ id: a.accountId, name: 'Tenant A' });
      expect(ids(account.entitlements)).toEqual([...aEntitlements].sort());
      expect(account.entitlements.map((e: { productId: string; status: string }) => [e.productId, e.status]).sort()).toEqual([
        ['a-one', 'ACTIVE'],
        ['a-two', 'PENDING'],
      ]);
      expect(account.users.map((u: { id: string }) => u.id)).toEqual([member.userId]);
    }
    const plainView = (await ok(stack.read(aPlain.token, Q.account, { id: a.accountId }, head))).account;
    expect(ids(plainView.groups)).toEqual([groupWithPlain]);
    const rules = await ok(stack.read(aPlain.token, 'query($id: ID!) { account(id: $id) { alertRules { id } } }', { id: a.accountId }, head));
    expect(rules.account.alertRules).toEqual([]);
    expect((await ok(stack.read(aDownloader.token, Q.account, { id: a.accountId }, head))).account.groups).toEqual([]);
  });

  it('a plain member reads user(id) of themself only, and no history', async () => {
    expect((await ok(stack.read(aPlain.token, Q.user, { id: aPlain.userId }, head))).user).toMatchObject({
      id: aPlain.userId,
      groups: [{ id: groupWithPlain }],
    });
    for (const other of [aOther.userId, a.adminUserId, aAuditor.userId]) {
      // Another user of the plain member's own account is NOT_FOUND, as an id never issued.
      refusedWithoutData(await stack.read(aPlain.token, Q.user, { id: other }, head), ['NOT_FOUND']);
    }
    refusedWithoutData(await stack.read(aPlain.token, Q.history, { id: a.accountId }, head), ['FORBIDDEN']);
  });

  it('managers (ACCOUNT_ADMINISTRATOR, CO_ADMINISTRATOR, AUDITOR) see every user and group of their account; the operator sees every account', async () => {
    const everyone = [a.adminUserId, aAuditor.userId, aCo.userId, aPlain.userId, aOther.userId, aDownloader.userId].sort();
    for (const reader of [a.adminToken, aCo.token, aAuditor.token, operator]) {
      const account = (await ok(stack.read(reader, Q.account, { id: a.accountId }, head))).account;
      expect(ids(account.users)).toEqual(everyone);
      expect(ids(account.groups)).toEqual([groupWithPlain, groupWithoutPlain].sort());
      expect((await ok(stack.read(reader, Q.user, { id: aOther.userId }, head))).user.id).toBe(aOther.userId);
    }
    const bAccount = (await ok(stack.read(operator, Q.account, { id: b.accountId }, head))).account;
    expect(ids(bAccount.users)).toEqual([b.adminUserId, bUser.userId].sort());
    expect(bAccount.entitlements.map((e: { productId: string }) => e.productId)).toEqual(['b-secret']);
  });

  it('a signed-in but unregistered user: me is null, and every account is refused', async () => {
    const stranger = await stack.userToken(uniqueEmail('stranger'));
    expect((await ok(stack.read(stranger, Q.me, {}, head))).me).toBeNull();
    refusedWithoutData(await stack.read(stranger, Q.account, { id: a.accountId }, head), ['FORBIDDEN', 'NOT_FOUND']);
    refusedWithoutData(await stack.read(stranger, Q.user, { id: aPlain.userId }, head), ['FORBIDDEN', 'NOT_FOUND']);
    // The operator is nobody's user.
    expect((await ok(stack.read(operator, Q.me, {}, head))).me).toBeNull();
  });
});
