import { SignJWT } from 'jose';
import { issueToken } from '../../../libs/auth/src/token-issuer';
import { expectRejected, fullHistory, HIDDEN } from '../../support/event-log';
import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, Q, registerUser, uniqueEmail, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack, TEST_SECRET } from '../../support/ses-stack';

const VALID_ENTITLEMENT = { productId: 'p', productName: 'P', seats: 1, startsAt: '2026-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z' };

describe('errors: every error code, and failed commands append nothing', () => {
  let stack: SesStack;
  let operator: string;
  let a: OpenedAccount;
  let b: OpenedAccount;
  let aCo: RegisteredUser;
  let aPlain: RegisteredUser;
  let bUser: RegisteredUser;
  let aEntitlement: string;
  let bEntitlement: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
    [a, b] = await Promise.all([openAccount(stack, 'Tenant A'), openAccount(stack, 'Tenant B')]);
    aEntitlement = (await grantEntitlement(stack, a.accountId, { productId: 'a-product', seats: 2 })).entitlementId;
    bEntitlement = (await grantEntitlement(stack, b.accountId, { productId: 'b-product', seats: 3 })).entitlementId;
    aCo = await registerUser(stack, a.adminToken, a.accountId, { roles: ['CO_ADMINISTRATOR'] });
    aPlain = await registerUser(stack, a.adminToken, a.accountId);
    bUser = await registerUser(stack, b.adminToken, b.accountId, { roles: ['SOFTWARE_DOWNLOAD'] });
  }, 60_000);
  afterAll(() => stack?.stop());

  const both = () => [a.accountId, b.accountId];
  const openInput = (overrides: Record<string, unknown> = {}) => ({
    name: 'New Co',
    entitlementCountry: 'US',
    fulfillmentContact: { email: uniqueEmail('new'), displayName: 'New' },
    ...overrides,
  });
  const registerInput = (accountId: string, overrides: Record<string, unknown> = {}) => ({
    accountId,
    email: uniqueEmail(),
    displayName: 'Someone',
    ...overrides,
  });

  describe('UNAUTHENTICATED', () => {
    const badTokens = async (): Promise<[string, string | undefined][]> => {
      const past = Math.floor(Date.now() / 1000) - 60;
      const noExp = await new SignJWT({ scope: 'ses:operator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('no-exp')
        .sign(new TextEncoder().encode(TEST_SECRET));
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', scope: 'ses:operator', exp: past + 3600 })}.`;
      return [
        ['no token', undefined],
        ['garbage', 'garbage'],
        ['expired operator', await issueToken(TEST_SECRET, { operator: true, sub: 'operator-backoffice', expiresIn: past })],
        ['expired user', await issueToken(TEST_SECRET, { email: a.adminEmail, sub: `sub-${a.adminEmail}`, expiresIn: past })],
        ['other secret', await issueToken('another-secret-another-secret-another', { operator: true })],
        ['other secret, user', await issueToken('another-secret-another-secret-another', { email: a.adminEmail })],
        ['no exp claim', noExp],
        ['alg none', unsigned],
      ];
    };

    it('refuses commands without a valid token and appends nothing', async () => {
      for (const [label, token] of await badTokens()) {
        const res = await expectRejected(stack, both(), () => stack.mutate(token, M.openAccount, { input: openInput() }), 'UNAUTHENTICATED');
        expect(`${label}: ${res.errors?.[0]?.extensions?.code}`).toBe(`${label}: UNAUTHENTICATED`);
        await expectRejected(stack, both(), () => stack.mutate(token, M.registerUser, { input: registerInput(a.accountId) }), 'UNAUTHENTICATED');
      }
    });

    it('refuses reads without a valid token, with no data', async () => {
      for (const [label, token] of await badTokens()) {
        for (const [query, variables] of [
          [Q.me, {}],
          [Q.account, { id: a.accountId }],
          [Q.user, { id: a.adminUserId }],
          [Q.history, { id: a.accountId }],
        ] as const) {
          const res = await stack.read(token, query, variables);
          expect(`${label}: ${res.errors?.[0]?.extensions?.code}`).toBe(`${label}: UNAUTHENTICATED`);
          expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
        }
      }
    });
  });

  describe('FORBIDDEN', () => {
    it('only the operator opens accounts and grants or revokes entitlements', async () => {
      for (const token of [a.adminToken, aCo.token, aPlain.token]) {
        await expectRejected(stack, both(), () => stack.mutate(token, M.openAccount, { input: openInput() }), 'FORBIDDEN');
        await expectRejected(
          stack,
          both(),
          () => stack.mutate(token, M.grantEntitlement, { input: { accountId: a.accountId, ...VALID_ENTITLEMENT } }),
          'FORBIDDEN',
        );
        await expectRejected(stack, both(), () => stack.mutate(token, M.revokeEntitlement, { input: { entitlementId: aEntitlement } }), 'FORBIDDEN');
      }
      // Another account's entitlement: never revealed.
      const res = await expectRejected(
        stack,
        both(),
        () => stack.mutate(a.adminToken, M.revokeEntitlement, { input: { entitlementId: bEntitlement } }),
        HIDDEN,
      );
      expect(JSON.stringify(res)).not.toContain(b.accountId);
    });

    it('a plain user and an unregistered user administer nothing', async () => {
      const stranger = await stack.userToken(uniqueEmail('stranger'));
      for (const token of [aPlain.token, stranger]) {
        await expectRejected(stack, both(), () => stack.mutate(token, M.registerUser, { input: registerInput(a.accountId) }), 'FORBIDDEN');
      }
      await expectRejected(stack, both(), () => stack.mutate(aPlain.token, M.grantRole, { input: { userId: aPlain.userId, role: 'AUDITOR' } }), 'FORBIDDEN');
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(aPlain.token, M.grantRole, { input: { userId: aPlain.userId, role: 'ACCOUNT_ADMINISTRATOR' } }),
        'FORBIDDEN',
      );
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(aPlain.token, M.revokeRole, { input: { userId: a.adminUserId, role: 'SOFTWARE_DOWNLOAD' } }),
        'FORBIDDEN',
      );
      await expectRejected(stack, both(), () => stack.mutate(aPlain.token, M.deactivateUser, { input: { userId: aCo.userId } }), 'FORBIDDEN');
      await expectRejected(stack, both(), () => stack.mutate(stranger, M.deactivateUser, { input: { userId: aPlain.userId } }), HIDDEN);
    });

    it('a CO_ADMINISTRATOR may not touch the two administrator roles, nor deactivate an administrator', async () => {
      for (const role of ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR']) {
        await expectRejected(stack, both(), () => stack.mutate(aCo.token, M.grantRole, { input: { userId: aPlain.userId, role } }), 'FORBIDDEN');
        await expectRejected(
          stack,
          both(),
          () => stack.mutate(aCo.token, M.grantRole, { input: { userId: aCo.userId, role: 'ACCOUNT_ADMINISTRATOR' } }),
          'FORBIDDEN',
        );
      }
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(aCo.token, M.revokeRole, { input: { userId: a.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' } }),
        'FORBIDDEN',
      );
      await expectRejected(stack, both(), () => stack.mutate(aCo.token, M.deactivateUser, { input: { userId: a.adminUserId } }), 'FORBIDDEN');
      // ...but does manage SOFTWARE_DOWNLOAD (the positive control; registering users and granting AUDITOR: accounts/).
      const granted = (await ok(stack.mutate(aCo.token, M.grantRole, { input: { userId: aPlain.userId, role: 'SOFTWARE_DOWNLOAD' } }))).grantRole;
      const revoked = (await ok(stack.mutate(aCo.token, M.revokeRole, { input: { userId: aPlain.userId, role: 'SOFTWARE_DOWNLOAD' } }))).revokeRole;
      expect(BigInt(revoked.position)).toBeGreaterThan(BigInt(granted.position));
      expect((await ok(stack.read(a.adminToken, Q.user, { id: aPlain.userId }, revoked.position))).user.roles).toEqual([]);
    });

    it('a user of account A acting on account B is refused and B is unchanged', async () => {
      const bBefore = await fullHistory(stack, b.accountId);
      await expectRejected(stack, both(), () => stack.mutate(a.adminToken, M.registerUser, { input: registerInput(b.accountId) }), 'FORBIDDEN');
      await expectRejected(stack, both(), () => stack.mutate(aCo.token, M.registerUser, { input: registerInput(b.accountId) }), 'FORBIDDEN');
      // Ids of B's users and entitlements behave like ids that do not exist.
      // Granting a role to B's user is NOT_FOUND exactly, as for an id never issued.
      await expectRejected(stack, both(), () => stack.mutate(a.adminToken, M.grantRole, { input: { userId: bUser.userId, role: 'AUDITOR' } }), 'NOT_FOUND');
      for (const [mutation, input] of [
        [M.grantRole, { userId: b.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' }],
        [M.revokeRole, { userId: bUser.userId, role: 'SOFTWARE_DOWNLOAD' }],
        [M.deactivateUser, { userId: bUser.userId }],
        [M.deactivateUser, { userId: b.adminUserId }],
      ] as const) {
        await expectRejected(stack, both(), () => stack.mutate(a.adminToken, mutation, { input }), HIDDEN);
      }
      expect(await fullHistory(stack, b.accountId)).toEqual(bBefore);
      const bAccount = (await ok(stack.read(b.adminToken, Q.account, { id: b.accountId }, undefined))).account;
      expect(bAccount.users.map((u: { id: string; status: string; roles: string[] }) => [u.id, u.status, [...u.roles].sort()]).sort()).toEqual(
        [
          [b.adminUserId, 'ACTIVE', ['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD']],
          [bUser.userId, 'ACTIVE', ['SOFTWARE_DOWNLOAD']],
        ].sort(),
      );
    });
  });

  describe('NOT_FOUND', () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    it('answers NOT_FOUND for ids that do not exist', async () => {
      for (const token of [operator, a.adminToken]) {
        await expectRejected(stack, both(), () => stack.mutate(token, M.grantRole, { input: { userId: unknown, role: 'AUDITOR' } }), 'NOT_FOUND');
        await expectRejected(stack, both(), () => stack.mutate(token, M.revokeRole, { input: { userId: unknown, role: 'AUDITOR' } }), 'NOT_FOUND');
        await expectRejected(stack, both(), () => stack.mutate(token, M.deactivateUser, { input: { userId: unknown } }), 'NOT_FOUND');
      }
      await expectRejected(stack, both(), () => stack.mutate(operator, M.revokeEntitlement, { input: { entitlementId: unknown } }), 'NOT_FOUND');
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(operator, M.grantEntitlement, { input: { accountId: unknown, ...VALID_ENTITLEMENT } }),
        'NOT_FOUND',
      );
      await expectRejected(stack, both(), () => stack.mutate(operator, M.registerUser, { input: registerInput(unknown) }), 'NOT_FOUND');
      // Ids that are not even UUID-shaped are NOT_FOUND too (not BAD_USER_INPUT).
      await expectRejected(stack, both(), () => stack.mutate(a.adminToken, M.deactivateUser, { input: { userId: 'no-such-user' } }), 'NOT_FOUND');
      await expectRejected(stack, both(), () => stack.mutate(operator, M.revokeEntitlement, { input: { entitlementId: 'no-such-entitlement' } }), 'NOT_FOUND');
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(operator, M.grantEntitlement, { input: { accountId: 'no-such-account', ...VALID_ENTITLEMENT } }),
        'NOT_FOUND',
      );
      // An entitlement id is not a user id.
      await expectRejected(stack, both(), () => stack.mutate(operator, M.grantRole, { input: { userId: aEntitlement, role: 'AUDITOR' } }), 'NOT_FOUND');
    });

    it('reads of unknown ids: null for the operator, NOT_FOUND or FORBIDDEN for a user, never data', async () => {
      expect((await ok(stack.read(operator, Q.user, { id: unknown }))).user).toBeNull();
      expect((await ok(stack.read(operator, Q.account, { id: unknown }))).account).toBeNull();
      const res = await stack.read(a.adminToken, Q.user, { id: unknown });
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.data?.user ?? null).toBeNull();
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain((await stack.read(a.adminToken, Q.account, { id: unknown })).errors?.[0]?.extensions?.code);
    });
  });

  describe('BAD_USER_INPUT with extensions.fields', () => {
    const long = 'x'.repeat(201);
    it('names the bad fields of openAccount', async () => {
      await expectRejected(stack, both(), () => stack.mutate(operator, M.openAccount, { input: openInput({ entitlementCountry: 'us' }) }), 'BAD_USER_INPUT', [
        'entitlementCountry',
      ]);
      await expectRejected(stack, both(), () => stack.mutate(operator, M.openAccount, { input: openInput({ entitlementCountry: 'XX' }) }), 'BAD_USER_INPUT', [
        'entitlementCountry',
      ]);
      for (const name of [long, 'x'.repeat(5000)]) {
        await expectRejected(stack, both(), () => stack.mutate(operator, M.openAccount, { input: openInput({ name }) }), 'BAD_USER_INPUT', ['name']);
      }
      await expectRejected(stack, both(), () => stack.mutate(operator, M.openAccount, { input: openInput({ name: '   ' }) }), 'BAD_USER_INPUT', ['name']);
      const res = await expectRejected(
        stack,
        both(),
        () => stack.mutate(operator, M.openAccount, { input: openInput({ fulfillmentContact: { email: 'not-an-email', displayName: 'X' } }) }),
        'BAD_USER_INPUT',
      );
      expect(res.errors?.[0]?.extensions?.fields).toEqual([expect.stringMatching(/email$/)]);
      const both2 = await expectRejected(
        stack,
        both(),
        () => stack.mutate(operator, M.openAccount, { input: openInput({ name: long, entitlementCountry: 'usa' }) }),
        'BAD_USER_INPUT',
      );
      expect([...(both2.errors?.[0]?.extensions?.fields ?? [])].sort()).toEqual(['entitlementCountry', 'name']);
    });

    it('names the bad fields of registerUser', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'not-an-email' }, 'email'],
        [{ email: 'two@@example.com' }, 'email'],
        [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
        [{ country: 'XX' }, 'country'],
        [{ country: 'us' }, 'country'],
        [{ displayName: long }, 'displayName'],
        [{ displayName: '' }, 'displayName'],
      ];
      for (const [overrides, field] of cases) {
        await expectRejected(
          stack,
          both(),
          () => stack.mutate(a.adminToken, M.registerUser, { input: registerInput(a.accountId, overrides) }),
          'BAD_USER_INPUT',
          [field],
        );
      }
      // A required field left out of the variables is bad input too.
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(a.adminToken, M.registerUser, { input: { accountId: a.accountId, email: uniqueEmail() } }),
        'BAD_USER_INPUT',
        ['displayName'],
      );
    });

    it('names the bad fields of grantEntitlement', async () => {
      const grant = (overrides: Record<string, unknown>) => () =>
        stack.mutate(operator, M.grantEntitlement, { input: { accountId: a.accountId, ...VALID_ENTITLEMENT, ...overrides } });
      await expectRejected(stack, both(), grant({ seats: 0 }), 'BAD_USER_INPUT', ['seats']);
      await expectRejected(stack, both(), grant({ seats: -5 }), 'BAD_USER_INPUT', ['seats']);
      await expectRejected(stack, both(), grant({ endsAt: VALID_ENTITLEMENT.startsAt }), 'BAD_USER_INPUT', ['endsAt']);
      await expectRejected(stack, both(), grant({ startsAt: '2027-01-01T00:00:00Z', endsAt: '2026-12-31T23:59:59Z' }), 'BAD_USER_INPUT', ['endsAt']);
      // Same instant written with another offset is not "after".
      await expectRejected(stack, both(), grant({ startsAt: '2027-01-01T01:00:00+01:00', endsAt: '2027-01-01T00:00:00Z' }), 'BAD_USER_INPUT', ['endsAt']);
      await expectRejected(stack, both(), grant({ startsAt: 'yesterday' }), 'BAD_USER_INPUT', ['startsAt']);
      await expectRejected(stack, both(), grant({ endsAt: '2027-13-45T00:00:00Z' }), 'BAD_USER_INPUT', ['endsAt']);
      await expectRejected(stack, both(), grant({ startsAt: '2027-01-01' }), 'BAD_USER_INPUT', ['startsAt']);
      await expectRejected(stack, both(), grant({ country: 'us' }), 'BAD_USER_INPUT', ['country']);
      await expectRejected(stack, both(), grant({ productName: 'x'.repeat(1000) }), 'BAD_USER_INPUT', ['productName']);
      await expectRejected(stack, both(), grant({ offlineDays: 31 }), 'BAD_USER_INPUT', ['offlineDays']);
      await expectRejected(stack, both(), grant({ maxCheckoutDays: 0 }), 'BAD_USER_INPUT', ['maxCheckoutDays']);
      await expectRejected(stack, both(), grant({ offlineDays: 31, maxCheckoutDays: 366 }), 'BAD_USER_INPUT', ['offlineDays', 'maxCheckoutDays']);
      const many = await expectRejected(stack, both(), grant({ seats: 0, country: 'XX' }), 'BAD_USER_INPUT');
      expect([...(many.errors?.[0]?.extensions?.fields ?? [])].sort()).toEqual(['country', 'seats']);
    });

    it('names the field of a bad DateTime literal written into the query', async () => {
      const literal = (startsAt: string) =>
        `mutation { grantEntitlement(input: { accountId: "${a.accountId}", productId: "p", productName: "P", seats: 1, startsAt: "${startsAt}", endsAt: "2099-01-01T00:00:00Z" }) { entitlementId position } }`;
      // The same literal with a valid date succeeds (the positive control)...
      expect((await ok(stack.mutate(operator, literal('2026-01-01T00:00:00Z')))).grantEntitlement.entitlementId).toEqual(expect.any(String));
      // ...and a bad one is BAD_USER_INPUT naming startsAt.
      await expectRejected(stack, both(), () => stack.mutate(operator, literal('not-a-date')), 'BAD_USER_INPUT', ['startsAt']);
      await expectRejected(stack, both(), () => stack.mutate(operator, literal('23/11/2026')), 'BAD_USER_INPUT', ['startsAt']);
    });

    it('names the role of grantRole when it is not a role of the contract', async () => {
      await expectRejected(stack, both(), () => stack.mutate(operator, M.grantRole, { input: { userId: a.adminUserId, role: 'KING' } }), 'BAD_USER_INPUT', [
        'role',
      ]);
    });

    it('answers BAD_USER_INPUT for a malformed x-ses-min-position (NOT_CAUGHT_UP is in timeouts/)', async () => {
      expect(await errorCode(stack.read(a.adminToken, '{ me { id } }', {}, 'soon'))).toBe('BAD_USER_INPUT');
      // The same read with a position that exists answers (the positive control).
      expect((await ok(stack.read(a.adminToken, '{ me { id } }', {}, a.position))).me.id).toBe(a.adminUserId);
    });
  });

  describe('EMAIL_ALREADY_REGISTERED', () => {
    it('an email is registered once across the whole service, whatever its case', async () => {
      const upper = b.adminEmail.toUpperCase();
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(a.adminToken, M.registerUser, { input: registerInput(a.accountId, { email: upper }) }),
        'EMAIL_ALREADY_REGISTERED',
      );
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(a.adminToken, M.registerUser, { input: registerInput(a.accountId, { email: aPlain.email }) }),
        'EMAIL_ALREADY_REGISTERED',
      );
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(b.adminToken, M.registerUser, { input: registerInput(b.accountId, { email: aPlain.email.toUpperCase() }) }),
        'EMAIL_ALREADY_REGISTERED',
      );
      // Also as an account's fulfilment contact: no account is opened.
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(operator, M.openAccount, { input: openInput({ fulfillmentContact: { email: bUser.email, displayName: 'Dup' } }) }),
        'EMAIL_ALREADY_REGISTERED',
      );
    });

    it('stays registered after the user is deactivated', async () => {
      const gone = await registerUser(stack, a.adminToken, a.accountId);
      await ok(stack.mutate(a.adminToken, M.deactivateUser, { input: { userId: gone.userId } }));
      await expectRejected(
        stack,
        both(),
        () => stack.mutate(b.adminToken, M.registerUser, { input: registerInput(b.accountId, { email: gone.email }) }),
        'EMAIL_ALREADY_REGISTERED',
      );
    });
  });

  describe('LAST_ADMINISTRATOR', () => {
    it('keeps one active ACCOUNT_ADMINISTRATOR; allows the change once another exists', async () => {
      const c = await openAccount(stack, 'Last Admin Co');
      const ids = () => [c.accountId];
      const revokeOwn = () => stack.mutate(c.adminToken, M.revokeRole, { input: { userId: c.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' } });
      await expectRejected(stack, ids(), revokeOwn, 'LAST_ADMINISTRATOR');
      await expectRejected(stack, ids(), () => stack.mutate(c.adminToken, M.deactivateUser, { input: { userId: c.adminUserId } }), 'LAST_ADMINISTRATOR');
      await expectRejected(stack, ids(), () => stack.mutate(operator, M.deactivateUser, { input: { userId: c.adminUserId } }), 'LAST_ADMINISTRATOR');
      await expectRejected(
        stack,
        ids(),
        () => stack.mutate(operator, M.revokeRole, { input: { userId: c.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' } }),
        'LAST_ADMINISTRATOR',
      );

      // A deactivated administrator does not count.
      const former = await registerUser(stack, c.adminToken, c.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
      await ok(stack.mutate(c.adminToken, M.deactivateUser, { input: { userId: former.userId } }));
      await expectRejected(stack, ids(), revokeOwn, 'LAST_ADMINISTRATOR');
      // Neither does a CO_ADMINISTRATOR.
      await registerUser(stack, c.adminToken, c.accountId, { roles: ['CO_ADMINISTRATOR'] });
      await expectRejected(stack, ids(), () => stack.mutate(c.adminToken, M.deactivateUser, { input: { userId: c.adminUserId } }), 'LAST_ADMINISTRATOR');

      // With a second active administrator the first may step down...
      const second = await registerUser(stack, c.adminToken, c.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
      const stepped = (await ok(revokeOwn())).revokeRole;
      expect((await ok(stack.read(second.token, Q.user, { id: c.adminUserId }, stepped.position))).user.roles).toEqual(['SOFTWARE_DOWNLOAD']);
      // ...and now the second is the last one.
      await expectRejected(stack, ids(), () => stack.mutate(second.token, M.deactivateUser, { input: { userId: second.userId } }), 'LAST_ADMINISTRATOR');
      await expectRejected(
        stack,
        ids(),
        () => stack.mutate(second.token, M.revokeRole, { input: { userId: second.userId, role: 'ACCOUNT_ADMINISTRATOR' } }),
        'LAST_ADMINISTRATOR',
      );
      // Deactivating an administrator while another remains is allowed.
      const third = await registerUser(stack, second.token, c.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
      const done = (await ok(stack.mutate(third.token, M.deactivateUser, { input: { userId: second.userId } }))).deactivateUser;
      expect((await ok(stack.read(third.token, Q.user, { id: second.userId }, done.position))).user.status).toBe('DEACTIVATED');
    });

    it('two administrators removed at the same moment: exactly one removal succeeds', async () => {
      const d = await openAccount(stack, 'Race Co');
      const other = await registerUser(stack, d.adminToken, d.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
      const results = await Promise.all([
        stack.mutate(operator, M.deactivateUser, { input: { userId: d.adminUserId } }),
        stack.mutate(operator, M.revokeRole, { input: { userId: other.userId, role: 'ACCOUNT_ADMINISTRATOR' } }),
      ]);
      const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
      expect(codes).toEqual(['LAST_ADMINISTRATOR', 'OK']);
      const account = (await ok(stack.read(operator, Q.account, { id: d.accountId }, (await fullHistory(stack, d.accountId)).at(-1)!.position))).account;
      const activeAdmins = account.users.filter((u: { status: string; roles: string[] }) => u.status === 'ACTIVE' && u.roles.includes('ACCOUNT_ADMINISTRATOR'));
      expect(activeAdmins).toHaveLength(1);
    });
  });

  describe('USER_DEACTIVATED', () => {
    it('a deactivated administrator can no longer act', async () => {
      const e = await openAccount(stack, 'Deactivated Co');
      const admin2 = await registerUser(stack, e.adminToken, e.accountId, { roles: ['ACCOUNT_ADMINISTRATOR'] });
      const victim = await registerUser(stack, e.adminToken, e.accountId);
      const off = (await ok(stack.mutate(e.adminToken, M.deactivateUser, { input: { userId: admin2.userId } }))).deactivateUser;
      const ids = () => [e.accountId];
      await expectRejected(stack, ids(), () => stack.mutate(admin2.token, M.registerUser, { input: registerInput(e.accountId) }), 'USER_DEACTIVATED');
      await expectRejected(
        stack,
        ids(),
        () => stack.mutate(admin2.token, M.grantRole, { input: { userId: victim.userId, role: 'AUDITOR' } }),
        'USER_DEACTIVATED',
      );
      await expectRejected(
        stack,
        ids(),
        () => stack.mutate(admin2.token, M.revokeRole, { input: { userId: e.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' } }),
        'USER_DEACTIVATED',
      );
      await expectRejected(stack, ids(), () => stack.mutate(admin2.token, M.deactivateUser, { input: { userId: e.adminUserId } }), 'USER_DEACTIVATED');
      // Nor read the account's data: the account itself answers USER_DEACTIVATED...
      expect(await errorCode(stack.read(admin2.token, Q.account, { id: e.accountId }, off.position))).toBe('USER_DEACTIVATED');
      // ...and no read gives anything away.
      for (const [query, variables] of [
        [Q.account, { id: e.accountId }],
        [Q.user, { id: victim.userId }],
        [Q.history, { id: e.accountId }],
      ] as const) {
        const res = await stack.read(admin2.token, query, variables, off.position);
        expect(['USER_DEACTIVATED', 'FORBIDDEN', 'NOT_FOUND']).toContain(res.errors?.[0]?.extensions?.code);
        expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
      }
    });
  });
});
