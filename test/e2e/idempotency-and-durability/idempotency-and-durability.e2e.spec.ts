import { randomUUID } from 'node:crypto';
import { ok, type GraphQLResponse } from '../../support/graphql-client';
import { fullHistory, globalLog, globalTypeCounts } from '../../support/event-log';
import { M, openAccount, Q, uniqueEmail, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const codes = (results: GraphQLResponse[]) => results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');

describe('commands: one email under concurrent registrations, repeated commandIds answered once, acknowledged commands survive kill -9', () => {
  let stack: SesStack;
  let operator: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
  }, 60_000);
  afterAll(() => stack?.stop());

  const usersWithEmail = async (accountIds: string[], email: string) => {
    const { head } = globalLog(stack);
    const found: { accountId: string; id: string }[] = [];
    for (const id of accountIds) {
      const account = (await ok(stack.read(operator, Q.account, { id }, head))).account;
      for (const u of account.users) if (u.email.toLowerCase() === email.toLowerCase()) found.push({ accountId: id, id: u.id });
    }
    return found;
  };

  it('the same email registered concurrently in 8 accounts: exactly one succeeds, the rest EMAIL_ALREADY_REGISTERED', async () => {
    const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => openAccount(stack, `Race ${i}`)));
    const historiesBefore = await Promise.all(accounts.map((acc) => fullHistory(stack, acc.accountId)));
    const before = globalTypeCounts(stack);
    const email = uniqueEmail('contested');
    const results = await Promise.all(
      accounts.map((acc, i) =>
        stack.mutate(acc.adminToken, M.registerUser, {
          input: { accountId: acc.accountId, email: i % 2 ? email.toUpperCase() : email, displayName: `Racer ${i}` },
        }),
      ),
    );
    expect(codes(results).sort()).toEqual(['OK', ...Array(7).fill('EMAIL_ALREADY_REGISTERED')].sort());
    const winner = results.findIndex((r) => !r.errors);
    expect(globalTypeCounts(stack).UserRegistered).toBe(before.UserRegistered + 1);
    expect(
      await usersWithEmail(
        accounts.map((acc) => acc.accountId),
        email,
      ),
    ).toEqual([{ accountId: accounts[winner].accountId, id: results[winner].data!.registerUser.userId }]);
    // The email signs in as the winner, and reads back as the winner wrote it (odd accounts sent it upper-case).
    const me = await ok(stack.read(await stack.userToken(email), '{ me { id email } }', {}, results[winner].data!.registerUser.position));
    expect(me.me).toEqual({ id: results[winner].data!.registerUser.userId, email: winner % 2 ? email.toUpperCase() : email });
    // The losers' accounts are exactly as they were.
    const historiesAfter = await Promise.all(accounts.map((acc) => fullHistory(stack, acc.accountId)));
    historiesAfter.forEach((h, i) => expect(h.length).toBe(historiesBefore[i].length + (i === winner ? 1 : 0)));
  });

  it('the same email registered concurrently in one account, and as fulfilment contact of new accounts: one wins', async () => {
    const acc = await openAccount(stack, 'Same Account Race');
    const email = uniqueEmail('same');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stack.mutate(acc.adminToken, M.registerUser, {
          input: { accountId: acc.accountId, email: i % 3 === 0 ? email.toUpperCase() : email, displayName: `Twin ${i}` },
        }),
      ),
    );
    expect(codes(results).filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes(results).filter((c) => c === 'EMAIL_ALREADY_REGISTERED')).toHaveLength(7);
    expect(await usersWithEmail([acc.accountId], email)).toHaveLength(1);

    const before = globalTypeCounts(stack);
    const contact = uniqueEmail('contact-race');
    const opens = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stack.mutate(operator, M.openAccount, {
          input: { name: `Contact Race ${i}`, entitlementCountry: 'US', fulfillmentContact: { email: contact, displayName: 'C' } },
        }),
      ),
    );
    expect(codes(opens).sort()).toEqual(['OK', ...Array(7).fill('EMAIL_ALREADY_REGISTERED')].sort());
    expect(globalTypeCounts(stack).AccountOpened).toBe(before.AccountOpened + 1);
  });

  it('different emails registered concurrently in one account: none is lost', async () => {
    const acc = await openAccount(stack, 'Busy Account');
    const emails = Array.from({ length: 12 }, () => uniqueEmail('busy'));
    const results = await Promise.all(
      emails.map((email) => stack.mutate(acc.adminToken, M.registerUser, { input: { accountId: acc.accountId, email, displayName: 'Busy' } })),
    );
    expect(codes(results)).toEqual(Array(12).fill('OK'));
    const last = results
      .map((r) => r.data!.registerUser.position)
      .sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1))
      .at(-1)!;
    const account = (await ok(stack.read(acc.adminToken, Q.account, { id: acc.accountId }, last))).account;
    expect(account.users.map((u: { email: string }) => u.email).sort()).toEqual([acc.adminEmail, ...emails].sort());
  });

  it('a repeated commandId returns the first result and position and appends nothing, for every account and directory mutation', async () => {
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

    // Concurrent deliveries of one commandId: one registration, one answer, one event.
    const registeredBefore = globalTypeCounts(stack).UserRegistered;
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
    expect(globalTypeCounts(stack).UserRegistered).toBe(registeredBefore + 1);
  });

  it('every acknowledged command survives kill -9 of the command app, and retries still answer the first result', async () => {
    const contact = uniqueEmail('durable');
    const acknowledged: { mutation: string; token: string; input: Record<string, unknown>; answer: Record<string, any> }[] = [];
    const send = async (mutation: string, token: string, input: Record<string, unknown>) => {
      const withId = { ...input, commandId: randomUUID() };
      const answer = await ok(stack.mutate(token, mutation, { input: withId }));
      acknowledged.push({ mutation, token, input: withId, answer });
      return Object.values(answer)[0] as Record<string, string>;
    };
    const opened = await send(M.openAccount, operator, { name: 'Durable', entitlementCountry: 'SE', fulfillmentContact: { email: contact, displayName: 'D' } });
    const admin = await stack.userToken(contact);
    const entitlement = await send(M.grantEntitlement, operator, {
      accountId: opened.accountId,
      productId: 'durable',
      productName: 'Durable',
      seats: 2,
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2099-01-01T00:00:00Z',
    });
    const emails = [uniqueEmail('d1'), uniqueEmail('d2'), uniqueEmail('d3')];
    const users: Record<string, string>[] = [];
    for (const email of emails) users.push(await send(M.registerUser, admin, { accountId: opened.accountId, email, displayName: 'D' }));
    await send(M.grantRole, admin, { userId: users[0].userId, role: 'CO_ADMINISTRATOR' });
    await send(M.deactivateUser, admin, { userId: users[1].userId });
    const last = await send(M.grantRole, admin, { userId: users[2].userId, role: 'AUDITOR' });
    await stack.command.kill9();
    await stack.restart('command');

    // The query side (still running) shows every acknowledged write.
    const account = (await ok(stack.read(admin, Q.account, { id: opened.accountId }, last.position))).account;
    expect(account.entitlements.map((e: { id: string }) => e.id)).toEqual([entitlement.entitlementId]);
    const byId = Object.fromEntries(account.users.map((u: { id: string }) => [u.id, u]));
    expect(Object.keys(byId).sort()).toEqual([opened.fulfillmentContactUserId, ...users.map((u) => u.userId)].sort());
    expect(byId[users[0].userId].roles).toEqual(['CO_ADMINISTRATOR']);
    expect(byId[users[1].userId].status).toBe('DEACTIVATED');
    expect(byId[users[2].userId].roles).toEqual(['AUDITOR']);

    // The restarted command app still knows every commandId: same answers, nothing appended.
    const log = globalLog(stack);
    for (const { mutation, token, input, answer } of acknowledged) expect(await ok(stack.mutate(token, mutation, { input }))).toEqual(answer);
    expect(globalLog(stack)).toEqual(log);
    // ...and the emails stay registered.
    expect(
      (await stack.mutate(admin, M.registerUser, { input: { accountId: opened.accountId, email: emails[0], displayName: 'again' } })).errors?.[0]?.extensions
        ?.code,
    ).toBe('EMAIL_ALREADY_REGISTERED');

    // kill -9 of the query app too: its read models come back with every write.
    await stack.query.kill9();
    await stack.restart('query');
    const again = (await ok(stack.read(admin, Q.account, { id: opened.accountId }, last.position))).account;
    expect(again).toEqual(account);

    // And the restarted apps still decide on, and show, what was written before the kills.
    const regranted = (await ok(stack.mutate(admin, M.grantRole, { input: { userId: users[2].userId, role: 'SOFTWARE_DOWNLOAD' } }))).grantRole;
    expect(BigInt(regranted.position)).toBeGreaterThan(BigInt(log.head));
    expect((await ok(stack.read(admin, Q.user, { id: users[2].userId }, regranted.position))).user.roles).toEqual(['AUDITOR', 'SOFTWARE_DOWNLOAD']);
  });

  it('commands in flight when the command app is killed: each is either done or not; a retry completes it once, and an email whose registration did not happen stays free', async () => {
    const acc: OpenedAccount = await openAccount(stack, 'In Flight');
    // Many at once, so that the kill lands inside some registrations (between reserving the email and appending the user).
    const inputs = Array.from({ length: 16 }, () => ({ commandId: randomUUID(), accountId: acc.accountId, email: uniqueEmail('flight'), displayName: 'F' }));
    const answers: (Record<string, string> | undefined)[] = Array(16).fill(undefined);
    let killing: Promise<unknown> | undefined;
    await Promise.allSettled(
      inputs.map(async (input, i) => {
        const res = await stack.mutate(acc.adminToken, M.registerUser, { input });
        if (res.data?.registerUser) answers[i] = res.data.registerUser;
        killing ??= stack.command.kill9();
      }),
    );
    await killing;
    await stack.restart('command');

    // What the log holds now: every acknowledged registration, and perhaps some unacknowledged ones.
    const before = (await ok(stack.read(acc.adminToken, Q.account, { id: acc.accountId }, globalLog(stack).head))).account;
    const present = new Set(before.users.map((u: { email: string }) => u.email));
    inputs.forEach((input, i) => answers[i] && expect(present.has(input.email)).toBe(true));

    // A client that retries with its commandId gets the first result; one that gave up and
    // registers an email that never got registered with a new commandId must succeed.
    const retried = await Promise.all(
      inputs.map((input, i) =>
        stack.mutate(acc.adminToken, M.registerUser, { input: !answers[i] && !present.has(input.email) ? { ...input, commandId: randomUUID() } : input }),
      ),
    );
    retried.forEach((r, i) => {
      expect(`${inputs[i].email}: ${r.errors?.[0]?.extensions?.code ?? 'OK'}`).toBe(`${inputs[i].email}: OK`);
      if (answers[i]) expect(r.data!.registerUser).toEqual(answers[i]);
    });
    const last = retried
      .map((r) => r.data!.registerUser.position)
      .sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1))
      .at(-1)!;
    const account = (await ok(stack.read(acc.adminToken, Q.account, { id: acc.accountId }, last))).account;
    expect(account.users.map((u: { email: string }) => u.email).sort()).toEqual([acc.adminEmail, ...inputs.map((x) => x.email)].sort());
    expect(account.users.map((u: { id: string }) => u.id).sort()).toEqual([acc.adminUserId, ...retried.map((r) => r.data!.registerUser.userId)].sort());
  });
});
