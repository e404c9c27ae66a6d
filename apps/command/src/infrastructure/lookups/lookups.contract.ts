/// <reference types="jest" />
// Test code (jest globals), excluded from the build: the behaviour every command index store must have,
// through the lookups it answers (LogIndex over the store) and through the store's own port.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent, EventMetadata } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import type { CommandIndexStore, IndexWrite, Snapshot } from '../command-index/command-index-store.port';
import { LogIndex } from '../command-index/log-index';
import { counting, type CountingEventStore } from '../testing/counting-event-store';

const T = '2026-03-01T10:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);
const plus = (iso: string, seconds: number) => new Date(ms(iso) + seconds * 1000).toISOString();

const started = (accountId: string, productId: string, sessionId: string, startedAt = T, userId = 'u1'): DomainEvent => ({
  type: 'UsageStarted',
  data: { accountId, sessionId, userId, productId, machineId: 'm', productVersion: null, termLicenseUsage: false, country: 'US', startedAt },
});
const session = (type: 'UsageEnded' | 'UsageTimedOut' | 'UsageHeartbeat', accountId: string, productId: string, sessionId: string, at = T): DomainEvent =>
  type === 'UsageEnded'
    ? { type, data: { accountId, sessionId, userId: 'u1', productId, endedAt: at } }
    : type === 'UsageTimedOut'
      ? { type, data: { accountId, sessionId, userId: 'u1', productId, lastHeartbeatAt: at, timedOutAt: at } }
      : { type, data: { accountId, sessionId, userId: 'u1', productId, at } };
const checkedOut = (accountId: string, productId: string, checkoutId: string, expiresAt: string, userId = 'u1'): DomainEvent => ({
  type: 'LicenseCheckedOut',
  data: { accountId, checkoutId, userId, productId, machineId: 'm', checkedOutAt: T, expiresAt },
});

/**
 * `openIndexStore(where)` opens the store under test at `where` (a name unique to one
 * test; opening the same name again is a restart). The log is an embedded event store:
 * what is tested is the index.
 */
