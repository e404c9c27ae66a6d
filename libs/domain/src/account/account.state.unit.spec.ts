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
      { type: 'AccountDomainsSet', data: { accountId: 'acc-1', domains: ['acme.example'], autoApprove: false } },
      {
        type: 'RegistrationRequested',
        data: { accountId: 'acc-1', requestId: 'rq1', email: 'p@acme.example', displayName: 'P', country: 'US', requestedAt: '2026-01-01T00:00:00.000Z' },
      },
      { type: 'WebhookSet', data: { accountId: 'acc-1', webhookId: 'w1', url: 'https://hooks.example/x', eventTypes: ['AlertRaised'], description: null } },
    ]);
    expect({ version: ACCOUNT_STATE_VERSION, shape: shapeOf(state) }).toEqual({
      version: 2,
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
        domains: ['string'],
        autoApprove: 'boolean',
        registrationRequests: {
          rq1: {
            requestId: 'string',
            email: 'string',
            displayName: 'string',
            country: 'string',
            status: 'string',
            requestedAt: 'string',
            userId: 'null',
            decidedAt: 'null',
            decidedBy: 'null',
            reason: 'null',
          },
        },
        webhooks: { w1: { webhookId: 'string', url: 'string', eventTypes: ['string'], description: 'null' } },
      },
    });
  });

  it('is snapshotted under that version', () => {
    expect(accountDecider.stateVersion).toBe(ACCOUNT_STATE_VERSION);
  });
});
