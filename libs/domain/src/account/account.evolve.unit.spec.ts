import type { DomainEvent } from '@ses/events';
import { evolveAccount } from './account.evolve';
import { type AccountState, initialAccountState } from './account.state';
import { ACCOUNT, ADMIN, NOW, PLAIN, deactivated, entitlementGranted, groupCreated, memberAdded, roleRevoked, standardAccount } from './testing/fixtures';

const replay = (events: DomainEvent[]): AccountState => events.reduce(evolveAccount, initialAccountState());

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const history: DomainEvent[] = [
  ...standardAccount(),
  entitlementGranted(),
  { type: 'EntitlementRevoked', data: { accountId: ACCOUNT, entitlementId: 'ent-1', productId: 'MSTN', reason: 'refund' } },
  groupCreated('g-1', ['MSTN']),
  { type: 'GroupProductsSet', data: { accountId: ACCOUNT, groupId: 'g-1', productIds: ['OPENROADS'] } },
  memberAdded('g-1', PLAIN),
  memberAdded('g-1', ADMIN),
  { type: 'GroupMemberRemoved', data: { accountId: ACCOUNT, groupId: 'g-1', userId: ADMIN } },
  roleRevoked(PLAIN, 'SOFTWARE_DOWNLOAD'),
  deactivated(PLAIN),
  { type: 'AlertRuleSet', data: { accountId: ACCOUNT, ruleId: 'r-1', productId: 'MSTN', thresholdSeats: 3, action: 'DENY', notifyUserIds: [PLAIN] } },
  { type: 'AlertRuleSet', data: { accountId: ACCOUNT, ruleId: 'r-2', productId: 'MSTN', thresholdSeats: 2, action: 'NOTIFY', notifyUserIds: [] } },
  { type: 'AlertRuleRemoved', data: { accountId: ACCOUNT, ruleId: 'r-2', productId: 'MSTN' } },
];

describe('evolveAccount', () => {
  it('builds the directory from its events', () => {
    const state = replay(history);
    expect(state).toMatchObject({ exists: true, accountId: ACCOUNT, name: 'Acme', entitlementCountry: 'DE', openedAt: NOW });
    expect(state.entitlements['ent-1']).toMatchObject({ productId: 'MSTN', seats: 5, revoked: true, revokedReason: 'refund' });
    expect(state.users[PLAIN]).toEqual({
      userId: PLAIN,
      email: 'u-plain@acme.test',
      emailNormalized: 'u-plain@acme.test',
      displayName: PLAIN,
      country: 'DE',
      active: false,
      roles: [],
      registeredAt: NOW,
      groupIds: ['g-1'],
    });
    expect(state.users[ADMIN]).toMatchObject({ roles: ['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD'], groupIds: [] });
    expect(state.groups['g-1']).toEqual({ groupId: 'g-1', name: 'g-1', productIds: ['OPENROADS'], memberIds: [PLAIN] });
    expect(state.alertRules).toEqual({
      'r-1': { ruleId: 'r-1', productId: 'MSTN', thresholdSeats: 3, action: 'DENY', notifyUserIds: [PLAIN] },
    });
  });

  it('normalizes the stored email for look-ups, keeping the registered spelling', () => {
    const state = replay([
      { type: 'UserRegistered', data: { accountId: ACCOUNT, userId: 'u', email: 'Ann@Acme.TEST', displayName: 'Ann', country: 'DE', registeredAt: NOW } },
    ]);
    expect(state.users.u).toMatchObject({ email: 'Ann@Acme.TEST', emailNormalized: 'ann@acme.test' });
  });

  it('never mutates the state it is given', () => {
    let state = deepFreeze(initialAccountState());
    for (const event of history) state = deepFreeze(evolveAccount(state, event));
    expect(state.exists).toBe(true);
  });

  it('returns plain serialisable objects', () => {
    const state = replay(history);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('ignores events of other streams', () => {
    const state = replay(standardAccount());
    const after = evolveAccount(state, { type: 'EmailReserved', data: { email: 'a@b.c', accountId: ACCOUNT, userId: 'x' } });
    expect(after).toBe(state);
  });

  it('starts empty', () => {
    expect(initialAccountState()).toEqual({
      exists: false,
      accountId: '',
      name: '',
      entitlementCountry: '',
      openedAt: '',
      entitlements: {},
      users: {},
      groups: {},
      alertRules: {},
      webhooks: {},
    });
  });

  it('keeps the webhooks that are set and forgets removed ones', () => {
    const set = (webhookId: string) => ({
      type: 'WebhookSet' as const,
      data: { accountId: ACCOUNT, webhookId, url: 'https://h.example/x', eventTypes: ['AlertRaised'], description: null },
    });
    const state = [set('w1'), set('w2'), { type: 'WebhookRemoved' as const, data: { accountId: ACCOUNT, webhookId: 'w1' } }].reduce(
      evolveAccount,
      initialAccountState(),
    );
    expect(state.webhooks).toEqual({ w2: { webhookId: 'w2', url: 'https://h.example/x', eventTypes: ['AlertRaised'], description: null } });
  });
});
