import type { ReadStore } from '@ses/read-store';
import { COLLECTIONS as C, poolKey } from '../projections/projection';
import { checkoutStatusAt, type CheckoutDoc, type SessionDoc } from '../seats/seat-docs';

type Holding = Pick<SessionDoc, 'userId' | 'productId' | 'status'>;

/**
 * Seats in use per product (contract): distinct users with an ACTIVE session or an
 * ACTIVE check-out whose expiresAt is still ahead of `now`. The same rule as
 * SeatHolders.of, for many products at once.
 */
export function countSeatsInUse(sessions: readonly Holding[], checkouts: readonly CheckoutDoc[], now: string): Map<string, number> {
  const users = new Map<string, Set<string>>();
  const hold = (productId: string, userId: string) => users.set(productId, (users.get(productId) ?? new Set()).add(userId));
  for (const s of sessions) if (s.status === 'ACTIVE') hold(s.productId, s.userId);
  for (const c of checkouts) if (checkoutStatusAt(c, now) === 'ACTIVE') hold(c.productId, c.userId);
  return new Map([...users].map(([productId, holders]) => [productId, holders.size]));
}

/** Seats in use of several products of one account, in two indexed reads (not two per product). */
export async function seatsInUseOf(store: ReadStore, accountId: string, productIds: readonly string[], now: string): Promise<Map<string, number>> {
  const keys = [...new Set(productIds)].map((productId) => poolKey(accountId, productId));
  if (keys.length === 0) return new Map();
  const [sessions, checkouts] = await Promise.all([
    store.find<SessionDoc>(C.sessions, { activeKey: { $in: keys } }),
    store.find<CheckoutDoc>(C.checkouts, { activeKey: { $in: keys } }),
  ]);
  return countSeatsInUse(sessions, checkouts, now);
}
