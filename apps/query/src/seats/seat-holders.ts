import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { COLLECTIONS as C, poolKey } from '../projections/projection';
import { checkoutStatusAt, type CheckoutDoc, type SessionDoc } from './seat-docs';

export interface Holder {
  userId: string;
  sessionIds: string[];
  checkoutId: string | null;
  since: string;
}

/**
 * Who holds a seat of a product now: distinct users with an active session or an
 * active, unexpired check-out (contract: "seats in use").
 */
@Injectable()
export class SeatHolders {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async of(accountId: string, productId: string, now: string): Promise<Holder[]> {
    const key = poolKey(accountId, productId);
    const [sessions, checkouts] = await Promise.all([
      this.store.find<SessionDoc>(C.sessions, { activeKey: key }),
      this.store.find<CheckoutDoc>(C.checkouts, { activeKey: key }),
    ]);
    const holders = new Map<string, Holder>();
    const holderOf = (userId: string, since: string) => {
      const holder = holders.get(userId) ?? { userId, sessionIds: [], checkoutId: null, since };
      if (since < holder.since) holder.since = since;
      holders.set(userId, holder);
      return holder;
    };
    for (const s of sessions) holderOf(s.userId, s.startedAt).sessionIds.push(s.sessionId);
    for (const c of checkouts) if (checkoutStatusAt(c, now) === 'ACTIVE') holderOf(c.userId, c.checkedOutAt).checkoutId = c._id;
    return [...holders.values()].sort((a, b) => a.since.localeCompare(b.since) || a.userId.localeCompare(b.userId));
  }

  async count(accountId: string, productId: string, now: string): Promise<number> {
    return (await this.of(accountId, productId, now)).length;
  }
}
