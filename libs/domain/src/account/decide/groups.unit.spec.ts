import type { AddGroupMember, CreateGroup, RemoveGroupMember, SetGroupProducts } from '../account.commands';
import { ACCOUNT, NOW, PLAIN, admin, coAdmin, deactivated, given, groupCreated, memberAdded, operator, plain, standardAccount } from '../testing/fixtures';

const create = (over: Partial<CreateGroup> = {}): CreateGroup => ({
  type: 'CreateGroup',
  actor: admin,
  now: NOW,
  groupId: 'g-1',
  name: 'Design',
  productIds: ['MSTN'],
  ...over,
});
const setProducts = (productIds: string[], over: Partial<SetGroupProducts> = {}): SetGroupProducts => ({
  type: 'SetGroupProducts',
  actor: admin,
  now: NOW,
  groupId: 'g-1',
  productIds,
  ...over,
});
const add = (userId: string, over: Partial<AddGroupMember> = {}): AddGroupMember => ({
  type: 'AddGroupMember',
  actor: admin,
  now: NOW,
  groupId: 'g-1',
  userId,
  ...over,
});
const remove = (userId: string, over: Partial<RemoveGroupMember> = {}): RemoveGroupMember => ({
  type: 'RemoveGroupMember',
  actor: admin,
  now: NOW,
  groupId: 'g-1',
  userId,
  ...over,
});
const withGroup = () => [...standardAccount(), groupCreated('g-1', ['MSTN'])];

describe('CreateGroup', () => {
  it('creates a group with deduplicated products', () => {
    given(standardAccount())
      .when(create({ productIds: ['MSTN', 'OPENROADS', 'MSTN'] }))
      .then([{ type: 'GroupCreated', data: { accountId: ACCOUNT, groupId: 'g-1', name: 'Design', productIds: ['MSTN', 'OPENROADS'] } }]);
  });

  it.each([
    ['operator', operator],
    ['CO_ADMINISTRATOR', coAdmin],
  ])('may be done by %s', (_, actor) => {
    given(standardAccount())
      .when(create({ actor }))
      .then([{ type: 'GroupCreated', data: { accountId: ACCOUNT, groupId: 'g-1', name: 'Design', productIds: ['MSTN'] } }]);
  });

  it('is refused to a user without an administrator role', () => {
    given(standardAccount())
      .when(create({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });

  it('validates name and products', () => {
    given(standardAccount())
      .when(create({ name: '', productIds: ['MSTN', ' '] }))
      .thenThrows('BAD_USER_INPUT', ['name', 'productIds']);
  });

  it('limits the number of products', () => {
    const productIds = Array.from({ length: 501 }, (_, i) => `P${i}`);
    given(standardAccount()).when(create({ productIds })).thenThrows('BAD_USER_INPUT', ['productIds']);
  });

  it('treats a reused groupId as a shell bug', () => {
    given(withGroup()).when(create()).thenFails();
  });
});

describe('SetGroupProducts', () => {
  it('replaces the products, deduplicated', () => {
    given(withGroup())
      .when(setProducts(['OPENROADS', 'OPENROADS']))
      .then([{ type: 'GroupProductsSet', data: { accountId: ACCOUNT, groupId: 'g-1', productIds: ['OPENROADS'] } }]);
  });

  it('may empty the list', () => {
    given(withGroup())
      .when(setProducts([]))
      .then([{ type: 'GroupProductsSet', data: { accountId: ACCOUNT, groupId: 'g-1', productIds: [] } }]);
  });

  it('emits nothing when the products are unchanged', () => {
    given(withGroup())
      .when(setProducts(['MSTN', 'MSTN']))
      .then([]);
  });

  it('rejects an unknown group', () => {
    given(standardAccount())
      .when(setProducts(['MSTN']))
      .thenThrows('NOT_FOUND');
  });

  it('validates the products before looking up the group', () => {
    given(standardAccount())
      .when(setProducts(['']))
      .thenThrows('BAD_USER_INPUT', ['productIds']);
  });

  it('is refused to a user without an administrator role', () => {
    given(withGroup())
      .when(setProducts(['X'], { actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});

describe('AddGroupMember', () => {
  it('adds a user', () => {
    given(withGroup())
      .when(add(PLAIN))
      .then([memberAdded('g-1', PLAIN)]);
  });

  it('adds an existing member no second time', () => {
    given([...withGroup(), memberAdded('g-1', PLAIN)])
      .when(add(PLAIN))
      .then([]);
  });

  it('refuses a deactivated user', () => {
    given([...withGroup(), deactivated(PLAIN)])
      .when(add(PLAIN))
      .thenThrows('USER_DEACTIVATED');
  });

  it('rejects an unknown group or user', () => {
    given(standardAccount()).when(add(PLAIN)).thenThrows('NOT_FOUND');
    given(withGroup()).when(add('u-ghost')).thenThrows('NOT_FOUND');
  });

  it('is refused to a user without an administrator role', () => {
    given(withGroup())
      .when(add(PLAIN, { actor: plain }))
      .thenThrows('FORBIDDEN');
  });

  it('may be done by a CO_ADMINISTRATOR', () => {
    given(withGroup())
      .when(add(PLAIN, { actor: coAdmin }))
      .then([memberAdded('g-1', PLAIN)]);
  });
});

describe('RemoveGroupMember', () => {
  it('removes a member', () => {
    given([...withGroup(), memberAdded('g-1', PLAIN)])
      .when(remove(PLAIN))
      .then([{ type: 'GroupMemberRemoved', data: { accountId: ACCOUNT, groupId: 'g-1', userId: PLAIN } }]);
  });

  it('removes a deactivated member too', () => {
    given([...withGroup(), memberAdded('g-1', PLAIN), deactivated(PLAIN)])
      .when(remove(PLAIN))
      .then([{ type: 'GroupMemberRemoved', data: { accountId: ACCOUNT, groupId: 'g-1', userId: PLAIN } }]);
  });

  it('removing a non-member is a no-op', () => {
    given(withGroup()).when(remove(PLAIN)).then([]);
  });

  it('rejects an unknown group or user', () => {
    given(standardAccount()).when(remove(PLAIN)).thenThrows('NOT_FOUND');
    given(withGroup()).when(remove('u-ghost')).thenThrows('NOT_FOUND');
  });

  it('is refused to a user without an administrator role', () => {
    given([...withGroup(), memberAdded('g-1', PLAIN)])
      .when(remove(PLAIN, { actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});
