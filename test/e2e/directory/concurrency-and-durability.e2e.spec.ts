import { randomUUID } from 'node:crypto';
import { ok } from '../../support/graphql-client';
import { M, openAccount, uniqueEmail } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('emails under concurrency, idempotent retries, and kill -9', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('registers one email exactly once when eight registrations race, in one account or several', async () => {
    const accounts = [await openAccount(stack, 'Race 1'), await openAccount(stack, 'Race 2'), await openAccount(stack, 'Race 3')];
    const email = uniqueEmail('race');
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const account = accounts[i % accounts.length];
        return stack.mutate(account.adminToken, M.registerUser, {
          input: { accountId: account.accountId, email: i % 2 ? email.toUpperCase() : email, displayName: `Racer ${i}` },
        });
      }),
    );
    const codes = attempts.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'EMAIL_ALREADY_REGISTERED')).toHaveLength(7);
    const winner = attempts.find((a) => a.data?.registerUser)!.data!.registerUser;
    const me = await ok(stack.read(await stack.userToken(email), '{ me { id email } }', {}, winner.position));
    expect(me.me.id).toBe(winner.userId);
  });

  it('answers a repeated commandId with the first result and appends nothing', async () => {
    const account = await openAccount(stack);
    const commandId = randomUUID();
    const input = { commandId, accountId: account.accountId, email: uniqueEmail(), displayName: 'Once' };
    const first = (await ok(stack.mutate(account.adminToken, M.registerUser, { input }))).registerUser;
    const again = (await ok(stack.mutate(account.adminToken, M.registerUser, { input }))).registerUser;
    expect(again).toEqual(first);
    const both = await Promise.all(
      [1, 2].map(() => stack.mutate(account.adminToken, M.registerUser, { input: { ...input, commandId: `${commandId}-b`, email: uniqueEmail() } })),
    );
    expect(both[0].data?.registerUser).toEqual(both[1].data?.registerUser);
    const history = await ok(
      stack.read(
        await stack.operatorToken(),
        'query($id: ID!) { eventHistory(accountId: $id, types: ["UserRegistered"]) { events { data } } }',
        { id: account.accountId },
        both[0].data!.registerUser.position,
      ),
    );
    expect(history.eventHistory.events).toHaveLength(3); // the contact, the first, and one of the two racing retries
  });

  it('loses no acknowledged command when the command app is killed with -9 right after answering', async () => {
    const account = await openAccount(stack, 'Durable Co');
    const acknowledged: { userId: string; email: string; commandId: string; position: string }[] = [];
    for (let i = 0; i < 15; i++) {
      const email = uniqueEmail('durable');
      const commandId = randomUUID();
      const { registerUser: r } = await ok(
        stack.mutate(account.adminToken, M.registerUser, { input: { commandId, accountId: account.accountId, email, displayName: `D${i}` } }),
      );
      acknowledged.push({ ...r, email, commandId });
    }
    await stack.command.kill9();
    await stack.restart('command');
    const last = acknowledged[acknowledged.length - 1];
    const data = await ok(
      stack.read(account.adminToken, 'query($id: ID!) { account(id: $id) { users { id email } } }', { id: account.accountId }, last.position),
    );
    const ids = data.account.users.map((u: { id: string }) => u.id);
    for (const a of acknowledged) expect(ids).toContain(a.userId);
    // The idempotency record survived as well: the retry after the crash returns the first answer.
    const retry = (
      await ok(
        stack.mutate(account.adminToken, M.registerUser, {
          input: { commandId: last.commandId, accountId: account.accountId, email: last.email, displayName: 'D14' },
        }),
      )
    ).registerUser;
    expect(retry).toEqual({ userId: last.userId, position: last.position });
    // And the command side still knows every user after the restart.
    await ok(stack.mutate(account.adminToken, M.grantRole, { input: { userId: acknowledged[0].userId, role: 'AUDITOR' } }));
  }, 60_000);
});
