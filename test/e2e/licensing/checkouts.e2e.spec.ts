import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('check-out and check-in', () => {
  let stack: SesStack;
  let account: OpenedAccount;

  beforeAll(async () => {
    stack = await SesStack.start();
    account = await openAccount(stack, 'Offline Co', 'US');
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 2, maxCheckoutDays: 14 });
    await grantEntitlement(stack, account.accountId, { productId: 'no-offline', seats: 5, checkoutAllowed: false });
    await grantEntitlement(stack, account.accountId, { productId: 'bulk-app', seats: 3 });
  }, 60_000);
  afterAll(() => stack?.stop());

  const checkOut = (token: string, productId: string, days = 7, extra: Record<string, unknown> = {}) =>
    stack.mutate(token, M.checkOut, { input: { productId, machineId: 'laptop-7', days, ...extra } });
  const historyCount = async () => {
    const res = await ok(
      stack.read(
        await stack.operatorToken(),
        `query($id: ID!) { eventHistory(accountId: $id, first: 1000) { events { position } } }`,
        { id: account.accountId },
        await head(),
      ),
    );
    return res.eventHistory.events.length as number;
  };
  let lastPosition = '0';
  const head = async () => lastPosition;
  const remember = <T extends { position?: string }>(r: T) => ((lastPosition = r.position ?? lastPosition), r);

  it('checks out a seat with a license and expiry, and refuses a second active check-out of the product', async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { checkOut: c } = await ok(checkOut(user.token, 'microstation', 7));
    remember(c);
    expect(c).toMatchObject({ userId: user.userId, productId: 'microstation', machineId: 'laptop-7' });
    expect(Date.parse(c.expiresAt) - Date.parse(c.checkedOutAt)).toBe(7 * 24 * 3600 * 1000);
    expect(c.license.split('.')).toHaveLength(3);
    expect(await errorCode(checkOut(user.token, 'microstation', 1))).toBe('ALREADY_CHECKED_OUT');
  });

  it('refuses a product that forbids check-out, a stay beyond maxCheckoutDays, and bad days', async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    expect(await errorCode(checkOut(user.token, 'no-offline'))).toBe('CHECKOUT_NOT_ALLOWED');
    expect(await errorCode(checkOut(user.token, 'microstation', 15))).toBe('CHECKOUT_TOO_LONG');
    const bad = await checkOut(user.token, 'microstation', 0);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['days'] });
    expect(await errorCode(checkOut(user.token, 'unknown-product'))).toBe('NOT_ENTITLED');
  });

  it('never checks out more seats than owned, and a check-in frees the seat exactly once', async () => {
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 2; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    // One seat of two is already held by the first test's user.
    const { checkOut: held } = await ok(checkOut(users[0].token, 'microstation'));
    expect(await errorCode(checkOut(users[1].token, 'microstation'))).toBe('NO_SEATS_AVAILABLE');
    await ok(stack.mutate(users[0].token, M.checkIn, { input: { checkoutId: held.checkoutId } }));
    expect(await errorCode(stack.mutate(users[0].token, M.checkIn, { input: { checkoutId: held.checkoutId } }))).toBe('CHECKOUT_NOT_ACTIVE');
    remember((await ok(checkOut(users[1].token, 'microstation'))).checkOut);
  });

  it("lets an administrator check out for a user and check in anyone's check-out; a colleague may not", async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const colleague = await registerUser(stack, account.adminToken, account.accountId);
    const { checkOut: c } = await ok(checkOut(account.adminToken, 'bulk-app', 3, { userId: user.userId }));
    expect(c.userId).toBe(user.userId);
    expect(await errorCode(stack.mutate(colleague.token, M.checkIn, { input: { checkoutId: c.checkoutId } }))).toBe('FORBIDDEN');
    expect(await errorCode(checkOut(colleague.token, 'bulk-app', 3, { userId: user.userId }))).toBe('FORBIDDEN');
    remember((await ok(stack.mutate(account.adminToken, M.checkIn, { input: { checkoutId: c.checkoutId } }))).checkIn);
  });

  it('bulk check-out is all or nothing: beyond the seats it fails and appends nothing', async () => {
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 4; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    lastPosition = users[3].position;
    const before = await historyCount();
    const tooMany = await stack.mutate(account.adminToken, M.bulkCheckOut, {
      input: { accountId: account.accountId, productId: 'bulk-app', userIds: users.map((u) => u.userId), days: 5 },
    });
    expect(tooMany.errors?.[0].extensions?.code).toBe('NO_SEATS_AVAILABLE');
    expect(await historyCount()).toBe(before);
    const { bulkCheckOut } = await ok(
      stack.mutate(account.adminToken, M.bulkCheckOut, {
        input: { accountId: account.accountId, productId: 'bulk-app', userIds: users.slice(0, 3).map((u) => u.userId), days: 5 },
      }),
    );
    expect(bulkCheckOut.checkouts.map((c: { userId: string }) => c.userId)).toEqual(users.slice(0, 3).map((u) => u.userId));
    lastPosition = bulkCheckOut.position;
    expect(await historyCount()).toBe(before + 3);
    expect(
      await errorCode(
        stack.mutate(users[0].token, M.bulkCheckOut, { input: { accountId: account.accountId, productId: 'bulk-app', userIds: [users[3].userId], days: 1 } }),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('check-out under concurrency', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

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