export function lookupsContract(name: string, openIndexStore: (where: string) => Promise<CommandIndexStore>): void {
  describe(`${name} satisfies the lookups contract (LogIndex over it)`, () => {
    let dir: string;
    let events: CountingEventStore;
    let where: string;
    const opened: { index?: LogIndex; store: CommandIndexStore }[] = [];

    /** A LogIndex over a (re)opened store, started (built or caught up), not following in the background. */
    const openIndex = async (): Promise<{ index: LogIndex; store: CommandIndexStore }> => {
      const store = await openIndexStore(where);
      const index = new LogIndex(events, store, { followIntervalMs: 0, pageSize: 50 });
      opened.push({ index, store });
      await index.start();
      return { index, store };
    };
    const append = async (streamId: string, event: DomainEvent, extra: Record<string, unknown> = {}): Promise<bigint> => {
      const metadata: EventMetadata = {
        actor: 'test',
        commandId: randomUUID(),
        correlationId: 'c',
        causationId: 'c',
        schemaVersion: 1,
        occurredAt: T,
        hash: '',
        ...extra,
      };
      return (await events.appendToStream(streamId, [{ eventId: randomUUID(), type: event.type, data: event.data, metadata }], 'any')).position;
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'lookups-'));
      events = counting(new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 }));
      where = `idx${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    });
    afterEach(async () => {
      for (const { index, store } of opened.splice(0)) {
        await index?.stop();
        await store.close();
      }
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds the account of every id the service issues, also right after it was appended', async () => {
      const { index } = await openIndex();
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
      for (const id of ['a1', 'u1', 'g1', 'r1', 'e1', 'w1']) expect([id, await index.accountOf(id)]).toEqual([id, 'a1']);
      expect(await index.accountOf('never-issued')).toBeUndefined();
    });

    it('finds the account of a registration request (onboarding)', async () => {
      const { index } = await openIndex();
      await append('account-a1', {
        type: 'RegistrationRequested',
        data: { accountId: 'a1', requestId: 'rq1', email: 'p@a.test', displayName: 'P', country: 'US', requestedAt: 'x' },
      });
      expect(await index.accountOf('rq1')).toBe('a1');
    });

    it("keeps session ids scoped by account: one id may name a session of several accounts' pools", async () => {
      const { index } = await openIndex();
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a2-q', started('a2', 'q', 's1'));
      await append('seatpool-a2-q', {
        type: 'UsageDenied',
        data: { accountId: 'a2', sessionId: 's2', userId: 'u1', productId: 'q', machineId: 'm', denyReason: 'NOT_ENTITLED', deniedAt: 'x' },
      });
      expect(await index.poolsOfSession('s1')).toEqual(
        expect.arrayContaining([
          { accountId: 'a1', productId: 'p' },
          { accountId: 'a2', productId: 'q' },
        ]),
      );
      expect(await index.poolsOfSession('s1')).toHaveLength(2);
      expect(await index.poolsOfSession('s2')).toEqual([{ accountId: 'a2', productId: 'q' }]);
      expect(await index.poolsOfSession('never-used')).toEqual([]);
    });

    it('finds the pool of a check-out, and knows every pool that has had a session or a check-out', async () => {
      const { index } = await openIndex();
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a1-r', checkedOut('a1', 'r', 'c1', 'y'));
      expect(await index.poolOfCheckout('c1')).toEqual({ accountId: 'a1', productId: 'r' });
      expect(await index.poolOfCheckout('never-issued')).toBeUndefined();
      expect(await index.knownPools()).toEqual(
        expect.arrayContaining([
          { accountId: 'a1', productId: 'p' },
          { accountId: 'a1', productId: 'r' },
        ]),
      );
    });

    it('answers the result a command recorded, with the position of its last event', async () => {
      const { index } = await openIndex();
      const recorded = { idempotencyKey: 'k1', commandResult: { userId: 'u1' } };
      await append('account-a1', { type: 'UserDeactivated', data: { accountId: 'a1', userId: 'u1' } }, recorded);
      const position = await append('account-a1', { type: 'RoleRevoked', data: { accountId: 'a1', userId: 'u1', role: 'AUDITOR' } }, recorded);
      expect(await index.find('k1')).toEqual({ result: { userId: 'u1' }, position });
      expect(await index.find('k2')).toBeUndefined();
    });

    it("records what each pool decided for a session id and its status now, and each check-out's holder and status", async () => {
      const { index } = await openIndex();
      const pool = { accountId: 'a1', productId: 'p' };
      await append('seatpool-a1-p', started('a1', 'p', 'ended'));
      await append('seatpool-a1-p', session('UsageEnded', 'a1', 'p', 'ended'));
      await append('seatpool-a1-p', started('a1', 'p', 'timed-out'));
      await append('seatpool-a1-p', session('UsageTimedOut', 'a1', 'p', 'timed-out'));
      await append('seatpool-a1-p', {
        type: 'UsageDenied',
        data: { accountId: 'a1', sessionId: 'denied', userId: 'u2', productId: 'p', machineId: 'm', denyReason: 'THRESHOLD_REACHED', deniedAt: T },
      });
      await append('seatpool-a1-p', checkedOut('a1', 'p', 'c-in', plus(T, 3600)));
      await append('seatpool-a1-p', { type: 'LicenseCheckedIn', data: { accountId: 'a1', checkoutId: 'c-in', userId: 'u1', productId: 'p', checkedInAt: T } });
      await append('seatpool-a1-p', checkedOut('a1', 'p', 'c-exp', plus(T, 60), 'u3'));
      const position = await append('seatpool-a1-p', {
        type: 'CheckoutExpired',
        data: { accountId: 'a1', checkoutId: 'c-exp', userId: 'u3', productId: 'p', expiredAt: plus(T, 60) },
      });
      const allowed = { userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: false };
      expect(await index.session(pool, 'ended', position)).toEqual({ ...allowed, status: 'ENDED' });
      expect(await index.session(pool, 'timed-out', position)).toEqual({ ...allowed, status: 'TIMED_OUT' });
      expect(await index.session(pool, 'denied', position)).toEqual({
        userId: 'u2',
        allowed: false,
        denyReason: 'THRESHOLD_REACHED',
        termLicenseUsage: false,
        status: 'DENIED',
      });
      expect(await index.session(pool, 'never', position)).toBeNull();
      expect(await index.session({ accountId: 'a2', productId: 'p' }, 'ended', position)).toBeNull();
      expect(await index.checkout(pool, 'c-in', position)).toEqual({ userId: 'u1', status: 'CHECKED_IN' });
      expect(await index.checkout(pool, 'c-exp', position)).toEqual({ userId: 'u3', status: 'EXPIRED' });
      expect(await index.checkout({ accountId: 'a1', productId: 'other' }, 'c-in', position)).toBeNull();
    });

    it("answers a pool's record of a session id found in no pool without asking the store again, and finds it once it is started", async () => {
      const { index, store } = await openIndex();
      const pool = { accountId: 'a1', productId: 'p' };
      const before = await append('seatpool-a1-p', started('a1', 'p', 'other'));
      expect(await index.poolsOfSession('fresh')).toEqual([]);
      const asked = jest.spyOn(store, 'session');
      expect(await index.session(pool, 'fresh', before)).toBeNull();
      expect(asked).not.toHaveBeenCalled();
      // Started after the answer: a question about the pool as of that start asks the store, caught up.
      const after = await append('seatpool-a1-p', started('a1', 'p', 'fresh'));
      expect(await index.session(pool, 'fresh', after)).toMatchObject({ status: 'ACTIVE' });
      expect(asked).toHaveBeenCalledTimes(1);
    });

    it('finds the pools with something due by due time: idle sessions past the TTL (heartbeats postpone), check-outs past expiry; closed ones never', async () => {
      const { index } = await openIndex();
      const ttl = 900;
      await append('seatpool-a1-idle', started('a1', 'idle', 's-idle', T));
      await append('seatpool-a1-beat', started('a1', 'beat', 's-beat', T));
      await append('seatpool-a1-beat', session('UsageHeartbeat', 'a1', 'beat', 's-beat', plus(T, 600)));
      await append('seatpool-a1-ended', started('a1', 'ended', 's-ended', T));
      await append('seatpool-a1-ended', session('UsageEnded', 'a1', 'ended', 's-ended', plus(T, 10)));
      await append('seatpool-a1-co', checkedOut('a1', 'co', 'c1', plus(T, 300)));
      await append('seatpool-a1-co-in', checkedOut('a1', 'co-in', 'c2', plus(T, 100)));
      await append('seatpool-a1-co-in', {
        type: 'LicenseCheckedIn',
        data: { accountId: 'a1', checkoutId: 'c2', userId: 'u1', productId: 'co-in', checkedInAt: T },
      });
      const pools = async (at: string, limit = 100) => (await index.duePools(ms(at), ttl, limit)).map((pool) => pool.productId);
      expect(await pools(plus(T, 299))).toEqual([]);
      expect(await pools(plus(T, 300))).toEqual(['co']);
      expect(await pools(plus(T, 900))).toEqual(['co', 'idle']);
      expect(await pools(plus(T, 1500))).toEqual(['co', 'idle', 'beat']);
      expect(await pools(plus(T, 1500), 2)).toEqual(['co', 'idle']);
      await append('seatpool-a1-idle', session('UsageTimedOut', 'a1', 'idle', 's-idle', plus(T, 900)));
      expect(await pools(plus(T, 1500))).toEqual(['co', 'beat']);
    });

    it('after a restart, finds every id created before it without reading the log up to its checkpoint', async () => {
      const first = await openIndex();
      await append('account-a1', { type: 'AccountOpened', data: { accountId: 'a1', name: 'A', entitlementCountry: 'US', openedAt: 'x' } });
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a1-p', checkedOut('a1', 'p', 'c1', plus(T, 60)));
      await append('account-a1', { type: 'UserDeactivated', data: { accountId: 'a1', userId: 'u1' } }, { idempotencyKey: 'k1', commandResult: { ok: 1 } });
      await first.index.catchUp();
      await first.index.stop();
      await first.store.close();
      opened.splice(0);

      events.resetCounts();
      const { index } = await openIndex();
      expect(events.reads.logEvents).toBe(0);
      expect(await index.accountOf('a1')).toBe('a1');
      expect(await index.poolsOfSession('s1')).toEqual([{ accountId: 'a1', productId: 'p' }]);
      expect(await index.poolOfCheckout('c1')).toEqual({ accountId: 'a1', productId: 'p' });
      expect(await index.find('k1')).toMatchObject({ result: { ok: 1 } });
      expect((await index.duePools(ms(plus(T, 60)), 900, 10)).map((pool) => pool.productId)).toEqual(['p']);
      expect(events.reads.logEvents).toBe(0);
      expect(index.eventsRead).toBe(0);
      // What was appended while it was down is read, and only that.
      await append('seatpool-a1-p', started('a1', 'p', 's2'));
      expect(await index.poolsOfSession('s2')).toEqual([{ accountId: 'a1', productId: 'p' }]);
      expect(events.reads.logEvents).toBe(1);
    });

    it('builds itself from the whole log on its first start over a log that has events (an old data directory), once', async () => {
      await append('account-a1', { type: 'AccountOpened', data: { accountId: 'a1', name: 'A', entitlementCountry: 'US', openedAt: 'x' } });
      for (let i = 0; i < 120; i++) await append('seatpool-a1-p', started('a1', 'p', `s${i}`));
      const first = await openIndex();
      expect(first.index.eventsRead).toBe(121);
      expect(await first.index.poolsOfSession('s119')).toEqual([{ accountId: 'a1', productId: 'p' }]);
      await first.index.stop();
      await first.store.close();
      opened.splice(0);
      const { index } = await openIndex();
      expect(index.eventsRead).toBe(0);
      expect(await index.accountOf('a1')).toBe('a1');
    });

    it('keeps one answer when two processes feed one store, and when a page is applied twice', async () => {
      const a = await openIndex();
      const b = await openIndex();
      await append('seatpool-a1-p', started('a1', 'p', 's1'));
      await append('seatpool-a1-p', session('UsageEnded', 'a1', 'p', 's1'));
      await Promise.all([a.index.catchUp(), b.index.catchUp()]);
      const position = await append('seatpool-a1-p', started('a1', 'p', 's2'));
      await b.index.catchUp();
      await a.index.catchUp(); // behind b: applies a page b already stored
      const pool = { accountId: 'a1', productId: 'p' };
      for (const { index } of [a, b]) {
        expect(await index.session(pool, 's1', position)).toMatchObject({ status: 'ENDED' });
        expect(await index.session(pool, 's2', position)).toMatchObject({ status: 'ACTIVE' });
      }
      // A stale page (start of s1 again) re-applied below the checkpoint changes nothing.
      const stale: IndexWrite = {
        kind: 'session',
        pool,
        sessionId: 's1',
        record: { userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: false, status: 'ACTIVE' },
        lastActivityMs: ms(T),
        position: 1n,
      };
      await a.store.apply([stale], 1n);
      expect(await a.store.session(pool, 's1')).toMatchObject({ status: 'ENDED' });
      expect(await a.store.checkpoint()).toBe(position);
    });

    it('rebuilds an index that is ahead of the log it is opened with (it was built from another log)', async () => {
      const first = await openIndex();
      await append('account-a1', { type: 'AccountOpened', data: { accountId: 'a1', name: 'A', entitlementCountry: 'US', openedAt: 'x' } });
      await first.index.catchUp();
      await first.index.stop();
      opened.splice(0);
      await events.close();
      events = counting(new SqliteEventStore(join(dir, 'other-events.sqlite'), { pollIntervalMs: 10 }));
      await first.store.close();
      const { index } = await openIndex();
      expect(await index.accountOf('a1')).toBeUndefined();
      await append('account-b1', { type: 'AccountOpened', data: { accountId: 'b1', name: 'B', entitlementCountry: 'US', openedAt: 'x' } });
      expect(await index.accountOf('b1')).toBe('b1');
    });

    it('stores snapshots: the latest revision of a stream wins, a snapshot of another state version replaces it', async () => {
      const { store } = await openIndex();
      const snapshot = (revision: bigint, stateVersion = 2, bytes = [1, 2, 3]): Snapshot => ({
        streamId: 'seatpool-a1-p',
        stateVersion,
        revision,
        position: revision + 100n,
        lastHash: `h${revision}`,
        state: new Uint8Array(bytes),
      });
      expect(await store.loadSnapshot('seatpool-a1-p')).toBeUndefined();
      await store.saveSnapshot(snapshot(10n));
      await store.saveSnapshot(snapshot(5n, 2, [9]));
      const loaded = await store.loadSnapshot('seatpool-a1-p');
      expect({ ...loaded, state: [...loaded!.state] }).toEqual({ ...snapshot(10n), state: [1, 2, 3] });
      await store.saveSnapshot(snapshot(3n, 3, [7]));
      expect(await store.loadSnapshot('seatpool-a1-p')).toMatchObject({ revision: 3n, stateVersion: 3 });
      await store.reset();
      expect(await store.loadSnapshot('seatpool-a1-p')).toBeUndefined();
      expect(await store.checkpoint()).toBeNull();
    });
  });
}
