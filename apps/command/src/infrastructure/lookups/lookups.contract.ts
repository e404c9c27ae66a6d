/// <reference types="jest" />
// Test code (jest globals), excluded from the build: the behaviour every implementation of the lookups must have.
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@ses/events';
import type { EventStore } from '@ses/event-store';
import type { CommandResults, EntityLocator } from './lookups';

export interface LookupsUnderTest {
  lookups: EntityLocator & CommandResults;
  close(): Promise<void>;
}

/**
 * `open` gives lookups over `store` (started: following the log). A persistent index
 * that replaces the in-memory one passes the same suite.
 */
export function lookupsContract(name: string, openStore: () => Promise<EventStore>, open: (store: EventStore) => Promise<LookupsUnderTest>): void {
  describe(`${name} satisfies the lookups contract`, () => {
    let store: EventStore;
    let subject: LookupsUnderTest;
    const append = async (streamId: string, event: DomainEvent, extra: Record<string, unknown> = {}): Promise<bigint> => {
      const metadata: EventMetadata = {
        actor: 'test',
        commandId: randomUUID(),
        correlationId: 'c',
        causationId: 'c',
        schemaVersion: 1,
        occurredAt: '2026-03-01T10:00:00.000Z',
        hash: '',
        ...extra,
      };
      return (await store.appendToStream(streamId, [{ eventId: randomUUID(), type: event.type, data: event.data, metadata }], 'any')).position;
    };
    const started = (accountId: string, productId: string, sessionId: string): DomainEvent => ({
      type: 'UsageStarted',
      data: {
        accountId,
        sessionId,
        userId: 'u1',
        productId,
        machineId: 'm',
        productVersion: null,
        termLicenseUsage: false,
        country: 'US',
        startedAt: '2026-03-01T10:00:00.000Z',
      },
    });

    beforeEach(async () => {
      store = await openStore();
      subject = await open(store);
    });
    afterEach(async () => {
      await subject.close();
      await store.close();
    });

    it('finds the account of every id the service issues, also right after it was appended', async () => {
      await append('account-a1', { type: 'AccountOpened', data: { accountId: 'a1', name: 'A', entitlementCountry: 'US', openedAt: 'x' } });
      await append('account-a1', {
        type: 'UserRegistered',
        data: { accountId: 'a1', userId: 'u1', email: 'u@a.test', displayName: 'U', country: 'US', registeredAt: 'x' },
      });
      await append('account-a1', { type: 'GroupCreated', data: { accountId: 'a1', groupId: 'g1', name: 'G', productIds: [] } });
      await append('account-a1', {
        type: 'AlertRuleSet',
        data: { accountId: 'a1', ruleId: 'r1', productId: 'p', thresholdSeats: 1, action: 'NOTIFY', notifyUserIds: [] },
      });
      await append('account-a1', {
        type: 'EntitlementGranted',
        data: {
          accountId: 'a1',
          entitlementId: 'e1',
          productId: 'p',
          productName: 'P',
          seats: 1,
          startsAt: 'x',
          endsAt: 'y',
          country: 'US',
          offlineDays: 1,
          checkoutAllowed: true,
          maxCheckoutDays: 1,
        },
      });
      await append('account-a1', {
        type: 'WebhookSet',
        data: { accountId: 'a1', webhookId: 'w1', url: 'https://hooks.example/x', eventTypes: ['AlertRaised'], description: null },
      });
      for (const id of ['a1', 'u1', 'g1', 'r1', 'e1', 'w1']) expect([id, await subject.lookups.accountOf(id)]).toEqual([id, 'a1']);
      expect(await subject.lookups.accountOf('never-issued')).toBeUndefined();
    });

    it("keeps session ids scoped by account: one id may name a session of several accounts' pools", async () => {
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a2-q', started('a2', 'q', 's1'));
      await append('seatpool-a2-q', {
        type: 'UsageDenied',
        data: { accountId: 'a2', sessionId: 's2', userId: 'u1', productId: 'q', machineId: 'm', denyReason: 'NOT_ENTITLED', deniedAt: 'x' },
      });
      expect(await subject.lookups.poolsOfSession('s1')).toEqual(
        expect.arrayContaining([
          { accountId: 'a1', productId: 'p' },
          { accountId: 'a2', productId: 'q' },
        ]),
      );
      expect(await subject.lookups.poolsOfSession('s1')).toHaveLength(2);
      expect(await subject.lookups.poolsOfSession('s2')).toEqual([{ accountId: 'a2', productId: 'q' }]);
      expect(await subject.lookups.poolsOfSession('never-used')).toEqual([]);
    });

    it('finds the pool of a check-out, and knows every pool that has had a session or a check-out', async () => {
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a1-r', {
        type: 'LicenseCheckedOut',
        data: { accountId: 'a1', checkoutId: 'c1', userId: 'u1', productId: 'r', machineId: 'm', checkedOutAt: 'x', expiresAt: 'y' },
      });
      expect(await subject.lookups.poolOfCheckout('c1')).toEqual({ accountId: 'a1', productId: 'r' });
      expect(await subject.lookups.poolOfCheckout('never-issued')).toBeUndefined();
      expect(await subject.lookups.knownPools()).toEqual(
        expect.arrayContaining([
          { accountId: 'a1', productId: 'p' },
          { accountId: 'a1', productId: 'r' },
        ]),
      );
    });

    it('answers the result a command recorded, with the position of its event', async () => {
      const position = await append(
        'account-a1',
        { type: 'UserDeactivated', data: { accountId: 'a1', userId: 'u1' } },
        {
          idempotencyKey: 'k1',
          commandResult: { userId: 'u1' },
        },
      );
      expect(await subject.lookups.find('k1')).toEqual({ result: { userId: 'u1' }, position });
      expect(await subject.lookups.find('k2')).toBeUndefined();
    });
  });
}
