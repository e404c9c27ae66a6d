import { shapeOf } from '../shared/testing/state-shape';
import { accountDecider } from './account.decider';
import { ACCOUNT_STATE_VERSION } from './account.state';
import { entitlementGranted, given, groupCreated, memberAdded, opened, registered, roleGranted } from './testing/fixtures';

describe('AccountState and its version', () => {
  it('has the shape that ACCOUNT_STATE_VERSION names (a failure here: raise the version, then update this test)', () => {
    const { state } = given([
      opened(),
      registered('u1'),
      roleGranted('u1', 'CO_ADMINISTRATOR'),
      entitlementGranted(),
      groupCreated('g1', ['MSTN']),
      memberAdded('g1', 'u1'),
      { type: 'AlertRuleSet', data: { accountId: 'acc-1', ruleId: 'r1', productId: 'MSTN', thresholdSeats: 1, action: 'NOTIFY', notifyUserIds: ['u1'] } },
    ]);
    expect({ version: ACCOUNT_STATE_VERSION, shape: shapeOf(state) }).toEqual({
      version: 1,
      shape: {
        exists: 'boolean',
        accountId: 'string',
        name: 'string',
        entitlementCountry: 'string',
        openedAt: 'string',
        entitlements: {
          'ent-1': {
            entitlementId: 'string',
            productId: 'string',
            productName: 'string',
            seats: 'number',
            startsAt: 'string',
            endsAt: 'string',
            country: 'string',
            offlineDays: 'number',
            checkoutAllowed: 'boolean',
            maxCheckoutDays: 'number',
            revoked: 'boolean',
            revokedReason: 'null',
          },
        },
        users: {
          u1: {
            userId: 'string',
            email: 'string',
            emailNormalized: 'string',
            displayName: 'string',
            country: 'string',
            active: 'boolean',
            roles: ['string'],
            registeredAt: 'string',
            groupIds: ['string'],
          },
        },
        groups: { g1: { groupId: 'string', name: 'string', productIds: ['string'], memberIds: ['string'] } },
        alertRules: { r1: { ruleId: 'string', productId: 'string', thresholdSeats: 'number', action: 'string', notifyUserIds: ['string'] } },
      },
    });
  });

  it('is snapshotted under that version', () => {
    expect(accountDecider.stateVersion).toBe(ACCOUNT_STATE_VERSION);
  });
});
