import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('check-out and check-in', () => {
  let stack: SesStack;

  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  /** Each test its own account, so that no test sees another's seats. */
  const offlineCo = async (): Promise<OpenedAccount> => {
    const account = await openAccount(stack, 'Offline Co', 'US');
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 2, maxCheckoutDays: 14 });
    await grantEntitlement(stack, account.accountId, { productId: 'no-offline', seats: 5, checkoutAllowed: false });
    await grantEntitlement(stack, account.accountId, { productId: 'bulk-app', seats: 3 });
    return account;
  };
  const checkOut = (token: string, productId: string, days = 7, extra: Record<string, unknown> = {}) =>
    stack.mutate(token, M.checkOut, { input: { productId, machineId: 'laptop-7', days, ...extra } });
  /** The number of events in the account's history, once the read side has reached `position`. */
  const historyCount = async (accountId: string, position: string) => {
    const res = await ok(
      stack.read(
        await stack.operatorToken(),
        `query($id: ID!) { eventHistory(accountId: $id, first: 1000) { events { position } } }`,
        { id: accountId },
        position,
      ),
    );
    return res.eventHistory.events.length as number;
  };

  it('checks out a seat with a license and expiry, and refuses a second active check-out of the product', async () => {
    const account = await offlineCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { checkOut: c } = await ok(checkOut(user.token, 'microstation', 7));
    expect(c).toMatchObject({ userId: user.userId, productId: 'microstation', machineId: 'laptop-7' });
    expect(Date.parse(c.expiresAt) - Date.parse(c.checkedOutAt)).toBe(7 * 24 * 3600 * 1000);
    expect(c.license.split('.')).toHaveLength(3);
    expect(await errorCode(checkOut(user.token, 'microstation', 1))).toBe('ALREADY_CHECKED_OUT');
  });

  it('refuses a product that forbids check-out, a stay beyond maxCheckoutDays, and bad days', async () => {
    const account = await offlineCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    expect(await errorCode(checkOut(user.token, 'no-offline'))).toBe('CHECKOUT_NOT_ALLOWED');
    expect(await errorCode(checkOut(user.token, 'microstation', 15))).toBe('CHECKOUT_TOO_LONG');
    const bad = await checkOut(user.token, 'microstation', 0);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['days'] });
    expect(await errorCode(checkOut(user.token, 'unknown-product'))).toBe('NOT_ENTITLED');
    // The same user checks out the product within its limits (the positive control).
    await ok(checkOut(user.token, 'microstation', 14));
  });

  it('never checks out more seats than owned, and a check-in frees the seat exactly once', async () => {
    const account = await offlineCo();
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 3; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    // Two seats of microstation: the third user finds none.
    await ok(checkOut(users[0].token, 'microstation'));
    const { checkOut: held } = await ok(checkOut(users[1].token, 'microstation'));
    expect(await errorCode(checkOut(users[2].token, 'microstation'))).toBe('NO_SEATS_AVAILABLE');
    await ok(stack.mutate(users[1].token, M.checkIn, { input: { checkoutId: held.checkoutId } }));
    expect(await errorCode(stack.mutate(users[1].token, M.checkIn, { input: { checkoutId: held.checkoutId } }))).toBe('CHECKOUT_NOT_ACTIVE');
    await ok(checkOut(users[2].token, 'microstation'));
    // The check-in freed one seat, not two.
    expect(await errorCode(checkOut(users[1].token, 'microstation'))).toBe('NO_SEATS_AVAILABLE');
  });

  it("lets an administrator check out for a user and check in anyone's check-out; a colleague may not", async () => {
    const account = await offlineCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const colleague = await registerUser(stack, account.adminToken, account.accountId);
    const { checkOut: c } = await ok(checkOut(account.adminToken, 'bulk-app', 3, { userId: user.userId }));
    expect(c.userId).toBe(user.userId);
    expect(await errorCode(stack.mutate(colleague.token, M.checkIn, { input: { checkoutId: c.checkoutId } }))).toBe('FORBIDDEN');
    expect(await errorCode(checkOut(colleague.token, 'bulk-app', 3, { userId: user.userId }))).toBe('FORBIDDEN');
    await ok(stack.mutate(account.adminToken, M.checkIn, { input: { checkoutId: c.checkoutId } }));
  });

  it('bulk check-out is all or nothing: beyond the seats it fails and appends nothing', async () => {
    const account = await offlineCo();
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 4; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    const before = await historyCount(account.accountId, users[3].position);
    const tooMany = await stack.mutate(account.adminToken, M.bulkCheckOut, {
      input: { accountId: account.accountId, productId: 'bulk-app', userIds: users.map((u) => u.userId), days: 5 },
    });
    expect(tooMany.errors?.[0].extensions?.code).toBe('NO_SEATS_AVAILABLE');
    expect(await historyCount(account.accountId, users[3].position)).toBe(before);
    const { bulkCheckOut } = await ok(
      stack.mutate(account.adminToken, M.bulkCheckOut, {
        input: { accountId: account.accountId, productId: 'bulk-app', userIds: users.slice(0, 3).map((u) => u.userId), days: 5 },
      }),
    );
    expect(bulkCheckOut.checkouts.map((c: { userId: string }) => c.userId)).toEqual(users.slice(0, 3).map((u) => u.userId));
    expect(await historyCount(account.accountId, bulkCheckOut.position)).toBe(before + 3);
    expect(
      await errorCode(
        stack.mutate(users[0].token, M.bulkCheckOut, { input: { accountId: account.accountId, productId: 'bulk-app', userIds: [users[3].userId], days: 1 } }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('40 users of a 10-seat product check out at once: exactly 10 succeed, 30 get NO_SEATS_AVAILABLE', async () => {
    const account = await openAccount(stack, 'Rush Co');
    await grantEntitlement(stack, account.accountId, { productId: 'rush', seats: 10 });
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 40; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    const answers = await Promise.all(users.map((u) => stack.mutate(u.token, M.checkOut, { input: { productId: 'rush', machineId: 'm', days: 2 } })));
    const codes = answers.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(10);
    expect(codes.filter((c) => c === 'NO_SEATS_AVAILABLE')).toHaveLength(30);
    const positions = answers.filter((a) => a.data?.checkOut).map((a) => BigInt(a.data!.checkOut.position));
    const last = positions.reduce((a, b) => (a > b ? a : b)).toString();
    const read = await ok(
      stack.read(
        account.adminToken,
        `query($id: ID!) { checkouts(accountId: $id, productId: "rush", status: ACTIVE) { id userId } }`,
        { id: account.accountId },
        last,
      ),
    );
    expect(read.checkouts).toHaveLength(10);
  }, 60_000);
});
