import { errorCode, ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

/** Polls a read until it holds, within a deadline (time must pass here: nothing to await but the clock). */
async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * One stack with short timeouts (session TTL 2 s, timers every 200 ms, read-your-writes
 * gives up after 300 ms): the tests here wait for time to pass, and no read waits for a
 * position except the one about that wait.
 */
const SHORT_TIMEOUTS = { SES_USAGE_SESSION_TTL_SECONDS: '2', SES_TIMER_INTERVAL_MS: '200', SES_MIN_POSITION_TIMEOUT_MS: '300' };

describe('timeouts: sessions time out and check-outs expire by themselves, also across a restart; reads give up at NOT_CAUGHT_UP', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start(SHORT_TIMEOUTS);
  }, 60_000);
  afterAll(() => stack?.stop());

  const typesOf = async (accountId: string, types: string[]) => {
    const data = await ok(
      stack.read(
        await stack.operatorToken(),
        `query($id: ID!, $types: [String!]) { eventHistory(accountId: $id, types: $types) { events { type data metadata } } }`,
        { id: accountId, types },
      ),
    );
    return data.eventHistory.events as { type: string; data: Record<string, string>; metadata: Record<string, string> }[];
  };

  // One downtime for both timers: each app start-up costs seconds, and so does each wait.
  it('fires the timers that fell due while the apps were down: a session left without heartbeat times out, a check-out expires at expiresAt (capped by the entitlement end)', async () => {
    const sessions = await openAccount(stack, 'Timeout Co');
    await grantEntitlement(stack, sessions.accountId, { productId: 'ttl-app', seats: 3 });
    const sessionUser = await registerUser(stack, sessions.adminToken, sessions.accountId);
    const { startUsage } = await ok(stack.mutate(sessionUser.token, M.startUsage, { input: { productId: 'ttl-app', machineId: 'pc' } }));

    const checkouts = await openAccount(stack, 'Expiry Co');
    const endsAt = new Date(Date.now() + 4000).toISOString();
    await grantEntitlement(stack, checkouts.accountId, { productId: 'short-app', seats: 1, endsAt });
    const checkoutUser = await registerUser(stack, checkouts.adminToken, checkouts.accountId);
    const { checkOut } = await ok(stack.mutate(checkoutUser.token, M.checkOut, { input: { productId: 'short-app', machineId: 'pc', days: 7 } }));
    expect(checkOut.expiresAt).toBe(endsAt);

    // The command app (which runs the timers) goes down; both deadlines pass while it is.
    await stack.command.stop();
    const stoppedAt = Date.now();
    await eventually(
      async () => Date.now(),
      (now) => now - stoppedAt > 2500 && now > Date.parse(endsAt) + 300,
      10_000,
    );
    // Nothing fired while it was down (the query app, still up, shows the log).
    expect(await typesOf(sessions.accountId, ['UsageTimedOut'])).toEqual([]);
    expect(await typesOf(checkouts.accountId, ['CheckoutExpired'])).toEqual([]);
    // Both apps start again.
    await stack.query.stop();
    await stack.restart('both');

    const [timedOut] = await eventually(
      () => typesOf(sessions.accountId, ['UsageTimedOut']),
      (events) => events.length === 1,
    );
    expect(timedOut.data).toMatchObject({ sessionId: startUsage.sessionId, userId: sessionUser.userId, productId: 'ttl-app' });
    expect(timedOut.metadata.actor).toBe('system');
    expect(await errorCode(stack.mutate(sessionUser.token, M.heartbeatUsage, { input: { sessionId: startUsage.sessionId } }))).toBe('SESSION_NOT_ACTIVE');

    const [expired] = await eventually(
      () => typesOf(checkouts.accountId, ['CheckoutExpired']),
      (events) => events.length === 1,
    );
    expect(expired.data).toMatchObject({ checkoutId: checkOut.checkoutId, userId: checkoutUser.userId });
    expect(await errorCode(stack.mutate(checkoutUser.token, M.checkIn, { input: { checkoutId: checkOut.checkoutId } }))).toBe('CHECKOUT_NOT_ACTIVE');
  }, 60_000);

  it('keeps a session alive while heartbeats come', async () => {
    const account = await openAccount(stack, 'Heartbeat Co');
    await grantEntitlement(stack, account.accountId, { productId: 'hb-app', seats: 3 });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { startUsage } = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'hb-app', machineId: 'pc' } }));
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      await ok(stack.mutate(user.token, M.heartbeatUsage, { input: { sessionId: startUsage.sessionId } }));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await typesOf(account.accountId, ['UsageTimedOut'])).toEqual([]);
  }, 30_000);

  it('answers NOT_CAUGHT_UP when the read models do not reach x-ses-min-position in time', async () => {
    const account = await openAccount(stack);
    expect(await errorCode(stack.read(account.adminToken, '{ me { id } }', {}, '999999999'))).toBe('NOT_CAUGHT_UP');
    await ok(stack.read(account.adminToken, '{ me { id } }', {}, account.position));
  });
});
