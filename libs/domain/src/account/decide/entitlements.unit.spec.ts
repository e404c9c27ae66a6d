import type { GrantEntitlement, RevokeEntitlement } from '../account.commands';
import { ACCOUNT, NOW, admin, entitlementGranted, given, opened, operator, standardAccount } from '../testing/fixtures';

const grant = (over: Partial<GrantEntitlement> = {}): GrantEntitlement => ({
  type: 'GrantEntitlement',
  actor: operator,
  now: NOW,
  entitlementId: 'ent-1',
  productId: 'MSTN',
  productName: 'MicroStation',
  seats: 5,
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2027-01-01T00:00:00Z',
  ...over,
});
const revoke = (over: Partial<RevokeEntitlement> = {}): RevokeEntitlement => ({
  type: 'RevokeEntitlement',
  actor: operator,
  now: NOW,
  entitlementId: 'ent-1',
  ...over,
});

describe('GrantEntitlement', () => {
  it('applies the defaults: account country, 7 offline days, check-out allowed for up to 30 days', () => {
    given([opened(ACCOUNT, 'DE')])
      .when(grant())
      .then([entitlementGranted()]);
  });

  it('takes the given options', () => {
    given([opened()])
      .when(grant({ country: 'FR', offlineDays: 30, checkoutAllowed: false, maxCheckoutDays: 365 }))
      .then([entitlementGranted({ country: 'FR', offlineDays: 30, checkoutAllowed: false, maxCheckoutDays: 365 })]);
  });

  it('treats null options as absent', () => {
    given([opened()])
      .when(grant({ country: null, offlineDays: null, checkoutAllowed: null, maxCheckoutDays: null }))
      .then([entitlementGranted()]);
  });

  it('is for the operator only, even for the account administrator', () => {
    given(standardAccount())
      .when(grant({ actor: admin }))
      .thenThrows('FORBIDDEN');
  });

  it.each([
    [{ seats: 0 }, 'seats'],
    [{ seats: 1.5 }, 'seats'],
    [{ seats: 1_000_001 }, 'seats'],
    [{ offlineDays: 0 }, 'offlineDays'],
    [{ offlineDays: 31 }, 'offlineDays'],
    [{ maxCheckoutDays: 0 }, 'maxCheckoutDays'],
    [{ maxCheckoutDays: 366 }, 'maxCheckoutDays'],
    [{ country: 'XX' }, 'country'],
    [{ productId: '' }, 'productId'],
    [{ productName: 'x'.repeat(201) }, 'productName'],
    [{ startsAt: 'yesterday' }, 'startsAt'],
    [{ endsAt: '2026-13-45' }, 'endsAt'],
    [{ endsAt: '2026-01-01T00:00:00Z' }, 'endsAt'],
    [{ endsAt: '2025-12-31T00:00:00Z' }, 'endsAt'],
  ])('rejects %j naming %s', (over, field) => {
    given([opened()])
      .when(grant(over as Partial<GrantEntitlement>))
      .thenThrows('BAD_USER_INPUT', [field]);
  });

  it('compares instants as times across offsets', () => {
    // 01:00+02:00 is 23:00Z the day before: not after startsAt.
    given([opened()])
      .when(grant({ startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00+02:00' }))
      .thenThrows('BAD_USER_INPUT', ['endsAt']);
  });

  it('accepts the range bounds', () => {
    given([opened()])
      .when(grant({ seats: 1_000_000, offlineDays: 1, maxCheckoutDays: 1 }))
      .then([entitlementGranted({ seats: 1_000_000, offlineDays: 1, maxCheckoutDays: 1 })]);
  });

  it('needs an existing account (NOT_FOUND), after validation', () => {
    given([]).when(grant()).thenThrows('NOT_FOUND');
    given([])
      .when(grant({ seats: 0 }))
      .thenThrows('BAD_USER_INPUT', ['seats']);
  });

  it('treats a reused entitlementId as a shell bug', () => {
    given([opened(), entitlementGranted()]).when(grant()).thenFails();
  });
});

describe('RevokeEntitlement', () => {
  it('revokes, carrying productId and the reason', () => {
    given([opened(), entitlementGranted()])
      .when(revoke({ reason: 'refund' }))
      .then([{ type: 'EntitlementRevoked', data: { accountId: ACCOUNT, entitlementId: 'ent-1', productId: 'MSTN', reason: 'refund' } }]);
  });

  it('records a missing reason as null', () => {
    given([opened(), entitlementGranted()])
      .when(revoke())
      .then([{ type: 'EntitlementRevoked', data: { accountId: ACCOUNT, entitlementId: 'ent-1', productId: 'MSTN', reason: null } }]);
  });

  it('is idempotent', () => {
    given([
      opened(),
      entitlementGranted(),
      { type: 'EntitlementRevoked', data: { accountId: ACCOUNT, entitlementId: 'ent-1', productId: 'MSTN', reason: null } },
    ])
      .when(revoke())
      .then([]);
  });

  it('rejects an unknown entitlement', () => {
    given([opened()]).when(revoke()).thenThrows('NOT_FOUND');
  });

  it('rejects an over-long reason', () => {
    given([opened(), entitlementGranted()])
      .when(revoke({ reason: 'x'.repeat(1001) }))
      .thenThrows('BAD_USER_INPUT', ['reason']);
  });

  it('is for the operator only', () => {
    given([...standardAccount(), entitlementGranted()])
      .when(revoke({ actor: admin }))
      .thenThrows('FORBIDDEN');
  });
});
