import { randomUUID } from 'node:crypto';
import { AppProcess } from '../../support/app-process';
import { globalLog, globalTypeCounts } from '../../support/event-log';
import { gql, ok, type GraphQLResponse } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const VERIFY = `query($id: ID!) { verifyHistory(accountId: $id) { ok eventsChecked firstBrokenPosition } }`;

describe('several command apps on one event store', () => {
  let stack: SesStack;
  let second: AppProcess;
  let account: OpenedAccount;

  beforeAll(async () => {
    stack = await SesStack.start();
    second = await AppProcess.start('command', stack.env);
    account = await openAccount(stack, 'Two Instances Co');
    await grantEntitlement(stack, account.accountId, { productId: 'twin', seats: 40 });
  }, 60_000);
  afterAll(async () => {
    await second?.stop().catch(() => undefined);
    await stack?.stop();
  });

  it('the same checkOut (same commandId) sent to both apps at once appends once, keeps the hash chain, and both answer the first result', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => registerUser(stack, account.adminToken, account.accountId)));
    const before = globalTypeCounts(stack).LicenseCheckedOut ?? 0;
    const answers: GraphQLResponse[][] = [];
    for (const [index, user] of users.entries()) {
      const input = { commandId: randomUUID(), productId: 'twin', machineId: 'pc', days: 2 };
      // Either app may be first: alternate which one is asked first.
      const urls = index % 2 === 0 ? [stack.command.url, second.url] : [second.url, stack.command.url];
      answers.push(await Promise.all(urls.map((url) => gql(url, user.token, M.checkOut, { input }))));
    }
    expect((globalTypeCounts(stack).LicenseCheckedOut ?? 0) - before).toBe(users.length);
    const { head } = globalLog(stack);
    const verified = await ok(stack.read(await stack.operatorToken(), VERIFY, { id: account.accountId }, head));
    expect(verified.verifyHistory).toMatchObject({ ok: true, firstBrokenPosition: null });
    for (const pair of answers) {
      expect(pair.map((answer) => answer.errors ?? 'OK')).toEqual(['OK', 'OK']);
      expect(pair[1]!.data!.checkOut).toEqual(pair[0]!.data!.checkOut);
    }
  }, 120_000);

  it('30 users of a 10-seat product check out at once through both apps: exactly 10 succeed, the chain stays intact', async () => {
    await grantEntitlement(stack, account.accountId, { productId: 'scarce', seats: 10 });
    const users = await Promise.all(Array.from({ length: 30 }, () => registerUser(stack, account.adminToken, account.accountId)));
    const answers = await Promise.all(
      users.map((user, index) =>
        gql(index % 2 === 0 ? stack.command.url : second.url, user.token, M.checkOut, { input: { productId: 'scarce', machineId: 'pc', days: 1 } }),
      ),
    );
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(10);
    expect(codes.filter((code) => code === 'NO_SEATS_AVAILABLE')).toHaveLength(20);
    const verified = await ok(stack.read(await stack.operatorToken(), VERIFY, { id: account.accountId }, globalLog(stack).head));
    expect(verified.verifyHistory).toMatchObject({ ok: true, firstBrokenPosition: null });
  }, 120_000);
});
