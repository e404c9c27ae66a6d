import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { canRead } from '../auth/access';
import type { UserDoc } from '../auth/viewer';
import type { Group, User } from '../graphql/types';
import { COLLECTIONS as C } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import type { GroupDoc } from './account-docs';
import { toGroup, toUser } from './account-mappers';

@Resolver('User')
export class UserResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  @Query()
  async me(@Context() ctx: QueryContext): Promise<User | null> {
    const viewer = await ctx.viewer();
    if (viewer.kind !== 'user') return null;
    const doc = await this.store.findOne<UserDoc>(C.users, { _id: viewer.userId });
    return doc && toUser(doc);
  }

  /** Self, or any user of the account for its managers. An id outside what the viewer may see is NOT_FOUND. */
  @Query()
  async user(@Args('id') id: string, @Context() ctx: QueryContext): Promise<User | null> {
    const viewer = await ctx.viewer();
    if (viewer.kind === 'user' && !viewer.active) throw new DomainError('USER_DEACTIVATED', 'this user is deactivated');
    const doc = await this.store.findOne<UserDoc>(C.users, { _id: id });
    if (viewer.kind === 'operator') return doc && toUser(doc);
    const visible = doc && viewer.kind === 'user' && (doc._id === viewer.userId || canRead(viewer, doc.accountId, 'manager'));
    if (!visible) throw new DomainError('NOT_FOUND', 'user not found');
    return toUser(doc);
  }

  @ResolveField()
  async groups(@Parent() user: User): Promise<Group[]> {
    if (user.groups) return user.groups; // a historical snapshot (accountAsOf) carries its own
    return (await this.store.find<GroupDoc>(C.groups, { accountId: user.accountId, memberIds: user.id }, { sort: { name: 1, _id: 1 } })).map(toGroup);
  }
}

@Resolver('Group')
export class GroupResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  @ResolveField()
  async members(@Parent() group: Group, @Context() ctx: QueryContext): Promise<User[]> {
    if (group.members) return group.members; // a snapshot: only managers reach one
    const viewer = await ctx.viewer();
    const filter = canRead(viewer, group.accountId, 'manager')
      ? { accountId: group.accountId, groupIds: group.id }
      : { _id: viewer.kind === 'user' ? viewer.userId : '', groupIds: group.id };
    return (await this.store.find<UserDoc>(C.users, filter, { sort: { registeredAt: 1, _id: 1 } })).map(toUser);
  }
}
