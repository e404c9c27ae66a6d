import { Inject } from '@nestjs/common';
import { Args, Context, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { GraphQLResolveInfo } from 'graphql';
import { selectsField } from '../audit/selection';
import { assertCanRead, canRead } from '../auth/access';
import type { UserDoc } from '../auth/viewer';
import type { Account, AlertRule, Entitlement, Group, User } from '../graphql/types';
import { seatsInUseOf } from '../licensing/seats-in-use';
import { COLLECTIONS as C } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import type { AccountDoc, AlertRuleDoc, EntitlementDoc, GroupDoc } from './account-docs';
import { toAlertRule, toEntitlement, toGroup, toUser } from './account-mappers';

@Resolver('Account')
export class AccountResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  @Query()
  async account(@Args('id') id: string, @Context() ctx: QueryContext): Promise<Account | null> {
    assertCanRead(await ctx.viewer(), id, 'member');
    const doc = await this.store.findOne<AccountDoc>(C.accounts, { _id: id });
    return doc && ({ id: doc._id, name: doc.name, entitlementCountry: doc.entitlementCountry, openedAt: doc.openedAt } as Account);
  }

  /** Fills seatsInUse for all entitlements at once when it is selected (else EntitlementSeatsResolver would read per entitlement). */
  @ResolveField()
  async entitlements(@Parent() account: Account, @Info() info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Promise<Entitlement[]> {
    if (account.entitlements) return account.entitlements; // a historical snapshot (accountAsOf) carries its own
    const docs = await this.store.find<EntitlementDoc>(C.entitlements, { accountId: account.id }, { sort: { startsAt: 1, _id: 1 } });
    const entitlements = docs.map(toEntitlement);
    if (!selectsField(info, 'seatsInUse')) return entitlements;
    const seats = await seatsInUseOf(
      this.store,
      account.id,
      entitlements.map((e) => e.productId),
      new Date().toISOString(),
    );
    return entitlements.map((e) => ({ ...e, seatsInUse: seats.get(e.productId) ?? 0 }));
  }

  /** Managers see every user; a plain member sees only themself. */
  @ResolveField()
  async users(@Parent() account: Account, @Context() ctx: QueryContext): Promise<User[]> {
    if (account.users) return account.users; // a snapshot: only managers reach one
    const viewer = await ctx.viewer();
    const filter = canRead(viewer, account.id, 'manager')
      ? { accountId: account.id }
      : { accountId: account.id, _id: viewer.kind === 'user' ? viewer.userId : '' };
    return (await this.store.find<UserDoc>(C.users, filter, { sort: { registeredAt: 1, _id: 1 } })).map(toUser);
  }

  /** Managers see every group; a plain member sees the groups they belong to. */
  @ResolveField()
  async groups(@Parent() account: Account, @Context() ctx: QueryContext): Promise<Group[]> {
    if (account.groups) return account.groups;
    const viewer = await ctx.viewer();
    const filter = canRead(viewer, account.id, 'manager')
      ? { accountId: account.id }
      : { accountId: account.id, memberIds: viewer.kind === 'user' ? viewer.userId : '' };
    return (await this.store.find<GroupDoc>(C.groups, filter, { sort: { name: 1, _id: 1 } })).map(toGroup);
  }

  @ResolveField()
  async alertRules(@Parent() account: Account, @Context() ctx: QueryContext): Promise<AlertRule[]> {
    if (account.alertRules) return account.alertRules;
    if (!canRead(await ctx.viewer(), account.id, 'manager')) return [];
    return (await this.store.find<AlertRuleDoc>(C.alertRules, { accountId: account.id }, { sort: { productId: 1, _id: 1 } })).map(toAlertRule);
  }
}
