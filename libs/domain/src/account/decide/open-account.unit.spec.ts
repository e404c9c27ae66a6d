import type { OpenAccount } from '../account.commands';
import { NOW, given, opened, operator, plain, unregistered } from '../testing/fixtures';

const openAccount = (over: Partial<OpenAccount> = {}): OpenAccount => ({
  type: 'OpenAccount',
  actor: operator,
  now: NOW,
  accountId: 'acc-1',
  name: 'Acme',
  entitlementCountry: 'DE',
  contact: { userId: 'u-1', email: 'Ann@Acme.test', displayName: 'Ann' },
  ...over,
});

describe('OpenAccount', () => {
  it('opens the account and registers the fulfilment contact as administrator with download rights', () => {
    given([])
      .when(openAccount())
      .then([
        { type: 'AccountOpened', data: { accountId: 'acc-1', name: 'Acme', entitlementCountry: 'DE', openedAt: NOW } },
        {
          type: 'UserRegistered',
          data: { accountId: 'acc-1', userId: 'u-1', email: 'Ann@Acme.test', displayName: 'Ann', country: 'DE', registeredAt: NOW },
        },
        { type: 'RoleGranted', data: { accountId: 'acc-1', userId: 'u-1', role: 'ACCOUNT_ADMINISTRATOR' } },
        { type: 'RoleGranted', data: { accountId: 'acc-1', userId: 'u-1', role: 'SOFTWARE_DOWNLOAD' } },
      ]);
  });

  it('is for the operator only', () => {
    given([])
      .when(openAccount({ actor: plain }))
      .thenThrows('FORBIDDEN');
    given([])
      .when(openAccount({ actor: unregistered }))
      .thenThrows('FORBIDDEN');
  });

  it('names every invalid field', () => {
    given([])
      .when(
        openAccount({
          name: ' ',
          entitlementCountry: 'de',
          contact: { userId: 'u-1', email: 'not-an-email', displayName: '' },
        }),
      )
      .thenThrows('BAD_USER_INPUT', ['name', 'entitlementCountry', 'fulfillmentContact.email', 'fulfillmentContact.displayName']);
  });

  it('rejects an over-long name', () => {
    given([])
      .when(openAccount({ name: 'x'.repeat(201) }))
      .thenThrows('BAD_USER_INPUT', ['name']);
  });

  it('treats a reused accountId as a shell bug (plain Error)', () => {
    given([opened()]).when(openAccount()).thenFails();
  });
});
