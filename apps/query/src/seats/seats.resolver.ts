import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError, isInstant } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { assertCanRead } from '../auth/access';
import type { Alert, Checkout, CheckoutStatus, SeatHolder } from '../graphql/types';
import { COLLECTIONS as C } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import { checkoutStatusAt, type AlertDoc, type CheckoutDoc } from './seat-docs';
import { SeatHolders } from './seat-holders';

/** Reads administrators use to find and release seats, and the alerts raised. Manager scope. */
@Resolver()
export class SeatsResolver {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly holders: SeatHolders,
  ) {}

  @Query()
  async checkouts(
    @Args('accountId') accountId: string,
    @Args('productId') productId: string | null,
    @Args('status') status: CheckoutStatus | null,
    @Context() ctx: QueryContext,
  ): Promise<Checkout[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    const now = new Date().toISOString();
    const docs = await this.store.find<CheckoutDoc>(C.checkouts, productId ? { accountId, productId } : { accountId }, { sort: { checkedOutAt: 1, _id: 1 } });
    return docs
      .map((d) => ({
        id: d._id,
        accountId: d.accountId,
        userId: d.userId,
        productId: d.productId,
        machineId: d.machineId,
        checkedOutAt: d.checkedOutAt,
        expiresAt: d.expiresAt,
        checkedInAt: d.checkedInAt,
        status: checkoutStatusAt(d, now) as CheckoutStatus,
      }))
      .filter((c) => !status || c.status === status);
  }

  @Query()
  async seatHolders(@Args('accountId') accountId: string, @Args('productId') productId: string, @Context() ctx: QueryContext): Promise<SeatHolder[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.holders.of(accountId, productId, new Date().toISOString());
  }

  @Query()
  async alerts(
    @Args('accountId') accountId: string,
    @Args('from') from: string | null,
    @Args('to') to: string | null,
    @Context() ctx: QueryContext,
  ): Promise<Alert[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    if (from && to && Date.parse(from) >= Date.parse(to)) throw new DomainError('BAD_USER_INPUT', 'from must be before to', ['from', 'to']);
    const raisedAt: Record<string, string> = {};
    if (from && isInstant(from)) raisedAt.$gte = new Date(from).toISOString();
    if (to && isInstant(to)) raisedAt.$lt = new Date(to).toISOString();
    const docs = await this.store.find<AlertDoc>(C.alerts, Object.keys(raisedAt).length ? { accountId, raisedAt } : { accountId }, {
      sort: { raisedAt: 1, _id: 1 },
    });
    return docs.map(({ _id, ...d }) => ({ id: _id, ...d }));
  }
}
