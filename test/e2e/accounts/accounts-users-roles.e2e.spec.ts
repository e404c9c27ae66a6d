import { ok } from '../../support/graphql-client';
import { ids } from '../../support/event-log';
import { M, openAccount, Q, registerUser, uniqueEmail } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('accounts: the operator opens accounts and grants entitlements; administrators register users and grant roles', () => {
  let stack: SesStack;
  let operator: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('shows the whole directory on the query side with read-your-writes (me, account, user)', async () => {
    const contactEmail = uniqueEmail('contact');
    const opened = (
      await ok(
        stack.mutate(operator, M.openAccount, {
          input: { name: 'Acme Engineering', entitlementCountry: 'DE', fulfillmentContact: { email: contactEmail, displayName: 'Fiona Fulfilment' } },
        }),
      )
    ).openAccount;
    expect(opened).toEqual({ accountId: expect.any(String), fulfillmentContactUserId: expect.any(String), position: expect.stringMatching(/^\d+$/) });
    const adminToken = await stack.userToken(contactEmail);

    // The contact reads themself straight away: ACCOUNT_ADMINISTRATOR + SOFTWARE_DOWNLOAD, the account's country.
    const me = (await ok(stack.read(adminToken, Q.me, {}, opened.position))).me;
    expect(me).toEqual({
      id: opened.fulfillmentContactUserId,
      accountId: opened.accountId,
      email: contactEmail,
      displayName: 'Fiona Fulfilment',
      country: 'DE',
      status: 'ACTIVE',
      roles: ['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD'],
      registeredAt: expect.any(String),
      groups: [],
    });

    // Entitlements: defaults from the contract, explicit values, and every status.
    const active = (
      await ok(
        stack.mutate(operator, M.grantEntitlement, {
          input: {
            accountId: opened.accountId,
            productId: 'microstation',
            productName: 'MicroStation',
            seats: 5,
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '2099-01-01T00:00:00Z',
          },
        }),
      )
    ).grantEntitlement;
    const pending = (
      await ok(
        stack.mutate(operator, M.grantEntitlement, {
          input: {
            accountId: opened.accountId,
            productId: 'openroads',
            productName: 'OpenRoads',
            seats: 2,
            startsAt: '2098-01-01T00:00:00Z',
            endsAt: '2099-06-01T00:00:00Z',
            country: 'FR',
            offlineDays: 14,
            checkoutAllowed: false,
            maxCheckoutDays: 90,
          },
        }),
      )
    ).grantEntitlement;
    const expired = (
      await ok(
        stack.mutate(operator, M.grantEntitlement, {
          input: {
            accountId: opened.accountId,
            productId: 'legacy',
            productName: 'Legacy',
            seats: 1,
            startsAt: '2020-01-01T00:00:00Z',
            endsAt: '2021-01-01T00:00:00Z',
          },
        }),
      )
    ).grantEntitlement;
    const revoked = (
      await ok(
        stack.mutate(operator, M.grantEntitlement, {
          input: {
            accountId: opened.accountId,
            productId: 'microstation',
            productName: 'MicroStation',
            seats: 3,
            startsAt: '2026-02-01T00:00:00Z',
            endsAt: '2099-01-01T00:00:00Z',
          },
        }),
      )
    ).grantEntitlement;
    const revocation = (await ok(stack.mutate(operator, M.revokeEntitlement, { input: { entitlementId: revoked.entitlementId, reason: 'order cancelled' } })))
      .revokeEntitlement;
    expect(revocation.entitlementId).toBe(revoked.entitlementId);
    expect(BigInt(revocation.position)).toBeGreaterThan(BigInt(revoked.position));

    // The fulfilment contact registers users (country defaults to the account's) and grants roles.
    const coEmail = uniqueEmail('co');
    const co = (
      await ok(stack.mutate(adminToken, M.registerUser, { input: { accountId: opened.accountId, email: coEmail, displayName: 'Carla Co', country: 'AT' } }))
    ).registerUser;
    const plainEmail = uniqueEmail('plain');
    const plain = (await ok(stack.mutate(adminToken, M.registerUser, { input: { accountId: opened.accountId, email: plainEmail, displayName: 'Paul Plain' } })))
      .registerUser;
    const grant1 = (await ok(stack.mutate(adminToken, M.grantRole, { input: { userId: co.userId, role: 'CO_ADMINISTRATOR' } }))).grantRole;
    const grant2 = (await ok(stack.mutate(adminToken, M.grantRole, { input: { userId: co.userId, role: 'AUDITOR' } }))).grantRole;
    expect(grant1.userId).toBe(co.userId);
    const positions = [opened, active, pending, expired, revoked, revocation, co, plain, grant1, grant2].map((r) => BigInt(r.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);

    // Read your writes: the last position, no sleeping.
    const account = (await ok(stack.read(adminToken, Q.account, { id: opened.accountId }, grant2.position))).account;
    expect(account).toMatchObject({ id: opened.accountId, name: 'Acme Engineering', entitlementCountry: 'DE', openedAt: expect.any(String), groups: [] });
    const byId = Object.fromEntries(account.entitlements.map((e: { id: string }) => [e.id, e]));
    expect(Object.keys(byId).sort()).toEqual([active, pending, expired, revoked].map((e) => e.entitlementId).sort());
    expect(byId[active.entitlementId]).toEqual({
      id: active.entitlementId,
      accountId: opened.accountId,
      productId: 'microstation',
      productName: 'MicroStation',
      seats: 5,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2099-01-01T00:00:00.000Z',
      country: 'DE',
      offlineDays: 7,
      checkoutAllowed: true,
      maxCheckoutDays: 30,
      status: 'ACTIVE',
      seatsInUse: 0,
    });
    expect(byId[pending.entitlementId]).toMatchObject({
      country: 'FR',
      offlineDays: 14,
      checkoutAllowed: false,
      maxCheckoutDays: 90,
      seats: 2,
      status: 'PENDING',
    });
    expect(byId[expired.entitlementId].status).toBe('EXPIRED');
    expect(byId[revoked.entitlementId].status).toBe('REVOKED');

    expect(ids(account.users)).toEqual([opened.fulfillmentContactUserId, co.userId, plain.userId].sort());
    const users = Object.fromEntries(account.users.map((u: { id: string }) => [u.id, u]));
    expect(users[co.userId]).toMatchObject({ accountId: opened.accountId, email: coEmail, displayName: 'Carla Co', country: 'AT', status: 'ACTIVE' });
    // Roles in the order they were granted.
    expect(users[co.userId].roles).toEqual(['CO_ADMINISTRATOR', 'AUDITOR']);
    expect(users[plain.userId]).toMatchObject({ email: plainEmail, country: 'DE', status: 'ACTIVE', roles: [] });

    // user(id): the administrator sees anyone of the account; the operator too; a user sees themself.
    const plainToken = await stack.userToken(plainEmail);
    expect((await ok(stack.read(adminToken, Q.user, { id: plain.userId }, grant2.position))).user).toMatchObject({
      id: plain.userId,
      email: plainEmail,
      roles: [],
    });
    expect((await ok(stack.read(operator, Q.user, { id: co.userId }, grant2.position))).user).toMatchObject({ id: co.userId, accountId: opened.accountId });
    expect((await ok(stack.read(plainToken, Q.user, { id: plain.userId }, grant2.position))).user).toMatchObject({
      id: plain.userId,
      status: 'ACTIVE',
      roles: [],
      groups: [],
    });
    expect((await ok(stack.read(plainToken, Q.me, {}, grant2.position))).me).toMatchObject({ id: plain.userId, roles: [] });
  });

  it('roles come from events, not tokens: revoke and deactivate show up at once, and the email claim is case-insensitive', async () => {
    const email = uniqueEmail('Contact.Mixed');
    const opened = (
      await ok(
        stack.mutate(operator, M.openAccount, {
          input: { name: 'Case Co', entitlementCountry: 'US', fulfillmentContact: { email, displayName: 'Mixed Case' } },
        }),
      )
    ).openAccount;
    const admin = await stack.userToken(email.toLowerCase());
    expect((await ok(stack.read(admin, Q.me, {}, opened.position))).me.id).toBe(opened.fulfillmentContactUserId);
    const upper = await stack.userToken(email.toUpperCase());
    expect((await ok(stack.read(upper, Q.me, {}, opened.position))).me.id).toBe(opened.fulfillmentContactUserId);

    const userEmail = uniqueEmail();
    const u = (await ok(stack.mutate(upper, M.registerUser, { input: { accountId: opened.accountId, email: userEmail, displayName: 'U' } }))).registerUser;
    await ok(stack.mutate(admin, M.grantRole, { input: { userId: u.userId, role: 'SOFTWARE_DOWNLOAD' } }));
    const g = (await ok(stack.mutate(admin, M.grantRole, { input: { userId: u.userId, role: 'AUDITOR' } }))).grantRole;
    expect([...(await ok(stack.read(admin, Q.user, { id: u.userId }, g.position))).user.roles].sort()).toEqual(['AUDITOR', 'SOFTWARE_DOWNLOAD']);
    const r = (await ok(stack.mutate(admin, M.revokeRole, { input: { userId: u.userId, role: 'AUDITOR' } }))).revokeRole;
    expect((await ok(stack.read(admin, Q.user, { id: u.userId }, r.position))).user.roles).toEqual(['SOFTWARE_DOWNLOAD']);
    const d = (await ok(stack.mutate(admin, M.deactivateUser, { input: { userId: u.userId } }))).deactivateUser;
    expect(d.userId).toBe(u.userId);
    expect((await ok(stack.read(admin, Q.user, { id: u.userId }, d.position))).user).toMatchObject({ status: 'DEACTIVATED', roles: ['SOFTWARE_DOWNLOAD'] });
  });

  it('lets a co-administrator register users and grant them SOFTWARE_DOWNLOAD and AUDITOR', async () => {
    const account = await openAccount(stack);
    const co = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    const email = uniqueEmail('by-co');
    const { registerUser: r } = await ok(stack.mutate(co.token, M.registerUser, { input: { accountId: account.accountId, email, displayName: 'By Co' } }));
    await ok(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'AUDITOR' } }));
    const { grantRole } = await ok(stack.mutate(co.token, M.grantRole, { input: { userId: r.userId, role: 'SOFTWARE_DOWNLOAD' } }));
    // (What a co-administrator may not do is in errors/error-codes: FORBIDDEN.)
    expect((await ok(stack.read(co.token, Q.user, { id: r.userId }, grantRole.position))).user).toMatchObject({
      id: r.userId,
      email,
      accountId: account.accountId,
      roles: ['AUDITOR', 'SOFTWARE_DOWNLOAD'],
    });
  });
});
