import { ok } from '../../support/graphql-client';
import { openAccount, registerUser, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { WebhookReceiver } from '../../support/webhook-receiver';
import { eventually, N, publicKeys, setWebhook, verifiesWith } from './notifications-support';

/** The user ids the receiver got at `path`, with the webhook-id of each. */
const receivedUsers = (receiver: WebhookReceiver, path: string): Map<string, string> =>
  new Map(receiver.at(path).map((r) => [JSON.parse(r.body).data.userId as string, String(r.headers['webhook-id'])]));

describe('webhook deliveries across kill -9 (nothing acknowledged is lost)', () => {
  let stack: SesStack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await SesStack.start({ SES_WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2' });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it('delivers events appended just before the query app is killed, after it restarts', async () => {
    const account = await openAccount(stack, 'Killed Query');
    // A slow endpoint (one delivery at a time per webhook), so most are still to go when the app dies.
    receiver.respond('/kill-query', () => 200, 250);
    await setWebhook(stack, account.adminToken, { accountId: account.accountId, url: receiver.url('/kill-query'), eventTypes: ['UserRegistered'] });
    const users: RegisteredUser[] = await Promise.all(Array.from({ length: 12 }, () => registerUser(stack, account.adminToken, account.accountId)));
    await stack.query.kill9();
    const restartedAt = Date.now();
    await stack.restart('query');

    const got = await receiver.until(() => receivedUsers(receiver, '/kill-query').size >= users.length && receivedUsers(receiver, '/kill-query'), 'all twelve');
    expect([...got.keys()].sort()).toEqual(users.map((u) => u.userId).sort());
    // The restarted app delivered what the killed one had not (the test exercised the restart).
    expect(receiver.at('/kill-query').filter((r) => r.at > restartedAt).length).toBeGreaterThan(0);
    const keys = await publicKeys(stack, account.adminToken);
    expect(receiver.at('/kill-query').every((r) => verifiesWith(keys, r))).toBe(true);
  });

  it('keeps pending retries across a kill -9 of both apps: the same webhook-id, delivered once the receiver is back', async () => {
    const account = await openAccount(stack, 'Killed Both');
    let up = false;
    receiver.respond('/kill-both', () => (up ? 200 : 503));
    const hook = await setWebhook(stack, account.adminToken, { accountId: account.accountId, url: receiver.url('/kill-both'), eventTypes: ['UserRegistered'] });
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 4; i++) users.push(await registerUser(stack, account.adminToken, account.accountId));
    // Every delivery has failed at least once (so each is waiting for a retry) before the kill.
    const before = await receiver.until(
      () => receivedUsers(receiver, '/kill-both').size === users.length && receivedUsers(receiver, '/kill-both'),
      'a first attempt of each',
    );
    await Promise.all([stack.command.kill9(), stack.query.kill9()]);
    up = true;
    await stack.restart('both');

    const after = await receiver.until(() => {
      const ok200 = receiver.at('/kill-both').filter((r) => r.status === 200);
      return ok200.length >= users.length && new Map(ok200.map((r) => [JSON.parse(r.body).data.userId as string, String(r.headers['webhook-id'])]));
    }, 'a 200 for each');
    expect([...after.keys()].sort()).toEqual(users.map((u) => u.userId).sort());
    for (const [userId, id] of after) expect([userId, id]).toEqual([userId, before.get(userId)]);
    const page = await eventually(
      async () => (await ok(stack.read(account.adminToken, N.deliveries, { id: hook.webhookId }))).webhookDeliveries,
      (p: { deliveries: { status: string }[] }) => p.deliveries.every((d) => d.status === 'DELIVERED'),
      'every delivery DELIVERED',
    );
    expect(page.deliveries).toHaveLength(users.length);
  });
});
