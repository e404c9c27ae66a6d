import { directoryProjection } from './directory.projection';
import { ProjectionTestKit } from './testing/projection-test-kit';

describe('directory projection', () => {
  let kit: ProjectionTestKit;
  beforeEach(async () => (kit = await ProjectionTestKit.open()));
  afterEach(() => kit.store.close());

  const opened = () => [
    kit.event('AccountOpened', { accountId: 'a1', name: 'Acme', entitlementCountry: 'US', openedAt: '2026-01-01T00:00:00Z' }),
    kit.event('UserRegistered', {
      accountId: 'a1',
      userId: 'u1',
      email: 'Ann@Acme.com',
      displayName: 'Ann',
      country: 'US',
      registeredAt: '2026-01-01T00:00:00Z',
    }),
    kit.event('RoleGranted', { accountId: 'a1', userId: 'u1', role: 'ACCOUNT_ADMINISTRATOR' }),
  ];

  it('keeps an account, its users with normalized emails and their roles', async () => {
    await kit.apply(
      directoryProjection,
      ...opened(),
      kit.event('RoleGranted', { accountId: 'a1', userId: 'u1', role: 'AUDITOR' }),
      kit.event('RoleRevoked', { accountId: 'a1', userId: 'u1', role: 'ACCOUNT_ADMINISTRATOR' }),
    );
    expect(await kit.store.findOne('accounts', { _id: 'a1' })).toEqual({ _id: 'a1', name: 'Acme', entitlementCountry: 'US', openedAt: '2026-01-01T00:00:00Z' });
    expect(await kit.store.findOne('users', { _id: 'u1' })).toMatchObject({
      accountId: 'a1',
      email: 'Ann@Acme.com',
      emailNormalized: 'ann@acme.com',
      status: 'ACTIVE',
      roles: ['AUDITOR'],
      groupIds: [],
    });
  });

  it('marks deactivated users and revoked entitlements', async () => {
    await kit.apply(
      directoryProjection,
      ...opened(),
      kit.event('EntitlementGranted', {
        accountId: 'a1',
        entitlementId: 'e1',
        productId: 'p',
        productName: 'P',
        seats: 3,
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '2027-01-01T00:00:00Z',
        country: 'US',
        offlineDays: 7,
        checkoutAllowed: true,
        maxCheckoutDays: 30,
      }),
      kit.event('EntitlementRevoked', { accountId: 'a1', entitlementId: 'e1', productId: 'p', reason: 'refund' }),
      kit.event('UserDeactivated', { accountId: 'a1', userId: 'u1' }),
    );
    expect(await kit.store.findOne('entitlements', { _id: 'e1' })).toMatchObject({ seats: 3, revoked: true, revokedReason: 'refund' });
    expect(await kit.store.findOne('users', { _id: 'u1' })).toMatchObject({ status: 'DEACTIVATED' });
  });

  it('keeps group membership on both sides, and removes alert rules', async () => {
    await kit.apply(
      directoryProjection,
      ...opened(),
      kit.event('GroupCreated', { accountId: 'a1', groupId: 'g1', name: 'Roads', productIds: ['p'] }),
      kit.event('GroupMemberAdded', { accountId: 'a1', groupId: 'g1', userId: 'u1' }),
      kit.event('GroupProductsSet', { accountId: 'a1', groupId: 'g1', productIds: ['p', 'q'] }),
      kit.event('AlertRuleSet', { accountId: 'a1', ruleId: 'r1', productId: 'p', thresholdSeats: 2, action: 'NOTIFY', notifyUserIds: [] }),
    );
    expect(await kit.store.findOne('groups', { _id: 'g1' })).toMatchObject({ productIds: ['p', 'q'], memberIds: ['u1'] });
    expect(await kit.store.findOne('users', { _id: 'u1' })).toMatchObject({ groupIds: ['g1'] });
    expect(await kit.store.count('alertRules', { accountId: 'a1' })).toBe(1);
    await kit.apply(
      directoryProjection,
      kit.event('GroupMemberRemoved', { accountId: 'a1', groupId: 'g1', userId: 'u1' }),
      kit.event('AlertRuleRemoved', { accountId: 'a1', ruleId: 'r1', productId: 'p' }),
    );
    expect(await kit.store.findOne('groups', { _id: 'g1' })).toMatchObject({ memberIds: [] });
    expect(await kit.store.findOne('users', { _id: 'u1' })).toMatchObject({ groupIds: [] });
    expect(await kit.store.count('alertRules', { accountId: 'a1' })).toBe(0);
  });

  it('applies an event once even when its batch is committed again (crash between writes and checkpoint)', async () => {
    const events = opened();
    await kit.apply(directoryProjection, ...events);
    await kit.apply(directoryProjection, ...events);
    expect(await kit.store.findOne('users', { _id: 'u1' })).toMatchObject({ roles: ['ACCOUNT_ADMINISTRATOR'] });
  });
});
