import { randomUUID } from 'node:crypto';
import { errorCode, ok, type GraphQLResponse } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const SEAT_HOLDERS = `query($accountId: ID!, $productId: ID!) { seatHolders(accountId: $accountId, productId: $productId) { userId sessionIds } }`;

/**
 * Issue 15: a principal never learns that a session id exists in another account. Session
 * ids are the clients' and scoped by account: another account's id behaves exactly like
 * one never used, and two accounts' sessions with one id live side by side.
 */
describe('a foreign sessionId behaves exactly like an unused one', () => {
  let stack: SesStack;
  let a: OpenedAccount;
  let b: OpenedAccount;
  let ann: RegisteredUser;
  let bob: RegisteredUser;

  beforeAll(async () => {
    stack = await SesStack.start();
    [a, b] = await Promise.all([openAccount(stack, 'Session A'), openAccount(stack, 'Session B')]);
    await Promise.all([
      grantEntitlement(stack, a.accountId, { productId: 'app', seats: 5 }),
      grantEntitlement(stack, b.accountId, { productId: 'app', seats: 5 }),
    ]);
    [ann, bob] = await Promise.all([registerUser(stack, a.adminToken, a.accountId), registerUser(stack, b.adminToken, b.accountId)]);
  }, 60_000);
  afterAll(() => stack?.stop());

  const start = (user: RegisteredUser, sessionId: string) =>
    stack.mutate(user.token, M.startUsage, { input: { productId: 'app', machineId: 'laptop', sessionId } });
  /** An error as the caller sees it: code, message and fields (anything else would tell the two cases apart). */
  const refusal = (res: GraphQLResponse) => {
    expect(res.data?.heartbeatUsage ?? res.data?.endUsage ?? null).toBeNull();
    return res.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code, fields: extensions?.fields }));
  };

  it("starts a normal new session in the caller's account with a sessionId another account uses", async () => {
    const sessionId = `shared-${randomUUID()}`;
    const first = await ok(start(ann, sessionId));
    const second = await ok(start(bob, sessionId));
    expect(first.startUsage).toMatchObject({ sessionId, allowed: true, denyReason: null });
    expect(second.startUsage).toMatchObject({ sessionId, allowed: true, denyReason: null, warnings: [] });
    // A new session was recorded (a repeat would answer the first position and append nothing).
    expect(BigInt(second.startUsage.position)).toBeGreaterThan(BigInt(first.startUsage.position));

    // Each account's user works on their own session; ending one leaves the other.
    await ok(stack.mutate(bob.token, M.heartbeatUsage, { input: { sessionId } }));
    const ended = await ok(stack.mutate(bob.token, M.endUsage, { input: { sessionId } }));
    const beat = await ok(stack.mutate(ann.token, M.heartbeatUsage, { input: { sessionId } }));

    // The read models keep the two sessions apart.
    const holdersOf = async (account: OpenedAccount, position: string) =>
      (await ok(stack.read(account.adminToken, SEAT_HOLDERS, { accountId: account.accountId, productId: 'app' }, position))).seatHolders;
    expect(await holdersOf(a, beat.heartbeatUsage.position)).toEqual([{ userId: ann.userId, sessionIds: [sessionId] }]);
    expect(await holdersOf(b, ended.endUsage.position)).toEqual([]);
  });

  it("answers a heartbeat or end of another account's session exactly as one of an id never used: NOT_FOUND", async () => {
    const foreign = `foreign-${randomUUID()}`;
    const unused = `unused-${randomUUID()}`;
    await ok(start(ann, foreign));
    for (const [token, mutation] of [
      [bob.token, M.heartbeatUsage],
      [bob.token, M.endUsage],
      [b.adminToken, M.endUsage],
      [b.adminToken, M.heartbeatUsage],
    ] as const) {
      const toForeign = refusal(await stack.mutate(token, mutation, { input: { sessionId: foreign } }));
      const toUnused = refusal(await stack.mutate(token, mutation, { input: { sessionId: unused } }));
      expect(toForeign).toEqual(toUnused);
      expect(toForeign?.[0]?.code).toBe('NOT_FOUND');
    }
    // ...and the foreign session is untouched.
    await ok(stack.mutate(ann.token, M.heartbeatUsage, { input: { sessionId: foreign } }));
  });

  it('keeps a repeated sessionId within one account as before: the same session for its user, refused to another user', async () => {
    const sessionId = `own-${randomUUID()}`;
    const colleague = await registerUser(stack, a.adminToken, a.accountId);
    const first = (await ok(start(ann, sessionId))).startUsage;
    const again = (await ok(start(ann, sessionId))).startUsage;
    expect(again).toMatchObject({ sessionId, allowed: first.allowed, termLicenseUsage: first.termLicenseUsage });
    expect(again.position).toBe(first.position);
    expect(await errorCode(start(colleague, sessionId))).toBe('BAD_USER_INPUT');
  });
});
