import { randomUUID } from 'node:crypto';
import { ok } from '../../support/graphql-client';
import { M, uniqueEmail } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { globalLog, ids, Q } from './foundation-support';

describe('foundation: the operator opens accounts and grants entitlements; administrators register users and grant roles', () => {
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
      roles: expect.any(Array),
      registeredAt: expect.any(String),
      groups: [],
    });
    expect([...me.roles].sort()).toEqual(['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD']);

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
    expect([...users[co.userId].roles].sort()).toEqual(['AUDITOR', 'CO_ADMINISTRATOR']);
    expect(users[plain.userId]).toMatchObject({ email: plainEmail, country: 'DE', status: 'ACTIVE', roles: [] });

    // user(id): the administrator sees anyone of the account; the operator too; a user sees themself.
    const plainToken = await stack.userToken(plainEmail);
    expect((await ok(stack.read(adminToken, Q.user, { id: plain.userId }, grant2.position))).user).toMatchObject({
      id: plain.userId,
      email: plainEmail,
      roles: [],
    });
    expect((await ok(stack.read(operator, Q.user, { id: co.userId }, grant2.position))).user).toMatchObject({ id: co.userId, accountId: opened.accountId });
    expect((await ok(stack.read(plainToken, Q.user, { id: plain.userId }, grant2.position))).user).toMatchObject({ id: plain.userId, status: 'ACTIVE' });
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

  it('a repeated commandId returns the first result and position and appends nothing, for every foundation mutation', async () => {
    const contact = uniqueEmail('idem');
    const openInput = { commandId: randomUUID(), name: 'Idem', entitlementCountry: 'GB', fulfillmentContact: { email: contact, displayName: 'Idem' } };
    const first = (await ok(stack.mutate(operator, M.openAccount, { input: openInput }))).openAccount;
    const logAfterFirst = globalLog(stack);
    // Even with a different payload: the commandId decides.
    const again = (await ok(stack.mutate(operator, M.openAccount, { input: { ...openInput, name: 'Something else' } }))).openAccount;
    expect(again).toEqual(first);
    expect(globalLog(stack)).toEqual(logAfterFirst);
    const admin = await stack.userToken(contact);

    const commands: [string, (cid: string) => Record<string, unknown>, string][] = [
      [
        M.grantEntitlement,
        (cid) => ({
          commandId: cid,
          accountId: first.accountId,
          productId: 'p1',
          productName: 'P1',
          seats: 1,
          startsAt: '2026-01-01T00:00:00Z',
          endsAt: '2099-01-01T00:00:00Z',
        }),
        operator,
      ],
      [M.registerUser, (cid) => ({ commandId: cid, accountId: first.accountId, email: `${cid}@example.com`, displayName: 'R' }), admin],
    ];
    const results: Record<string, any>[] = [];
    for (const [mutation, input, token] of commands) {
      const cid = randomUUID();
      const one = await ok(stack.mutate(token, mutation, { input: input(cid) }));
      const log = globalLog(stack);
      expect(await ok(stack.mutate(token, mutation, { input: input(cid) }))).toEqual(one);
      expect(globalLog(stack)).toEqual(log);
      results.push(Object.values(one)[0]);
    }
    const [entitlement, user] = results;
    const followUps: [string, Record<string, unknown>, string][] = [
      [M.grantRole, { userId: user.userId, role: 'AUDITOR' }, admin],
      [M.revokeRole, { userId: user.userId, role: 'AUDITOR' }, admin],
      [M.deactivateUser, { userId: user.userId }, admin],
      [M.revokeEntitlement, { entitlementId: entitlement.entitlementId }, operator],
    ];
    for (const [mutation, input, token] of followUps) {
      const cid = randomUUID();
      const one = await ok(stack.mutate(token, mutation, { input: { ...input, commandId: cid } }));
      const log = globalLog(stack);
      expect(log.head).toBe(Object.values(one)[0].position);
      expect(await ok(stack.mutate(token, mutation, { input: { ...input, commandId: cid } }))).toEqual(one);
      expect(globalLog(stack)).toEqual(log);
    }

    // Concurrent deliveries of one commandId: one registration, one answer.
    const cid = randomUUID();
    const email = uniqueEmail('concurrent-retry');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        stack.mutate(admin, M.registerUser, { input: { commandId: cid, accountId: first.accountId, email, displayName: 'Same' } }),
      ),
    );
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const distinct = new Set(answers.map((a) => JSON.stringify(a.data)));
    expect(distinct.size).toBe(1);
    const registered = answers[0].data!.registerUser;
    const account = (await ok(stack.read(admin, Q.account, { id: first.accountId }, registered.position))).account;
    expect(account.users.filter((u: { email: string }) => u.email === email)).toHaveLength(1);
  });
});
