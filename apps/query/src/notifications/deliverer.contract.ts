/// <reference types="jest" />
// Test code (jest globals), excluded from the build: what the deliverer does on every pair of stores it runs on.
import { createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import pino from 'pino';
import { streams } from '@ses/events';
import type { EventStore } from '@ses/event-store';
import type { ReadStore } from '@ses/read-store';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { WebhookReceiver, type ReceivedWebhook } from '../../../../test/support/webhook-receiver';
import { ChainedWriter } from '../audit/testing/chained-writer';
import { Deliverer, type DelivererOptions } from './deliverer';
import { DELIVERER_CHECKPOINT, NOTIFY, type DeliveryDoc, type MailDoc, type WebhookHealthDoc } from './notification-docs';

export interface DelivererStores {
  events: EventStore;
  /** Opens the notifications store of this test (the same one at every call, so a restart finds what was written). */
  openNotifications(): Promise<ReadStore>;
  close(): Promise<void>;
}

const AT = '2026-03-01T10:00:00.000Z';

async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `open` gives a fresh event store (or one shared with other tests: paths and accounts are
 * unique per test) and a notifications store of this test's own.
 */
export function delivererContract(name: string, open: () => Promise<DelivererStores>): void {
  describe(`the deliverer on ${name}`, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    let stores: DelivererStores;
    let store: ReadStore;
    let deliverer: Deliverer;
    let receiver: WebhookReceiver;
    let writer: ChainedWriter;
    let accountId: string;
    const running: { deliverer: Deliverer; store: ReadStore }[] = [];

    const options = (over: Partial<DelivererOptions> = {}): DelivererOptions => ({
      retryScheduleSeconds: [0.05, 0.05],
      urlPolicy: { production: false, allowPrivate: false },
      timeoutMs: 10_000,
      signingKey: { privateKey },
      ...over,
    });
    const startDeliverer = async (over: Partial<DelivererOptions> = {}): Promise<Deliverer> => {
      store = await stores.openNotifications();
      deliverer = new Deliverer(stores.events, store, options(over), pino({ level: 'silent' }));
      running.push({ deliverer, store });
      await deliverer.start();
      return deliverer;
    };
    const stopDeliverer = async (): Promise<void> => {
      const current = running.pop();
      await current?.deliverer.stop();
      await current?.store.close();
    };
    const path = (name: string) => `/${accountId}/${name}`;
    const append = (type: Parameters<ChainedWriter['append']>[2], data: Record<string, unknown>, streamId = streams.account(accountId)) =>
      writer.append(streamId, AT, type, { accountId, ...data });
    const setWebhook = (webhookId: string, url: string, eventTypes: string[]) => append('WebhookSet', { webhookId, url, eventTypes, description: null });
    const register = (userId: string, extra: Record<string, unknown> = {}) =>
      append('UserRegistered', { userId, email: `${userId}@example.com`, displayName: userId, country: 'US', registeredAt: AT, ...extra });
    const deliveries = async (webhookId: string): Promise<DeliveryDoc[]> =>
      (await store.find<DeliveryDoc>(NOTIFY.deliveries, { webhookId })).sort((a, b) => (a.positionKey < b.positionKey ? -1 : 1));
    const verifies = (r: ReceivedWebhook): boolean =>
      verify(
        null,
        Buffer.from(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`),
        createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
        Buffer.from(String(r.headers['webhook-signature']).replace(/^v1a,/, ''), 'base64'),
      );

    beforeEach(async () => {
      stores = await open();
      receiver = await WebhookReceiver.start();
      writer = new ChainedWriter(stores.events);
      accountId = randomUUID();
      await append('AccountOpened', { name: 'Acme', entitlementCountry: 'US', openedAt: AT });
    });
    afterEach(async () => {
      while (running.length > 0) await stopDeliverer();
      await receiver.close();
      await stores.close();
    });

    it('delivers each event of a listed type, after the webhook was set, once, in order, signed; DELIVERED', async () => {
      await register('u-before');
      await setWebhook('w1', receiver.url(path('w1')), ['UserRegistered', 'UserDeactivated']);
      await setWebhook('w2', receiver.url(path('w2')), ['UserDeactivated']);
      const positions = [await register('u1'), await register('u2'), await append('RoleGranted', { userId: 'u1', role: 'AUDITOR' }), await register('u3')];
      await append('UserDeactivated', { userId: 'u2' });
      await startDeliverer();

      const got = await until(async () => receiver.at(path('w1')).length >= 4 && receiver.at(path('w1')), 'four deliveries to w1');
      expect(got.map((r) => JSON.parse(r.body).data.userId)).toEqual(['u1', 'u2', 'u3', 'u2']);
      expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['UserRegistered', 'UserRegistered', 'UserRegistered', 'UserDeactivated']);
      expect(got.every(verifies)).toBe(true);
      await until(async () => receiver.at(path('w2')).length === 1, 'w2 gets the deactivation');
      const records = await until(async () => {
        const docs = await deliveries('w1');
        return docs.length === 4 && docs.every((d) => d.status === 'DELIVERED') && docs;
      }, 'four DELIVERED records');
      expect(records.map((d) => d._id)).toEqual(got.map((r) => r.headers['webhook-id']));
      expect(records[0]).toMatchObject({ attempts: 1, lastResponseStatus: 200, lastError: null, nextAttemptAt: null, eventPosition: positions[0].toString() });
      expect(records[0].body).toBeUndefined();
    });

    it('retries by the schedule with the same webhook-id, then FAILED after the last retry', async () => {
      receiver.respond(path('down'), () => 500);
      await startDeliverer();
      await setWebhook('w-down', receiver.url(path('down')), ['UserRegistered']);
      await register('u1');
      const [record] = await until(async () => {
        const docs = await deliveries('w-down');
        return docs.length === 1 && docs[0].status === 'FAILED' && docs;
      }, 'FAILED');
      expect(record).toMatchObject({ attempts: 3, lastResponseStatus: 500, lastError: 'answered 500', nextAttemptAt: null });
      expect(receiver.at(path('down')).map((r) => r.headers['webhook-id'])).toEqual([record._id, record._id, record._id]);
    });

    it('disables a webhook whose endpoint answers 410: FAILED at once, and no records for later events', async () => {
      receiver.respond(path('gone'), () => 410);
      await startDeliverer();
      await setWebhook('w-gone', receiver.url(path('gone')), ['UserRegistered']);
      await register('u1');
      await until(async () => (await store.findOne<WebhookHealthDoc>(NOTIFY.webhookHealth, { _id: 'w-gone' }))?.disabled, 'DISABLED');
      const later = await register('u2');
      await deliverer.engine.waitFor(later, 10_000);
      expect((await deliveries('w-gone')).map((d) => [d.status, d.attempts, d.lastResponseStatus])).toEqual([['FAILED', 1, 410]]);
      expect(receiver.at(path('gone'))).toHaveLength(1);
    });

    it('keeps pending deliveries across a restart, and a replay of the log changes nothing that was delivered', async () => {
      let up = false;
      receiver.respond(path('later'), () => (up ? 200 : 503));
      await startDeliverer({ retryScheduleSeconds: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05] });
      const set = await setWebhook('w-later', receiver.url(path('later')), ['UserRegistered']);
      await register('u1');
      await register('u2');
      await until(async () => receiver.at(path('later')).length >= 2, 'first attempts');
      await stopDeliverer();
      const before = await until(async () => {
        const reopened = await stores.openNotifications();
        try {
          return reopened.find<DeliveryDoc>(NOTIFY.deliveries, { webhookId: 'w-later' });
        } finally {
          await reopened.close();
        }
      }, 'records');
      expect(before.map((d) => d.status)).toEqual(['PENDING', 'PENDING']);

      up = true;
      await startDeliverer();
      const delivered = await until(async () => {
        const docs = await deliveries('w-later');
        return docs.every((d) => d.status === 'DELIVERED') && docs;
      }, 'DELIVERED after the restart');
      expect(delivered.map((d) => d._id).sort()).toEqual(before.map((d) => d._id).sort());
      const sent = receiver.at(path('later')).length;
      await stopDeliverer();

      // As after a crash between writes and checkpoint: the log is replayed from before the webhook.
      const reopened = await stores.openNotifications();
      await reopened.commit(DELIVERER_CHECKPOINT, set - 1n, []);
      await reopened.close();
      await startDeliverer();
      const last = await register('u3');
      await until(async () => receiver.at(path('later')).some((r) => JSON.parse(r.body).data.userId === 'u3'), 'u3');
      await deliverer.engine.waitFor(last, 10_000);
      expect(receiver.at(path('later')).length).toBe(sent + 1);
      expect((await deliveries('w-later')).map((d) => [d.status, d.attempts > 0])).toEqual([
        ['DELIVERED', true],
        ['DELIVERED', true],
        ['DELIVERED', true],
      ]);
    });

    it('never lets a slow endpoint delay another webhook', async () => {
      // The slow endpoint answers after 3 s; its lane sends one at a time.
      receiver.respond(path('slow'), () => 200, 3000);
      await startDeliverer();
      await setWebhook('w-slow', receiver.url(path('slow')), ['UserRegistered']);
      await setWebhook('w-fast', receiver.url(path('fast')), ['UserRegistered']);
      for (let i = 0; i < 10; i++) await register(`u${i}`);
      await until(async () => receiver.at(path('fast')).length === 10, 'ten fast deliveries');
      expect(receiver.at(path('slow')).length).toBeLessThanOrEqual(1);
    });

    it('stops delivering to a removed webhook, and fails what still waited for it', async () => {
      receiver.respond(path('removed'), () => 503);
      await startDeliverer({ retryScheduleSeconds: [3600] });
      await setWebhook('w-rm', receiver.url(path('removed')), ['UserRegistered']);
      await register('u1');
      await until(async () => (await deliveries('w-rm'))[0]?.attempts === 1, 'a first attempt');
      await append('WebhookRemoved', { webhookId: 'w-rm' });
      const last = await register('u2');
      const [record] = await until(async () => {
        const docs = await deliveries('w-rm');
        return docs[0]?.status === 'FAILED' && docs;
      }, 'FAILED');
      await deliverer.engine.waitFor(last, 10_000);
      expect(record).toMatchObject({ attempts: 1, lastError: 'webhook removed' });
      expect(await deliveries('w-rm')).toHaveLength(1);
    });

    it('mails an alert to administrators, co-administrators and the users its rule notifies, when mail is configured', async () => {
      const smtp = await SmtpSink.start();
      try {
        await register('admin', { email: 'Admin@Example.com' });
        await append('RoleGranted', { userId: 'admin', role: 'ACCOUNT_ADMINISTRATOR' });
        await register('co');
        await append('RoleGranted', { userId: 'co', role: 'CO_ADMINISTRATOR' });
        await register('watcher');
        await register('bystander');
        await register('gone-co');
        await append('RoleGranted', { userId: 'gone-co', role: 'CO_ADMINISTRATOR' });
        await append('UserDeactivated', { userId: 'gone-co' });
        await append('AlertRuleSet', { ruleId: 'r1', productId: 'p', thresholdSeats: 1, action: 'NOTIFY', notifyUserIds: ['watcher'] });
        await startDeliverer({ mail: { smtpUrl: smtp.url, from: 'ses@example.com' } });
        await writer.append(streams.seatPool(accountId, 'p'), AT, 'AlertRaised', {
          accountId,
          alertId: 'al1',
          ruleId: 'r1',
          productId: 'p',
          seatsInUse: 1,
          thresholdSeats: 1,
          seats: 3,
          raisedAt: AT,
        });
        const mail = await until(async () => smtp.messages[0], 'the mail');
        expect(mail.to.map((to) => to.toLowerCase()).sort()).toEqual(['admin@example.com', 'co@example.com', 'watcher@example.com']);
        const [record] = await until(async () => {
          const docs = await store.find<MailDoc>(NOTIFY.mails, { accountId });
          return docs[0]?.status === 'DELIVERED' && docs;
        }, 'DELIVERED');
        expect(record).toMatchObject({ attempts: 1, eventType: 'AlertRaised', recipients: ['Admin@Example.com', 'co@example.com', 'watcher@example.com'] });
        expect(smtp.messages).toHaveLength(1);
      } finally {
        // The transport's pooled connection first: the server's close waits for open connections.
        await stopDeliverer();
        await smtp.close();
      }
    });

    it('makes no mail records without mail configured', async () => {
      await startDeliverer();
      const last = await writer.append(streams.seatPool(accountId, 'p'), AT, 'AlertRaised', {
        accountId,
        alertId: 'al1',
        ruleId: 'r1',
        productId: 'p',
        seatsInUse: 1,
        thresholdSeats: 1,
        seats: 3,
        raisedAt: AT,
      });
      await deliverer.engine.waitFor(last, 10_000);
      expect(await store.count(NOTIFY.mails, { accountId })).toBe(0);
    });
  });
}
