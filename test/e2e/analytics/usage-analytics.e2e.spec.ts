import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const REPORT = `query($id: ID!, $from: DateTime!, $to: DateTime!, $groupBy: [UsageDimension!]!, $productId: ID, $userId: ID, $groupId: ID) {
  usageReport(accountId: $id, from: $from, to: $to, groupBy: $groupBy, productId: $productId, userId: $userId, groupId: $groupId) {
    productId userId groupId country machineId day sessions usageMinutes distinctUsers peakConcurrent } }`;
const CONCURRENCY = `query($id: ID!, $productId: ID!, $from: DateTime!, $to: DateTime!, $interval: Interval!) {
  concurrency(accountId: $id, productId: $productId, from: $from, to: $to, interval: $interval) { bucketStart peakInUse seats } }`;
const TERM = `query($id: ID!, $from: DateTime!, $to: DateTime!) { termLicenseUsage(accountId: $id, from: $from, to: $to) { productId day peakInUse seats overage } }`;

const DAY_MS = 86_400_000;

/**
 * Two seats of microstation (one in the US, one in Germany); alice (US) runs it on
 * two machines (one seat), bob (DE) starts it too and carol (US) checks a licence
 * out: three seats in use at the peak, one over the two owned. Alice ends one
 * session; the rest stay open.
 */
