import { issueToken } from '../../../libs/auth/src/token-issuer';
import { errorCode, ok, type GraphQLResponse } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, uniqueEmail, type OpenedAccount } from '../../support/scenario';
import { SesStack, TEST_SECRET } from '../../support/ses-stack';

describe('error codes, tenant isolation and "failed commands append nothing"', () => {
  let stack: SesStack;
  let a: OpenedAccount;
  let b: OpenedAccount;
  let operator: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
    a = await openAccount(stack, 'Tenant A');
    b = await openAccount(stack, 'Tenant B');
    await grantEntitlement(stack, b.accountId, { productId: 'b-product', seats: 3 });
  }, 60_000);
  afterAll(() => stack?.stop());

  /**
   * Total events of both accounts, read once the query side has all of them: a no-op
   * grant (the role is already held) answers the position of each account's last event.
   */
  async function eventCount(): Promise<number> {
    let total = 0;
    for (const account of [a, b]) {
      const { grantRole } = await ok(stack.mutate(account.adminToken, M.grantRole, { input: { userId: account.adminUserId, role: 'SOFTWARE_DOWNLOAD' } }));
      const page = await ok(
        stack.read(
          operator,
          'query($id: ID!) { eventHistory(accountId: $id, first: 1000) { events { position } } }',
          { id: account.accountId },
          grantRole.position,
        ),
      );
      total += page.eventHistory.events.length;
    }
    return total;
  }

  async function expectNothingAppended(attempt: () => Promise<GraphQLResponse>, code: string, fields?: string[]): Promise<void> {
    const before = await eventCount();
    const res = await attempt();
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    if (fields) expect(res.errors?.[0]?.extensions?.fields).toEqual(expect.arrayContaining(fields));
    expect(res.data?.[Object.keys(res.data ?? {})[0]] ?? null).toBeNull();
    expect(await eventCount()).toBe(before);
  }

  const openInput = (overrides: Record<string, unknown> = {}) => ({
    name: 'X',
    entitlementCountry: 'US',
    fulfillmentContact: { email: uniqueEmail(), displayName: 'X' },
    ...overrides,
  });

  it('UNAUTHENTICATED without a token, with garbage, with an expired token, and with a token signed by another secret', async () => {
    const expired = await issueToken(TEST_SECRET, { operator: true, expiresIn: Math.floor(Date.now() / 1000) - 10 });
    const foreign = await issueToken('some-other-secret-some-other-secret', { operator: true });
    for (const token of [undefined, 'garbage', expired, foreign]) {
      await expectNothingAppended(() => stack.mutate(token, M.openAccount, { input: openInput() }), 'UNAUTHENTICATED');
      expect(await errorCode(stack.read(token, '{ me { id } }'))).toBe('UNAUTHENTICATED');
    }
  });

  it('FORBIDDEN: only the operator fulfils orders; plain users administer nothing', async () => {
    const plain = await registerUser(stack, a.adminToken, a.accountId);
    await expectNothingAppended(() => stack.mutate(a.adminToken, M.openAccount, { input: openInput() }), 'FORBIDDEN');
    await expectNothingAppended(
      () =>
        stack.mutate(a.adminToken, M.grantEntitlement, {
          input: { accountId: a.accountId, productId: 'p', productName: 'P', seats: 1, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' },
        }),
      'FORBIDDEN',
    );
    await expectNothingAppended(
      () => stack.mutate(plain.token, M.registerUser, { input: { accountId: a.accountId, email: uniqueEmail(), displayName: 'x' } }),
      'FORBIDDEN',
    );
    await expectNothingAppended(() => stack.mutate(plain.token, M.grantRole, { input: { userId: plain.userId, role: 'AUDITOR' } }), 'FORBIDDEN');
  });

  it('BAD_USER_INPUT names the fields', async () => {
    await expectNothingAppended(() => stack.mutate(operator, M.openAccount, { input: openInput({ entitlementCountry: 'XX' }) }), 'BAD_USER_INPUT', [
      'entitlementCountry',
    ]);
    await expectNothingAppended(() => stack.mutate(operator, M.openAccount, { input: openInput({ entitlementCountry: 'us' }) }), 'BAD_USER_INPUT', [
      'entitlementCountry',
    ]);
    await expectNothingAppended(() => stack.mutate(operator, M.openAccount, { input: openInput({ name: 'x'.repeat(5000) }) }), 'BAD_USER_INPUT', ['name']);
    await expectNothingAppended(
      () => stack.mutate(a.adminToken, M.registerUser, { input: { accountId: a.accountId, email: 'not-an-email', displayName: 'x' } }),
      'BAD_USER_INPUT',
      ['email'],
    );
    const grant = (o: Record<string, unknown>) =>
      stack.mutate(operator, M.grantEntitlement, {
        input: { accountId: a.accountId, productId: 'p', productName: 'P', seats: 1, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', ...o },
      });
    await expectNothingAppended(() => grant({ seats: 0 }), 'BAD_USER_INPUT', ['seats']);
    await expectNothingAppended(() => grant({ endsAt: '2025-01-01T00:00:00Z' }), 'BAD_USER_INPUT', ['endsAt']);
    await expectNothingAppended(() => grant({ offlineDays: 31, maxCheckoutDays: 366 }), 'BAD_USER_INPUT', ['offlineDays', 'maxCheckoutDays']);
    await expectNothingAppended(() => grant({ startsAt: 'yesterday' }), 'BAD_USER_INPUT', ['startsAt']);
    const literal = `mutation { grantEntitlement(input: { accountId: "${a.accountId}", productId: "p", productName: "P", seats: 1, startsAt: "23/11/2026", endsAt: "2027-01-01T00:00:00Z" }) { entitlementId } }`;
    await expectNothingAppended(() => stack.mutate(operator, literal), 'BAD_USER_INPUT');
    await expectNothingAppended(() => stack.mutate(operator, M.grantRole, { input: { userId: a.adminUserId, role: 'KING' } }), 'BAD_USER_INPUT', ['role']);
  });

  it('NOT_FOUND for ids that were never issued', async () => {
    await expectNothingAppended(() => stack.mutate(a.adminToken, M.deactivateUser, { input: { userId: 'no-such-user' } }), 'NOT_FOUND');
    await expectNothingAppended(() => stack.mutate(operator, M.revokeEntitlement, { input: { entitlementId: 'no-such-entitlement' } }), 'NOT_FOUND');
    await expectNothingAppended(
      () =>
        stack.mutate(operator, M.grantEntitlement, {
          input: { accountId: 'no-such-account', productId: 'p', productName: 'P', seats: 1, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' },
        }),
      'NOT_FOUND',
    );
  });

  it('EMAIL_ALREADY_REGISTERED across accounts, whatever the case', async () => {
    const user = await registerUser(stack, a.adminToken, a.accountId);
    await expectNothingAppended(
      () => stack.mutate(b.adminToken, M.registerUser, { input: { accountId: b.accountId, email: user.email.toUpperCase(), displayName: 'Dup' } }),
      'EMAIL_ALREADY_REGISTERED',
    );
    await expectNothingAppended(
      () => stack.mutate(operator, M.openAccount, { input: openInput({ fulfillmentContact: { email: user.email, displayName: 'Dup' } }) }),
      'EMAIL_ALREADY_REGISTERED',
    );
  });

  it('a user of one account can neither change nor read another account', async () => {
    const bUser = await registerUser(stack, b.adminToken, b.accountId);
    await expectNothingAppended(
      () => stack.mutate(a.adminToken, M.registerUser, { input: { accountId: b.accountId, email: uniqueEmail(), displayName: 'Intruder' } }),
      'FORBIDDEN',
    );
    const cross = await stack.mutate(a.adminToken, M.deactivateUser, { input: { userId: bUser.userId } });
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(cross.errors?.[0].extensions?.code);
    await expectNothingAppended(() => stack.mutate(a.adminToken, M.grantRole, { input: { userId: bUser.userId, role: 'AUDITOR' } }), 'NOT_FOUND');

    expect(await errorCode(stack.read(a.adminToken, 'query($id: ID!) { account(id: $id) { id entitlements { id } } }', { id: b.accountId }))).toBe('FORBIDDEN');
    const userRead = await stack.read(a.adminToken, 'query($id: ID!) { user(id: $id) { id email } }', { id: bUser.userId });
    expect(userRead.data?.user ?? null).toBeNull();
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(userRead.errors?.[0].extensions?.code);
    expect(await errorCode(stack.read(a.adminToken, 'query($id: ID!) { eventHistory(accountId: $id) { events { type } } }', { id: b.accountId }))).toBe(
      'FORBIDDEN',
    );
  });

  it("a plain member sees the account's entitlements and only themself, and no history", async () => {
    const plain = await registerUser(stack, b.adminToken, b.accountId);
    const data = await ok(
      stack.read(
        plain.token,
        'query($id: ID!) { account(id: $id) { entitlements { productId } users { id } alertRules { id } } }',
        { id: b.accountId },
        plain.position,
      ),
    );
    expect(data.account).toEqual({ entitlements: [{ productId: 'b-product' }], users: [{ id: plain.userId }], alertRules: [] });
    expect(await errorCode(stack.read(plain.token, 'query($id: ID!) { eventHistory(accountId: $id) { events { type } } }', { id: b.accountId }))).toBe(
      'FORBIDDEN',
    );
    expect(await errorCode(stack.read(plain.token, 'query($id: ID!) { user(id: $id) { id } }', { id: b.adminUserId }))).toBe('NOT_FOUND');
  });

  it('x-ses-min-position: a malformed value is BAD_USER_INPUT, a future one NOT_CAUGHT_UP after the timeout', async () => {
    expect(await errorCode(stack.read(a.adminToken, '{ me { id } }', {}, 'soon'))).toBe('BAD_USER_INPUT');
  });
});

describe('x-ses-min-position timeout', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({ SES_MIN_POSITION_TIMEOUT_MS: '300' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('answers NOT_CAUGHT_UP when the read models do not reach the position in time', async () => {
    const account = await openAccount(stack);
    expect(await errorCode(stack.read(account.adminToken, '{ me { id } }', {}, '999999999'))).toBe('NOT_CAUGHT_UP');
    await ok(stack.read(account.adminToken, '{ me { id } }', {}, account.position));
  });
});
