import type { DomainEvent } from '@ses/events';
import { evolveAccount } from './account.evolve';
import { activeAdministratorIds, entitlementStatus, isActiveUser, policyProducts, rolesOf, seatsOwned, usageEligibility } from './account.queries';
import { type AccountState, initialAccountState } from './account.state';
import {
  ACCOUNT,
  ADMIN,
  CO_ADMIN,
  PLAIN,
  deactivated,
  entitlementGranted,
  groupCreated,
  memberAdded,
  registered,
  roleGranted,
  standardAccount,
} from './testing/fixtures';

const NOW = '2026-06-01T00:00:00Z';
const replay = (events: DomainEvent[]): AccountState => events.reduce(evolveAccount, initialAccountState());
const revoked = (entitlementId: string): DomainEvent => ({
  type: 'EntitlementRevoked',
  data: { accountId: ACCOUNT, entitlementId, productId: 'MSTN', reason: null },
});

describe('roles and activity', () => {
  const state = replay([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR'), deactivated(PLAIN)]);

  it("rolesOf lists a user's roles, none for an unknown user", () => {
    expect(rolesOf(state, ADMIN)).toEqual(['ACCOUNT_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD']);
    expect(rolesOf(state, 'u-ghost')).toEqual([]);
  });

  it('isActiveUser', () => {
    expect(isActiveUser(state, ADMIN)).toBe(true);
    expect(isActiveUser(state, PLAIN)).toBe(false);
    expect(isActiveUser(state, 'u-ghost')).toBe(false);
  });

  it('activeAdministratorIds counts active ACCOUNT_ADMINISTRATORs only', () => {
    expect(activeAdministratorIds(state)).toEqual([ADMIN]);
  });
});

describe('entitlementStatus', () => {
  const e = { startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', revoked: false };

  it('is PENDING before startsAt, ACTIVE from startsAt, EXPIRED from endsAt', () => {
    expect(entitlementStatus(e, '2025-12-31T23:59:59Z')).toBe('PENDING');
    expect(entitlementStatus(e, '2026-01-01T00:00:00Z')).toBe('ACTIVE');
    expect(entitlementStatus(e, '2026-12-31T23:59:59.999Z')).toBe('ACTIVE');
    expect(entitlementStatus(e, '2027-01-01T00:00:00Z')).toBe('EXPIRED');
  });

  it('lets REVOKED win over every time', () => {
    expect(entitlementStatus({ ...e, revoked: true }, '2025-01-01T00:00:00Z')).toBe('REVOKED');
    expect(entitlementStatus({ ...e, revoked: true }, NOW)).toBe('REVOKED');
  });

  it('compares instants across offsets', () => {
    expect(entitlementStatus(e, '2026-01-01T01:00:00+02:00')).toBe('PENDING');
  });
});

describe('seatsOwned', () => {
  it('sums the ACTIVE entitlements of the product in every country', () => {
    const state = replay([
      ...standardAccount(),
      entitlementGranted({ entitlementId: 'e1', seats: 5 }),
      entitlementGranted({ entitlementId: 'e2', seats: 3, country: 'FR' }),
      entitlementGranted({ entitlementId: 'e3', seats: 100, startsAt: '2026-07-01T00:00:00Z' }),
      entitlementGranted({ entitlementId: 'e4', seats: 100, endsAt: '2026-05-01T00:00:00Z' }),
      entitlementGranted({ entitlementId: 'e5', seats: 100 }),
      revoked('e5'),
      entitlementGranted({ entitlementId: 'e6', seats: 100, productId: 'OTHER' }),
    ]);
    expect(seatsOwned(state, 'MSTN', NOW)).toBe(8);
    expect(seatsOwned(state, 'NONE', NOW)).toBe(0);
  });
});

describe('usageEligibility (registered, active, entitled, group)', () => {
  const base = [...standardAccount(), entitlementGranted(), registered('u-fr', 'fr@acme.test', 'FR')];

  it('allows an active user entitled in their country and in no group', () => {
    expect(usageEligibility(replay(base), PLAIN, 'MSTN', NOW)).toEqual({ allowed: true });
  });

  it('denies NOT_REGISTERED for no user or an unknown one', () => {
    expect(usageEligibility(replay(base), null, 'MSTN', NOW)).toEqual({ allowed: false, denyReason: 'NOT_REGISTERED' });
    expect(usageEligibility(replay(base), 'u-ghost', 'MSTN', NOW)).toEqual({ allowed: false, denyReason: 'NOT_REGISTERED' });
  });

  it('denies USER_DEACTIVATED before anything else', () => {
    const state = replay([...base, deactivated(PLAIN)]);
    expect(usageEligibility(state, PLAIN, 'NONE', NOW)).toEqual({ allowed: false, denyReason: 'USER_DEACTIVATED' });
  });

  it("denies NOT_ENTITLED without an ACTIVE entitlement in the user's country", () => {
    expect(usageEligibility(replay(base), 'u-fr', 'MSTN', NOW)).toEqual({ allowed: false, denyReason: 'NOT_ENTITLED' });
    expect(usageEligibility(replay(base), PLAIN, 'OTHER', NOW)).toEqual({ allowed: false, denyReason: 'NOT_ENTITLED' });
    expect(usageEligibility(replay([...base, revoked('ent-1')]), PLAIN, 'MSTN', NOW)).toEqual({ allowed: false, denyReason: 'NOT_ENTITLED' });
    expect(usageEligibility(replay(base), PLAIN, 'MSTN', '2027-02-01T00:00:00Z')).toEqual({ allowed: false, denyReason: 'NOT_ENTITLED' });
  });

  it('checks entitlement before groups', () => {
    const state = replay([...base, groupCreated('g', []), memberAdded('g', PLAIN)]);
    expect(usageEligibility(state, PLAIN, 'OTHER', NOW)).toEqual({ allowed: false, denyReason: 'NOT_ENTITLED' });
  });

  it("restricts a group member to the union of their groups' products", () => {
    const state = replay([
      ...base,
      entitlementGranted({ entitlementId: 'e2', productId: 'OPENROADS' }),
      entitlementGranted({ entitlementId: 'e3', productId: 'SYNCHRO' }),
      groupCreated('g1', ['MSTN']),
      groupCreated('g2', ['OPENROADS']),
      memberAdded('g1', PLAIN),
      memberAdded('g2', PLAIN),
    ]);
    expect(usageEligibility(state, PLAIN, 'MSTN', NOW)).toEqual({ allowed: true });
    expect(usageEligibility(state, PLAIN, 'OPENROADS', NOW)).toEqual({ allowed: true });
    expect(usageEligibility(state, PLAIN, 'SYNCHRO', NOW)).toEqual({ allowed: false, denyReason: 'GROUP_RESTRICTED' });
    expect(usageEligibility(state, CO_ADMIN, 'SYNCHRO', NOW)).toEqual({ allowed: true });
  });
});

describe('policyProducts', () => {
  it("lists one row per product with an ACTIVE entitlement, sorted, with the user's allowance", () => {
    const state = replay([
      ...standardAccount(),
      entitlementGranted({ entitlementId: 'e1', productId: 'MSTN', offlineDays: 7 }),
      entitlementGranted({ entitlementId: 'e2', productId: 'MSTN', country: 'FR', offlineDays: 30, productName: 'MicroStation FR' }),
      entitlementGranted({ entitlementId: 'e3', productId: 'CIVIL', country: 'FR', productName: 'Civil', checkoutAllowed: false, maxCheckoutDays: 5 }),
      entitlementGranted({ entitlementId: 'e4', productId: 'LATER', startsAt: '2026-09-01T00:00:00Z' }),
      groupCreated('g', ['CIVIL']),
      memberAdded('g', CO_ADMIN),
    ]);
    expect(policyProducts(state, PLAIN, NOW)).toEqual([
      { productId: 'CIVIL', productName: 'Civil', allowed: false, denyReason: 'NOT_ENTITLED', offlineDays: 7, checkoutAllowed: false, maxCheckoutDays: 5 },
      { productId: 'MSTN', productName: 'MicroStation', allowed: true, denyReason: null, offlineDays: 7, checkoutAllowed: true, maxCheckoutDays: 30 },
    ]);
    expect(policyProducts(state, CO_ADMIN, NOW).map((p) => [p.productId, p.denyReason])).toEqual([
      ['CIVIL', 'NOT_ENTITLED'],
      ['MSTN', 'GROUP_RESTRICTED'],
    ]);
  });

  it("prefers the entitlement in the user's country for the settings", () => {
    const state = replay([
      ...standardAccount(),
      registered('u-fr', 'fr@acme.test', 'FR'),
      entitlementGranted({ entitlementId: 'e1', offlineDays: 7 }),
      entitlementGranted({ entitlementId: 'e2', country: 'FR', offlineDays: 30 }),
    ]);
    expect(policyProducts(state, 'u-fr', NOW)).toMatchObject([{ productId: 'MSTN', allowed: true, offlineDays: 30 }]);
    expect(policyProducts(state, PLAIN, NOW)).toMatchObject([{ productId: 'MSTN', allowed: true, offlineDays: 7 }]);
  });

  it('denies every row to an unknown user', () => {
    const state = replay([...standardAccount(), entitlementGranted()]);
    expect(policyProducts(state, null, NOW)).toMatchObject([{ productId: 'MSTN', allowed: false, denyReason: 'NOT_REGISTERED' }]);
  });
});
