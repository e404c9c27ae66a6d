import type { DomainEvent } from '@ses/events';
import { DomainError, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { AddGroupMember, CreateGroup, RemoveGroupMember, SetGroupProducts } from '../account.commands';
import type { AccountState, GroupState, UserState } from '../account.state';
import { assertNewId, checkProductIds, dedupe } from './input-rules';

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

function requireGroup(state: AccountState, groupId: string): GroupState {
  const group = state.groups[groupId];
  if (!group) throw notFound('group');
  return group;
}

function requireUser(state: AccountState, userId: string): UserState {
  const user = state.users[userId];
  if (!user) throw notFound('user');
  return user;
}

export function decideCreateGroup(c: CreateGroup, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageGroups');
  const v = new Validator().check(isBoundedText(c.name, LIMITS.name), 'name', `1..${LIMITS.name} characters`);
  checkProductIds(v, 'productIds', c.productIds);
  v.throwIfInvalid();
  requireAccount(state);
  assertNewId(c.groupId in state.groups, 'group', c.groupId);
  return [
    {
      type: 'GroupCreated',
      data: { accountId: state.accountId, groupId: c.groupId, name: c.name, productIds: dedupe(c.productIds) },
    },
  ];
}

export function decideSetGroupProducts(c: SetGroupProducts, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageGroups');
  const v = new Validator();
  checkProductIds(v, 'productIds', c.productIds);
  v.throwIfInvalid();
  requireAccount(state);
  const group = requireGroup(state, c.groupId);
  const productIds = dedupe(c.productIds);
  if (sameSet(group.productIds, productIds)) return [];
  return [{ type: 'GroupProductsSet', data: { accountId: state.accountId, groupId: group.groupId, productIds } }];
}

export function decideAddGroupMember(c: AddGroupMember, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageGroups');
  requireAccount(state);
  const group = requireGroup(state, c.groupId);
  const user = requireUser(state, c.userId);
  if (!user.active) throw new DomainError('USER_DEACTIVATED', 'cannot add a deactivated user to a group');
  if (group.memberIds.includes(user.userId)) return [];
  return [{ type: 'GroupMemberAdded', data: { accountId: state.accountId, groupId: group.groupId, userId: user.userId } }];
}

export function decideRemoveGroupMember(c: RemoveGroupMember, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageGroups');
  requireAccount(state);
  const group = requireGroup(state, c.groupId);
  const user = requireUser(state, c.userId);
  if (!group.memberIds.includes(user.userId)) return [];
  return [{ type: 'GroupMemberRemoved', data: { accountId: state.accountId, groupId: group.groupId, userId: user.userId } }];
}
