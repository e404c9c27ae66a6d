import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, uniqueEmail } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const ACCOUNT = `query($id: ID!) { account(id: $id) { id name entitlementCountry openedAt entitlements { id productId productName seats country offlineDays checkoutAllowed maxCheckoutDays status seatsInUse } users { id email displayName country status roles } groups { id name } } }`;
const HISTORY = `query($id: ID!, $after: String, $first: Int, $types: [String!]) { eventHistory(accountId: $id, after: $after, first: $first, types: $types) { nextCursor events { position streamId revision type occurredAt data metadata } } }`;

describe('accounts, users and roles end to end', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('the operator opens an account and grants entitlements; the fulfilment contact registers users and grants roles; the query side shows them at once', async () => {
    const account = await openAccount(stack, 'Bentley Fans', 'GB');
    const { entitlementId } = await grantEntitlement(stack, account.accountId, {
      productId: 'microstation',
      productName: 'MicroStation',
      seats: 25,
      offlineDays: 14,
      maxCheckoutDays: 60,
    });
    const me = await ok(stack.read(account.adminToken, '{ me { id roles accountId status } }', {}, account.position));
    expect(me.me).toEqual({ id: account.adminUserId, roles: ['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD'], accountId: account.accountId, status: 'ACTIVE' });
    const engineer = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR', 'AUDITOR'] });
    const data = await ok(stack.read(account.adminToken, ACCOUNT, { id: account.accountId }, engineer.position));
    expect(data.account).toMatchObject({ id: account.accountId, name: 'Bentley Fans', entitlementCountry: 'GB' });
    expect(data.account.entitlements).toEqual([
      {
        id: entitlementId,
        productId: 'microstation',
        productName: 'MicroStation',
        seats: 25,
        country: 'GB',
        offlineDays: 14,
        checkoutAllowed: true,
        maxCheckoutDays: 60,
        status: 'ACTIVE',
        seatsInUse: 0,
      },
    ]);
    expect(data.account.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: engineer.userId, email: engineer.email, country: 'GB', roles: ['CO_ADMINISTRATOR', 'AUDITOR'], status: 'ACTIVE' }),
        expect.objectContaining({ id: account.adminUserId, email: account.adminEmail }),
      ]),
    );
    const user = await ok(stack.read(engineer.token, 'query($id: ID!) { user(id: $id) { id email roles groups { id } } }', { id: engineer.userId }));
    expect(user.user).toEqual({ id: engineer.userId, email: engineer.email, roles: ['CO_ADMINISTRATOR', 'AUDITOR'], groups: [] });
  });

  it('shows entitlement status: pending, active, expired and revoked', async () => {
    const account = await openAccount(stack);
    const pending = await grantEntitlement(stack, account.accountId, {
      productId: 'future',
      seats: 1,
      startsAt: '2090-01-01T00:00:00Z',
      endsAt: '2091-01-01T00:00:00Z',
    });
    const expired = await grantEntitlement(stack, account.accountId, {
      productId: 'past',
      seats: 1,
      startsAt: '2020-01-01T00:00:00Z',
      endsAt: '2021-01-01T00:00:00Z',
    });
    const revoked = await grantEntitlement(stack, account.accountId, { productId: 'gone', seats: 1 });
    const { revokeEntitlement } = await ok(
      stack.mutate(await stack.operatorToken(), M.revokeEntitlement, { input: { entitlementId: revoked.entitlementId, reason: 'order cancelled' } }),
    );
    const data = await ok(stack.read(account.adminToken, ACCOUNT, { id: account.accountId }, revokeEntitlement.position));
    const status = Object.fromEntries(data.account.entitlements.map((e: { id: string; status: string }) => [e.id, e.status]));
    expect(status).toEqual({ [pending.entitlementId]: 'PENDING', [expired.entitlementId]: 'EXPIRED', [revoked.entitlementId]: 'REVOKED' });
  });

  it('replays every event of the account with its actor, in order, page by page, and filters by type', async () => {
    const account = await openAccount(stack);
    await grantEntitlement(stack, account.accountId, { productId: 'p1', seats: 2 });
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] }));
    const last = users[2].position;
    const operator = await stack.operatorToken();
    const all = (await ok(stack.read(operator, HISTORY, { id: account.accountId, first: 1000 }, last))).eventHistory;
    expect(all.nextCursor).toBeNull();
    // AccountOpened, contact UserRegistered + 2 RoleGranted, EntitlementGranted, 3 x (UserRegistered + RoleGranted)
    expect(all.events.map((e: { type: string }) => e.type)).toEqual([
      'AccountOpened',
      'UserRegistered',
      'RoleGranted',
      'RoleGranted',
      'EntitlementGranted',
      'UserRegistered',
      'RoleGranted',
      'UserRegistered',
      'RoleGranted',
      'UserRegistered',
      'RoleGranted',
    ]);
    const positions = all.events.map((e: { position: string }) => BigInt(e.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(all.events.slice(0, 5).map((e: { metadata: { actor: string } }) => e.metadata.actor)).toEqual([
      'operator-backoffice',
      'operator-backoffice',
      'operator-backoffice',
      'operator-backoffice',
      'operator-backoffice',
    ]);
    expect(all.events[5].metadata).toMatchObject({
      actor: `sub-${account.adminEmail}`,
      commandId: expect.any(String),
      correlationId: expect.any(String),
      causationId: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(all.events[1].data).toMatchObject({ accountId: account.accountId, userId: account.adminUserId, email: account.adminEmail });

    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: { events: { position: string }[]; nextCursor: string | null } = (
        await ok(stack.read(users[0].token, HISTORY, { id: account.accountId, first: 4, after }))
      ).eventHistory;
      paged.push(...page.events.map((e) => e.position));
      after = page.nextCursor;
    } while (after);
    expect(paged).toEqual(all.events.map((e: { position: string }) => e.position));

    const roles = (await ok(stack.read(operator, HISTORY, { id: account.accountId, types: ['RoleGranted'] }))).eventHistory.events;
    expect(roles).toHaveLength(5);
  });

  it('keeps the last active administrator: neither revoked nor deactivated, until a second one exists', async () => {
    const account = await openAccount(stack);
    const revoke = { userId: account.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' };
    expect(await errorCode(stack.mutate(account.adminToken, M.revokeRole, { input: revoke }))).toBe('LAST_ADMINISTRATOR');
    expect(await errorCode(stack.mutate(await stack.operatorToken(), M.deactivateUser, { input: { userId: account.adminUserId } }))).toBe('LAST_ADMINISTRATOR');
    const second = await registerUser(stack, account.adminToken, account.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
    await ok(stack.mutate(second.token, M.revokeRole, { input: revoke }));
    expect(await errorCode(stack.mutate(second.token, M.deactivateUser, { input: { userId: second.userId } }))).toBe('LAST_ADMINISTRATOR');
  });

  it('lets a co-administrator register users and grant SOFTWARE_DOWNLOAD and AUDITOR, but not the administrator roles', async () => {
    const account = await openAccount(stack);
    const co = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    const { registerUser: r } = await ok(
      stack.mutate(co.token, M.registerUser, { input: { accountId: account.accountId, email: uniqueEmail(), displayName: 'By Co' } }),
    );
    await ok(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'AUDITOR' } }));
    await ok(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'SOFTWARE_DOWNLOAD' } }));
    expect(await errorCode(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'ACCOUNT_ADMINISTRATOR' } }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'CO_ADMINISTRATOR' } }))).toBe('FORBIDDEN');
  });

  it('refuses a deactivated administrator with USER_DEACTIVATED', async () => {
    const account = await openAccount(stack);
    const second = await registerUser(stack, account.adminToken, account.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
    const { deactivateUser } = await ok(stack.mutate(account.adminToken, M.deactivateUser, { input: { userId: second.userId } }));
    expect(
      await errorCode(stack.mutate(second.token, M.registerUser, { input: { accountId: account.accountId, email: uniqueEmail(), displayName: 'x' } })),
    ).toBe('USER_DEACTIVATED');
    expect(await errorCode(stack.read(second.token, ACCOUNT, { id: account.accountId }, deactivateUser.position))).toBe('USER_DEACTIVATED');
  });
});
