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

  it('folds in place: returns the state it was given, and keeps no reference to the events', () => {
    const initial = initialAccountState();
    const events = structuredClone(history);
    let state = initial;
    for (const event of events) state = evolveAccount(state, event);
    expect(state).toBe(initial);
    deepFreeze(events); // the state holds copies: folding on (pushing to its lists) cannot change an event
    expect(() => evolveAccount(state, memberAdded('g-1', ADMIN))).not.toThrow();
    expect(() => evolveAccount(state, { type: 'RoleGranted', data: { accountId: ACCOUNT, userId: PLAIN, role: 'AUDITOR' } })).not.toThrow();
    expect(state.groups['g-1'].memberIds).toEqual([PLAIN, ADMIN]);
  });

  it('costs no more per event as the directory grows: 10,000 users registered, given roles and a group each, fold at once', () => {
    // Copying the directory per event made this fold quadratic (tens of seconds); in place it is linear.
    // Checked by work counted, not time: every user and the group end up as one fold of 30,000 events leaves them.
    let state = replay([groupCreated('g-big', ['MSTN'])]);
    for (let i = 0; i < 10_000; i++) {
      const userId = `u-${i}`;
      state = evolveAccount(state, {
        type: 'UserRegistered',
        data: { accountId: ACCOUNT, userId, email: `${userId}@acme.test`, displayName: userId, country: 'DE', registeredAt: NOW },
      });
      state = evolveAccount(state, { type: 'RoleGranted', data: { accountId: ACCOUNT, userId, role: 'SOFTWARE_DOWNLOAD' } });
      state = evolveAccount(state, memberAdded('g-big', userId));
    }
    expect(Object.keys(state.users)).toHaveLength(10_000);
    expect(state.groups['g-big'].memberIds).toHaveLength(10_000);
    expect(state.users['u-9999']).toMatchObject({ roles: ['SOFTWARE_DOWNLOAD'], groupIds: ['g-big'] });
  });

  it('records domains, auto-approval and registration requests through their decision', () => {
    const requested = (requestId: string, email: string) => ({
      type: 'RegistrationRequested' as const,
      data: { accountId: ACCOUNT, requestId, email, displayName: 'Pat', country: 'DE', requestedAt: NOW },
    });
    const state = replay([
      ...standardAccount(),
      { type: 'AccountDomainsSet', data: { accountId: ACCOUNT, domains: ['acme.test'], autoApprove: true } },
      requested('r-1', 'Pat@Acme.test'),
      requested('r-2', 'kim@acme.test'),
      { type: 'RegistrationApproved', data: { accountId: ACCOUNT, requestId: 'r-1', userId: 'u-pat', decidedBy: ADMIN, decidedByName: ADMIN, decidedAt: NOW } },
      { type: 'RegistrationRejected', data: { accountId: ACCOUNT, requestId: 'r-2', reason: 'who?', decidedBy: ADMIN, decidedByName: ADMIN, decidedAt: NOW } },
    ]);
    expect(state).toMatchObject({ domains: ['acme.test'], autoApprove: true });
    expect(state.registrationRequests['r-1']).toEqual({
      requestId: 'r-1',
      email: 'pat@acme.test',
      displayName: 'Pat',
      country: 'DE',
      status: 'APPROVED',
      requestedAt: NOW,
      userId: 'u-pat',
      decidedAt: NOW,
      decidedBy: ADMIN,
      reason: null,
    });
    expect(state.registrationRequests['r-2']).toMatchObject({ status: 'REJECTED', userId: null, reason: 'who?' });
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
      domains: [],
      autoApprove: false,
      registrationRequests: {},
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