describe('usage analytics over GraphQL: usageReport, concurrency, termLicenseUsage', () => {
  let stack: SesStack;
  let account: OpenedAccount;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  let auditor: RegisteredUser;
  let other: OpenedAccount;
  let groupId: string;
  let position: string;
  let from: string;
  let to: string;
  let today: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    account = await openAccount(stack, 'Analytics Co', 'US');
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 1 });
    await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 1, country: 'DE' });
    alice = await registerUser(stack, account.adminToken, account.accountId);
    bob = await registerUser(stack, account.adminToken, account.accountId, { country: 'DE' });
    carol = await registerUser(stack, account.adminToken, account.accountId);
    auditor = await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] });
    groupId = (
      await ok(stack.mutate(account.adminToken, M.createGroup, { input: { accountId: account.accountId, name: 'Design', productIds: ['microstation'] } }))
    ).createGroup.groupId;
    await ok(stack.mutate(account.adminToken, M.addGroupMember, { input: { groupId, userId: alice.userId } }));

    const start = async (user: RegisteredUser, machineId: string) =>
      (await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'microstation', machineId } }))).startUsage;
    const first = await start(alice, 'ws-a1');
    expect(first).toMatchObject({ allowed: true, termLicenseUsage: false });
    expect(await start(alice, 'ws-a2')).toMatchObject({ allowed: true, termLicenseUsage: false });
    expect(await start(bob, 'ws-b')).toMatchObject({ allowed: true, termLicenseUsage: false });
    await ok(stack.mutate(carol.token, M.checkOut, { input: { productId: 'microstation', machineId: 'laptop-c', days: 3 } }));
    position = (await ok(stack.mutate(alice.token, M.endUsage, { input: { sessionId: first.sessionId } }))).endUsage.position;

    other = await openAccount(stack, 'Other Corp');
    const now = Date.now();
    today = new Date(now).toISOString().slice(0, 10);
    from = new Date(Math.floor(now / DAY_MS) * DAY_MS - DAY_MS).toISOString();
    to = new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS).toISOString();
  }, 60_000);
  afterAll(() => stack?.stop());

  const report = (token: string, groupBy: string[], extra: Record<string, unknown> = {}, id = account.accountId) =>
    stack.read(token, REPORT, { id, from, to, groupBy, ...extra }, position);

  it('rolls the product up by UTC start day: allowed sessions, minutes of the ended one, users, and the peak with the check-out', async () => {
    const { usageReport } = await ok(report(auditor.token, ['PRODUCT', 'DAY']));
    expect(usageReport).toEqual([
      {
        productId: 'microstation',
        userId: null,
        groupId: null,
        country: null,
        machineId: null,
        day: today,
        sessions: 3,
        usageMinutes: expect.any(Number),
        distinctUsers: 2,
        peakConcurrent: 3,
      },
    ]);
    expect(usageReport[0].usageMinutes).toBeGreaterThan(0);
    expect(usageReport[0].usageMinutes).toBeLessThan(10);
  });

  it('slices by user and machine: a user on two machines holds one seat', async () => {
    const { usageReport } = await ok(report(auditor.token, ['USER', 'MACHINE']));
    const rows = usageReport.map((r: { userId: string; machineId: string; sessions: number; peakConcurrent: number }) => [
      r.userId,
      r.machineId,
      r.sessions,
      r.peakConcurrent,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [alice.userId, 'ws-a1', 1, 1],
        [alice.userId, 'ws-a2', 1, 1],
        [bob.userId, 'ws-b', 1, 1],
      ]),
    );
    expect(rows).toHaveLength(3);

    const byUser = (await ok(report(auditor.token, ['USER'], { userId: alice.userId }))).usageReport;
    expect(byUser).toEqual([expect.objectContaining({ userId: alice.userId, sessions: 2, distinctUsers: 1, peakConcurrent: 1 })]);
  });

  it('slices by country and by group (users in no group have no GROUP row)', async () => {
    const byCountry = (await ok(report(auditor.token, ['COUNTRY']))).usageReport;
    expect(byCountry.map((r: { country: string; sessions: number }) => [r.country, r.sessions])).toEqual([
      ['DE', 1],
      ['US', 2],
    ]);

    const byGroup = (await ok(report(auditor.token, ['GROUP']))).usageReport;
    expect(byGroup).toEqual([expect.objectContaining({ groupId, sessions: 2, distinctUsers: 1 })]);
    const filtered = (await ok(report(auditor.token, ['PRODUCT'], { groupId }))).usageReport;
    expect(filtered).toEqual([expect.objectContaining({ productId: 'microstation', sessions: 2, distinctUsers: 1 })]);
  });

  it('charts seats in use against seats owned, bucket by bucket', async () => {
    const { concurrency } = await ok(
      stack.read(auditor.token, CONCURRENCY, { id: account.accountId, productId: 'microstation', from, to, interval: 'DAY' }, position),
    );
    expect(concurrency).toEqual([
      { bucketStart: from, peakInUse: 0, seats: 2 },
      { bucketStart: `${today}T00:00:00.000Z`, peakInUse: 3, seats: 2 },
    ]);
    const tenMinutes = (
      await ok(stack.read(auditor.token, CONCURRENCY, { id: account.accountId, productId: 'microstation', from, to, interval: 'TEN_MINUTES' }, position))
    ).concurrency;
    expect(tenMinutes).toHaveLength(288);
    expect(Math.max(...tenMinutes.map((p: { peakInUse: number }) => p.peakInUse))).toBe(3);
  });

  it('reports term license usage per product and day: the peak over the seats owned (check-outs count)', async () => {
    const { termLicenseUsage } = await ok(stack.read(auditor.token, TERM, { id: account.accountId, from, to }, position));
    expect(termLicenseUsage).toEqual([{ productId: 'microstation', day: today, peakInUse: 3, seats: 2, overage: 1 }]);
  });

  it('answers the account administrator as the auditor, and gives another account nothing of it', async () => {
    expect((await ok(report(account.adminToken, ['PRODUCT']))).usageReport).toHaveLength(1);
    expect((await ok(report(other.adminToken, ['PRODUCT'], {}, other.accountId))).usageReport).toEqual([]);
    expect((await ok(stack.read(other.adminToken, TERM, { id: other.accountId, from, to }, position))).termLicenseUsage).toEqual([]);
  });

  it("refuses a plain user of the account and another account's administrator (FORBIDDEN, no data)", async () => {
    for (const token of [alice.token, other.adminToken]) {
      expect(await errorCode(report(token, ['PRODUCT']))).toBe('FORBIDDEN');
      expect(await errorCode(stack.read(token, CONCURRENCY, { id: account.accountId, productId: 'microstation', from, to, interval: 'HOUR' }, position))).toBe(
        'FORBIDDEN',
      );
      expect(await errorCode(stack.read(token, TERM, { id: account.accountId, from, to }, position))).toBe('FORBIDDEN');
    }
  });

  it('answers BAD_USER_INPUT for a window that ends before it starts or a repeated dimension', async () => {
    expect(await errorCode(stack.read(auditor.token, REPORT, { id: account.accountId, from: to, to: from, groupBy: ['PRODUCT'] }))).toBe('BAD_USER_INPUT');
    expect(await errorCode(report(auditor.token, ['DAY', 'DAY']))).toBe('BAD_USER_INPUT');
  });

  it('includes what happened since the previous report (read models answer the new position)', async () => {
    // An account of its own: the other tests report fixed figures.
    const busy = await openAccount(stack, 'Busy Analytics Co', 'US');
    await grantEntitlement(stack, busy.accountId, { productId: 'microstation', seats: 2 });
    const dave = await registerUser(stack, busy.adminToken, busy.accountId);
    const session = async (machineId: string) => {
      const started = await ok(stack.mutate(dave.token, M.startUsage, { input: { productId: 'microstation', machineId } }));
      return (await ok(stack.mutate(dave.token, M.endUsage, { input: { sessionId: started.startUsage.sessionId } }))).endUsage.position as string;
    };
    const busyReport = async (at: string) =>
      (await ok(stack.read(busy.adminToken, REPORT, { id: busy.accountId, from, to, groupBy: ['PRODUCT', 'DAY'] }, at))).usageReport[0];
    const before = await busyReport(await session('ws-d1'));
    const after = await busyReport(await session('ws-d2'));
    expect(after.sessions).toBe(before.sessions + 1);
    expect(after.usageMinutes).toBeGreaterThan(before.usageMinutes);
    expect(after.distinctUsers).toBe(before.distinctUsers);
  });
});
