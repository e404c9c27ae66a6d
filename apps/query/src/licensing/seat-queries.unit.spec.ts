import { parse, type FieldNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import type { ReadStore } from '@ses/read-store';
import { AccountResolver } from '../accounts/account.resolver';
import type { Account } from '../graphql/types';
import { CheckoutStatus } from '../graphql/types';
import type { ProjectionTestKit } from '../projections/testing/projection-test-kit';
import { SeatHolders } from '../seats/seat-holders';
import { SeatsResolver } from '../seats/seats.resolver';
import { countSeatsInUse, seatsInUseOf } from './seats-in-use';
import { A1, A2, contextOf, licensingFixture } from './testing/licensing-fixture';

const NOW = new Date().toISOString();

describe('seat holders, check-outs and alerts (read models of the licensing projection)', () => {
  let kit: ProjectionTestKit;
  let holders: SeatHolders;
  let seats: SeatsResolver;
  beforeAll(async () => {
    kit = await licensingFixture();
    holders = new SeatHolders(kit.store);
    seats = new SeatsResolver(kit.store, holders);
  });
  afterAll(() => kit.store.close());

  describe('seat holders', () => {
    it('lists distinct users with active sessions or unexpired check-outs, since the earliest start of what they hold', async () => {
      expect(await seats.seatHolders(A1, 'p-civil', contextOf(kit.store, 'u-admin'))).toEqual([
        { userId: 'u-bob', sessionIds: [], checkoutId: 'c1', since: '2026-11-23T08:00:00.000Z' },
        { userId: 'u-ann', sessionIds: expect.arrayContaining(['s1', 's2']), checkoutId: 'c4', since: '2026-11-23T09:00:00.000Z' },
      ]);
      expect(await seats.seatHolders(A1, 'p-road', contextOf(kit.store, 'u-aud'))).toEqual([
        { userId: 'u-admin', sessionIds: ['s3'], checkoutId: null, since: '2026-11-23T09:30:00.000Z' },
      ]);
      expect(await seats.seatHolders(A1, 'p-de', contextOf(kit.store, { operator: true }))).toEqual([]);
    });

    it('does not count an ACTIVE check-out once its expiresAt has passed, even before CheckoutExpired is recorded', async () => {
      expect((await holders.of(A1, 'p-civil', NOW)).map((h) => h.userId)).not.toContain('u-aud');
      expect((await holders.of(A1, 'p-civil', '2026-11-20T12:00:00.000Z')).map((h) => h.userId)).toContain('u-aud');
    });
  });

  describe('seats in use for many products at once', () => {
    it('agrees with the seat holders, per product, and never counts another account', async () => {
      const products = ['p-civil', 'p-road', 'p-de', 'p-civil'];
      const counts = await seatsInUseOf(kit.store, A1, products, NOW);
      for (const productId of products) expect(counts.get(productId) ?? 0).toBe(await holders.count(A1, productId, NOW));
      expect(Object.fromEntries(counts)).toEqual({ 'p-civil': 2, 'p-road': 1 });
      expect(Object.fromEntries(await seatsInUseOf(kit.store, A2, ['p-civil'], NOW))).toEqual({ 'p-civil': 1 });
      expect((await seatsInUseOf(kit.store, A1, [], NOW)).size).toBe(0);
    });

    it('counts a user once however many sessions and check-outs they hold, and skips ended ones', () => {
      const checkout = { _id: 'c', accountId: A1, userId: 'u1', productId: 'p', machineId: 'm', checkedOutAt: '2026-01-01T00:00:00Z', checkedInAt: null };
      const counts = countSeatsInUse(
        [
          { userId: 'u1', productId: 'p', status: 'ACTIVE' },
          { userId: 'u1', productId: 'p', status: 'ACTIVE' },
          { userId: 'u2', productId: 'p', status: 'ENDED' },
          { userId: 'u3', productId: 'q', status: 'TIMED_OUT' },
        ],
        [
          { ...checkout, status: 'ACTIVE', expiresAt: '2026-02-01T00:00:00Z' },
          { ...checkout, userId: 'u4', status: 'ACTIVE', expiresAt: '2026-01-15T00:00:00Z' },
          { ...checkout, userId: 'u5', status: 'CHECKED_IN', expiresAt: '2026-02-01T00:00:00Z' },
        ],
        '2026-01-15T00:00:00Z',
      );
      expect(Object.fromEntries(counts)).toEqual({ p: 1 });
    });

    it('fills Entitlement.seatsInUse for the whole account in two reads when selected, and not at all otherwise', async () => {
      const reads: string[] = [];
      const counting: ReadStore = new Proxy(kit.store, {
        get: (target, name, receiver) => {
          const value = Reflect.get(target, name, receiver);
          return typeof value === 'function' ? (...args: unknown[]) => (reads.push(`${String(name)}:${String(args[0])}`), value.apply(target, args)) : value;
        },
      });
      const accounts = new AccountResolver(counting);
      const entitlements = await accounts.entitlements({ id: A1 } as Account, infoOf('{ entitlements { productId seatsInUse } }'));
      expect(entitlements.map((e) => [e.productId, e.seatsInUse])).toEqual([
        ['p-civil', 2],
        ['p-road', 1],
        ['p-de', 0],
        ['p-old', 0],
        ['p-next', 0],
      ]);
      expect(reads.sort()).toEqual(['find:checkouts', 'find:entitlements', 'find:sessions']);

      reads.length = 0;
      const plain = await accounts.entitlements({ id: A1 } as Account, infoOf('{ entitlements { productId status } }'));
      expect(plain[0]).not.toHaveProperty('seatsInUse');
      expect(reads).toEqual(['find:entitlements']);
    });
  });

  describe('check-outs', () => {
    it("lists the account's check-outs oldest first, an ACTIVE one past expiresAt as EXPIRED", async () => {
      const all = await seats.checkouts(A1, null, null, contextOf(kit.store, 'u-aud'));
      expect(all.map((c) => [c.id, c.status])).toEqual([
        ['c2', 'EXPIRED'],
        ['c3', 'CHECKED_IN'],
        ['c1', 'ACTIVE'],
        ['c4', 'ACTIVE'],
      ]);
      expect(all.find((c) => c.id === 'c3')).toEqual({
        id: 'c3',
        accountId: A1,
        userId: 'u-ann',
        productId: 'p-civil',
        machineId: 'laptop-u-ann',
        checkedOutAt: '2026-11-22T08:00:00.000Z',
        expiresAt: '2099-01-01T00:00:00.000Z',
        checkedInAt: '2026-11-22T18:00:00.000Z',
        status: 'CHECKED_IN',
      });
    });

    it('filters by product and by the status as reported now', async () => {
      const ctx = contextOf(kit.store, 'u-admin');
      expect((await seats.checkouts(A1, 'p-civil', CheckoutStatus.EXPIRED, ctx)).map((c) => c.id)).toEqual(['c2']);
      expect((await seats.checkouts(A1, null, CheckoutStatus.ACTIVE, ctx)).map((c) => c.id)).toEqual(['c1', 'c4']);
      expect(await seats.checkouts(A1, 'p-road', null, ctx)).toEqual([]);
    });
  });

  describe('alerts', () => {
    it("lists the account's alerts oldest first, within [from, to)", async () => {
      const ctx = contextOf(kit.store, 'u-aud');
      expect((await seats.alerts(A1, null, null, ctx)).map((a) => a.id)).toEqual(['al-1', 'al-2']);
      expect((await seats.alerts(A1, '2026-11-21T00:00:00.000Z', null, ctx)).map((a) => a.id)).toEqual(['al-2']);
      expect((await seats.alerts(A1, null, '2026-11-22T10:00:00.000Z', ctx)).map((a) => a.id)).toEqual(['al-1']);
      expect((await seats.alerts(A1, null, null, ctx))[0]).toEqual({
        id: 'al-1',
        accountId: A1,
        ruleId: 'r-notify',
        productId: 'p-civil',
        raisedAt: '2026-11-20T10:00:00.000Z',
        seatsInUse: 1,
        thresholdSeats: 1,
        seats: 2,
      });
    });

    it('rejects a window that ends before it starts', async () => {
      await expect(seats.alerts(A1, '2026-11-22T00:00:00.000Z', '2026-11-21T00:00:00.000Z', contextOf(kit.store, 'u-aud'))).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
    });
  });

  describe('authorization (manager reads)', () => {
    it.each([
      ['a plain user of the account', 'u-ann', 'FORBIDDEN'],
      ['an administrator of another account', 'u-zed', 'FORBIDDEN'],
      ['a deactivated user', 'u-gone', 'USER_DEACTIVATED'],
    ])('refuses %s', async (_who, userId, code) => {
      const ctx = contextOf(kit.store, userId);
      await expect(seats.checkouts(A1, null, null, ctx)).rejects.toMatchObject({ code });
      await expect(seats.seatHolders(A1, 'p-civil', ctx)).rejects.toMatchObject({ code });
      await expect(seats.alerts(A1, null, null, ctx)).rejects.toMatchObject({ code });
    });

    it('refuses a principal that is not a registered user', async () => {
      await expect(seats.seatHolders(A1, 'p-civil', contextOf(kit.store, { unregistered: true }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});

function infoOf(query: string): Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments: {} };
}
