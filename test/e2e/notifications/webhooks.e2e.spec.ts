import { errorCode, ok } from '../../support/graphql-client';
import { globalLog } from '../../support/event-log';
import { M, openAccount, registerUser, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { scrape, scrapeUntil, valueOf, type Exposition } from '../../support/prometheus';
import { SmtpSink } from '../../support/smtp-sink';
import { WebhookReceiver } from '../../support/webhook-receiver';
import { requested, setDomains, uniqueDomain } from '../onboarding/onboarding-support';
import { accountWithUser, eventually, N, publicKeys, raiseAlert, setWebhook, verifiesWith } from './notifications-support';

describe('webhooks and email (both apps as processes, a local receiver and SMTP server)', () => {
  let stack: SesStack;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;

  beforeAll(async () => {
    [receiver, smtp] = await Promise.all([WebhookReceiver.start(), SmtpSink.start()]);
    stack = await SesStack.start({
      // Short retries so a test sees a whole schedule: 0.3 s, three times.
      SES_WEBHOOK_RETRY_SCHEDULE: '0.3,0.3,0.3',
      SES_SMTP_URL: smtp.url,
      SES_MAIL_FROM: 'SES <notifications@ses.example>',
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([receiver?.close(), smtp?.close()]);
  });

  const deliveriesOf = async (token: string, webhookId: string, minPosition?: string, status?: string) =>
    (await ok(stack.read(token, N.deliveries, { id: webhookId, status }, minPosition))).webhookDeliveries;

  it('delivers an alert to a webhook as the contract says, signed with a key that signingKeys lists', async () => {
    const { account, user } = await accountWithUser(stack, 'Hooked Alerts');
    const hook = await setWebhook(stack, account.adminToken, {
      accountId: account.accountId,
      url: receiver.url('/alerts'),
      eventTypes: ['AlertRaised'],
      description: 'alert engine',
    });
    const deliveredCount = (e: Exposition) => valueOf(e, 'ses_webhook_deliveries_total', { outcome: 'delivered' }) ?? 0;
    const metricsBefore = await scrape(stack.query.url);
    const alert = await raiseAlert(stack, account, user);

    const [delivery] = await receiver.until(() => receiver.at('/alerts').length > 0 && receiver.at('/alerts'), 'the alert at /alerts');
    // /metrics counts the attempt, and follows the deliverer's checkpoint past the alert (nothing else is delivered in this file yet).
    const metricsAfter = await scrapeUntil(
      stack.query.url,
      (e) =>
        deliveredCount(e) - deliveredCount(metricsBefore) === 1 &&
        (valueOf(e, 'ses_consumer_checkpoint_position', { consumer: 'notifications' }) ?? -1) >= Number(alert.position),
    );
    expect(valueOf(metricsAfter, 'ses_webhook_delivery_duration_seconds_count', { outcome: 'delivered' })).toBeGreaterThanOrEqual(1);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
    expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
    expect(delivery.headers['webhook-signature']).toMatch(/^v1a,/);
    expect(verifiesWith(await publicKeys(stack, account.adminToken), delivery)).toBe(true);
    // A tampered body does not verify.
    expect(verifiesWith(await publicKeys(stack, account.adminToken), { ...delivery, body: delivery.body.replace('"seatsInUse":1', '"seatsInUse":0') })).toBe(
      false,
    );

    const payload = JSON.parse(delivery.body);
    expect(Object.keys(payload).sort()).toEqual(['data', 'metadata', 'occurredAt', 'position', 'streamId', 'type']);
    expect(payload).toMatchObject({
      type: 'AlertRaised',
      position: expect.stringMatching(/^\d+$/),
      streamId: expect.stringMatching(/^seatpool-/),
      data: { accountId: account.accountId, ruleId: alert.ruleId, productId: 'notify-app', seatsInUse: 1, thresholdSeats: 1, seats: 5 },
    });
    expect(Object.keys(payload.metadata).sort()).toEqual(['actor', 'causationId', 'commandId', 'correlationId']);
    expect(payload.metadata.actor).toBe(`sub-${user.email}`);
    expect(Number.isNaN(Date.parse(payload.occurredAt))).toBe(false);

    const page = await deliveriesOf(account.adminToken, hook.webhookId);
    expect(page).toEqual({
      deliveries: [
        {
          id: delivery.headers['webhook-id'],
          webhookId: hook.webhookId,
          eventType: 'AlertRaised',
          eventPosition: payload.position,
          status: 'DELIVERED',
          attempts: 1,
          lastAttemptAt: expect.any(String),
          lastResponseStatus: 200,
          lastError: null,
          nextAttemptAt: null,
        },
      ],
      nextCursor: null,
    });
    const { webhooks } = await ok(stack.read(account.adminToken, N.webhooks, { id: account.accountId }, hook.position));
    expect(webhooks).toEqual([
      {
        id: hook.webhookId,
        accountId: account.accountId,
        url: receiver.url('/alerts'),
        eventTypes: ['AlertRaised'],
        description: 'alert engine',
        status: 'ACTIVE',
        createdAt: expect.any(String),
      },
    ]);
  });

  it('posts only the listed types of its own account, appended after it was set, each once, in order', async () => {
    const { account } = await accountWithUser(stack, 'Ordered Hooks');
    const other = await openAccount(stack, 'Unrelated');
    const before = await registerUser(stack, account.adminToken, account.accountId);
    const hook = await setWebhook(stack, account.adminToken, {
      accountId: account.accountId,
      url: receiver.url('/registered'),
      eventTypes: ['UserRegistered'],
    });
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await registerUser(stack, account.adminToken, account.accountId, { roles: i === 0 ? ['AUDITOR'] : [] }));
    await registerUser(stack, other.adminToken, other.accountId);

    const got = await receiver.until(() => receiver.at('/registered').length >= 5 && receiver.at('/registered'), 'five registrations');
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.data.userId)).toEqual(users.map((u) => u.userId));
    expect(bodies.every((b) => b.type === 'UserRegistered' && b.data.accountId === account.accountId)).toBe(true);
    expect(bodies.map((b) => b.data.userId)).not.toContain(before.userId);
    // Once each, and nothing else arrived by the time the deliverer has seen every event here.
    const last = users[users.length - 1].position;
    const page = await deliveriesOf(account.adminToken, hook.webhookId, last);
    expect(page.deliveries.map((d: { status: string }) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(receiver.at('/registered')).toHaveLength(5);
    // Newest first, paged by the cursor.
    const first = await ok(stack.read(account.adminToken, N.deliveries, { id: hook.webhookId, first: 2 }));
    const rest = await ok(stack.read(account.adminToken, N.deliveries, { id: hook.webhookId, first: 10, after: first.webhookDeliveries.nextCursor }));
    const positions = [...first.webhookDeliveries.deliveries, ...rest.webhookDeliveries.deliveries].map((d: { eventPosition: string }) => d.eventPosition);
    expect(positions).toEqual(bodies.map((b) => b.position).reverse());
    expect(rest.webhookDeliveries.nextCursor).toBeNull();
  });

  it('retries a failing receiver with the same webhook-id until it answers 200: the delivery ends DELIVERED', async () => {
    const { account } = await accountWithUser(stack, 'Flaky Receiver');
    receiver.respond('/flaky', (attempt) => (attempt <= 2 ? 503 : 200));
    const hook = await setWebhook(stack, account.adminToken, { accountId: account.accountId, url: receiver.url('/flaky'), eventTypes: ['UserRegistered'] });
    await registerUser(stack, account.adminToken, account.accountId);

    const attempts = await receiver.until(() => receiver.at('/flaky').length >= 3 && receiver.at('/flaky'), 'three attempts');
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    const keys = await publicKeys(stack, account.adminToken);
    expect(attempts.every((a) => verifiesWith(keys, a))).toBe(true);

    // The 200 is recorded just after it was answered.
    const page = await eventually(
      () => deliveriesOf(account.adminToken, hook.webhookId),
      (p) => p.deliveries[0]?.status !== 'PENDING',
      'the delivery to end',
    );
    expect(page.deliveries).toEqual([
      expect.objectContaining({
        id: attempts[0].headers['webhook-id'],
        status: 'DELIVERED',
        attempts: 3,
        lastResponseStatus: 200,
        lastError: null,
        nextAttemptAt: null,
      }),
    ]);
  });

  it('disables a webhook whose endpoint answers 410: the delivery FAILED, and nothing more is recorded or sent for it', async () => {
    const { account } = await accountWithUser(stack, 'Gone Receiver');
    receiver.respond('/gone', () => 410);
    const gone = await setWebhook(stack, account.adminToken, { accountId: account.accountId, url: receiver.url('/gone'), eventTypes: ['UserRegistered'] });
    await registerUser(stack, account.adminToken, account.accountId);
    await receiver.until(() => receiver.at('/gone').length === 1, 'the 410');

    const status = await eventually(
      async () => (await ok(stack.read(account.adminToken, N.webhooks, { id: account.accountId }))).webhooks[0].status,
      (s) => s !== 'ACTIVE',
      'the webhook to be disabled',
    );
    expect(status).toBe('DISABLED');
    const later = await registerUser(stack, account.adminToken, account.accountId);
    const page = await deliveriesOf(account.adminToken, gone.webhookId, later.position);
    expect(page.deliveries).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 1, lastResponseStatus: 410, nextAttemptAt: null })]);
    expect(receiver.at('/gone')).toHaveLength(1);
  });

  it('stops delivering to a removed webhook (status REMOVED)', async () => {
    const { account } = await accountWithUser(stack, 'Removed Hook');
    const hook = await setWebhook(stack, account.adminToken, { accountId: account.accountId, url: receiver.url('/removed'), eventTypes: ['UserRegistered'] });
    const removed = (await ok(stack.mutate(account.adminToken, N.removeWebhook, { input: { webhookId: hook.webhookId } }))).removeWebhook;
    expect(removed.webhookId).toBe(hook.webhookId);
    const later = await registerUser(stack, account.adminToken, account.accountId);
    const { webhooks } = await ok(stack.read(account.adminToken, N.webhooks, { id: account.accountId }, later.position));
    expect(webhooks.map((w: { status: string }) => w.status)).toEqual(['REMOVED']);
    expect((await deliveriesOf(account.adminToken, hook.webhookId, later.position)).deliveries).toEqual([]);
    expect(await errorCode(stack.mutate(account.adminToken, N.removeWebhook, { input: { webhookId: hook.webhookId } }))).toBe('NOT_FOUND');
  });

  it('lets administrators, co-administrators, auditors and the operator read webhooks; only administrators change them; another account neither', async () => {
    const a: OpenedAccount = await openAccount(stack, 'Owner');
    const b: OpenedAccount = await openAccount(stack, 'Intruder');
    const hook = await setWebhook(stack, a.adminToken, { accountId: a.accountId, url: receiver.url('/owner'), eventTypes: ['UserRegistered'] });
    const [co, auditor, plain] = [
      await registerUser(stack, a.adminToken, a.accountId, { roles: ['CO_ADMINISTRATOR'] }),
      await registerUser(stack, a.adminToken, a.accountId, { roles: ['AUDITOR'] }),
      await registerUser(stack, a.adminToken, a.accountId),
    ];
    const at = plain.position;
    for (const token of [a.adminToken, co.token, auditor.token, await stack.operatorToken()]) {
      expect((await ok(stack.read(token, N.webhooks, { id: a.accountId }, at))).webhooks.map((w: { id: string }) => w.id)).toEqual([hook.webhookId]);
      expect((await ok(stack.read(token, N.deliveries, { id: hook.webhookId }, at))).webhookDeliveries.deliveries.length).toBeGreaterThan(0);
    }
    // Another account's administrator: no data, and no hint that the webhook exists.
    expect(await errorCode(stack.read(b.adminToken, N.webhooks, { id: a.accountId }, at))).toBe('FORBIDDEN');
    expect(await errorCode(stack.read(b.adminToken, N.deliveries, { id: hook.webhookId }, at))).toBe('NOT_FOUND');
    expect(await errorCode(stack.read(b.adminToken, N.deliveries, { id: 'msg_never-issued' }, at))).toBe('NOT_FOUND');
    // A plain user of the account may read neither.
    expect(await errorCode(stack.read(plain.token, N.webhooks, { id: a.accountId }, at))).toBe('FORBIDDEN');
    expect(await errorCode(stack.read(plain.token, N.deliveries, { id: hook.webhookId }, at))).toBe('FORBIDDEN');

    const log = globalLog(stack);
    const input = { accountId: a.accountId, url: receiver.url('/intruder'), eventTypes: ['UserRegistered'] };
    expect(await errorCode(stack.mutate(b.adminToken, N.setWebhook, { input }))).toBe('FORBIDDEN');
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(await errorCode(stack.mutate(b.adminToken, N.removeWebhook, { input: { webhookId: hook.webhookId } })));
    expect(await errorCode(stack.mutate(auditor.token, N.setWebhook, { input }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(plain.token, N.removeWebhook, { input: { webhookId: hook.webhookId } }))).toBe('FORBIDDEN');
    expect(globalLog(stack)).toEqual(log);
    // A co-administrator may.
    const coHook = await setWebhook(stack, co.token, input);
    await ok(stack.mutate(co.token, N.removeWebhook, { input: { webhookId: coHook.webhookId } }));
  });

  it('refuses an event type the catalogue does not have with BAD_USER_INPUT naming eventTypes, and appends nothing', async () => {
    const account = await openAccount(stack, 'Typo');
    const log = globalLog(stack);
    const res = await stack.mutate(account.adminToken, N.setWebhook, {
      input: { accountId: account.accountId, url: receiver.url('/typo'), eventTypes: ['AlertRaised', 'AlertFired'] },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['eventTypes'] });
    expect(globalLog(stack)).toEqual(log);
  });

  it('mails an alert to the administrators, co-administrators and the users its rule notifies', async () => {
    const { account, user } = await accountWithUser(stack, 'Mailed Alerts');
    const co = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    const notified = await registerUser(stack, account.adminToken, account.accountId);
    const formerCo = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    await ok(stack.mutate(account.adminToken, M.deactivateUser, { input: { userId: formerCo.userId } }));
    await raiseAlert(stack, account, user, [notified.userId]);

    const expected = [account.adminEmail, co.email, notified.email].map((e) => e.toLowerCase()).sort();
    const mail = await smtp.until(() => smtp.messages.find((m) => m.to.includes(account.adminEmail.toLowerCase())), 'the alert mail');
    expect([...mail.to].sort()).toEqual(expected);
    expect(mail.from).toBe('notifications@ses.example');
    expect(mail.subject).toContain('notify-app');
    expect(mail.raw).toContain('Seats in use: 1 of 5');
    expect(mail.messageId).toMatch(/^<mail_[0-9a-f]+@ses\.notifications>$/);
    // Mailed once (nothing retried it after the server accepted it), to nobody else.
    expect(
      smtp.messages.filter((m) => m.to.some((to) => expected.includes(to) || to === user.email.toLowerCase() || to === formerCo.email.toLowerCase())),
    ).toHaveLength(1);
  });

  it('mails a registration request to the administrators and co-administrators of the account claiming the domain', async () => {
    const account = await openAccount(stack, 'Mailed Requests');
    const co = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    const plain = await registerUser(stack, account.adminToken, account.accountId);
    const domain = uniqueDomain('mailed');
    await setDomains(stack, account.adminToken, account.accountId, [domain]);
    const email = `pat.mailed@${domain}`;
    const { requestId } = await requested(stack, email, 'Pat Mailed');

    const mail = await smtp.until(() => smtp.messages.find((m) => m.raw.includes(requestId)), 'the registration request mail');
    expect([...mail.to].sort()).toEqual([account.adminEmail, co.email].map((e) => e.toLowerCase()).sort());
    expect(mail.subject).toBe('Registration request: Pat Mailed asks to join your account');
    expect(mail.raw).toContain(`Email: ${email}`);
    // Once, and not to a plain user of the account nor to the person asking.
    expect(smtp.messages.filter((m) => m.raw.includes(requestId))).toHaveLength(1);
    expect(smtp.messages.some((m) => m.to.includes(plain.email.toLowerCase()) || m.to.includes(email))).toBe(false);
  });
});
