import { ok } from '../../support/graphql-client';
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

describe('timers: sessions time out and check-outs expire by themselves, also across a restart', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({ SES_USAGE_SESSION_TTL_SECONDS: '2', SES_TIMER_INTERVAL_MS: '200' });
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

  it('times out a session left without heartbeat, even when the TTL ran out while the command app was down', async () => {
    const account = await openAccount(stack, 'Timeout Co');
    await grantEntitlement(stack, account.accountId, { productId: 'ttl-app', seats: 3 });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { startUsage } = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'ttl-app', machineId: 'pc' } }));
    await stack.command.stop();
    const stoppedAt = Date.now();
    await eventually(
      async () => Date.now() - stoppedAt,
      (elapsed) => elapsed > 2500,
      5000,
    );
    expect(await typesOf(account.accountId, ['UsageTimedOut'])).toEqual([]);
    await stack.restart('command', { SES_USAGE_SESSION_TTL_SECONDS: '2', SES_TIMER_INTERVAL_MS: '200' });
    const [timedOut] = await eventually(
      () => typesOf(account.accountId, ['UsageTimedOut']),
      (events) => events.length === 1,
    );
    expect(timedOut.data).toMatchObject({ sessionId: startUsage.sessionId, userId: user.userId, productId: 'ttl-app' });
    expect(timedOut.metadata.actor).toBe('system');
    const heartbeat = await stack.mutate(user.token, M.heartbeatUsage, { input: { sessionId: startUsage.sessionId } });
    expect(heartbeat.errors?.[0].extensions?.code).toBe('SESSION_NOT_ACTIVE');
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

  it('expires a check-out at expiresAt (capped by the entitlement end), also across a restart of both apps', async () => {
    const account = await openAccount(stack, 'Expiry Co');
    const endsAt = new Date(Date.now() + 4000).toISOString();
    await grantEntitlement(stack, account.accountId, { productId: 'short-app', seats: 1, endsAt });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { checkOut } = await ok(stack.mutate(user.token, M.checkOut, { input: { productId: 'short-app', machineId: 'pc', days: 7 } }));
    expect(checkOut.expiresAt).toBe(endsAt);
    await stack.command.stop();
    await stack.query.stop();
    await eventually(
      async () => Date.now(),
      (now) => now > Date.parse(endsAt) + 300,
      10_000,
    );
    await stack.restart('both', { SES_USAGE_SESSION_TTL_SECONDS: '2', SES_TIMER_INTERVAL_MS: '200' });
    const [expired] = await eventually(
      () => typesOf(account.accountId, ['CheckoutExpired']),
      (events) => events.length === 1,
    );
    expect(expired.data).toMatchObject({ checkoutId: checkOut.checkoutId, userId: user.userId });
    const checkIn = await stack.mutate(user.token, M.checkIn, { input: { checkoutId: checkOut.checkoutId } });
    expect(checkIn.errors?.[0].extensions?.code).toBe('CHECKOUT_NOT_ACTIVE');
  }, 60_000);
});
