import type { DeactivateUser, RegisterUser } from '../account.commands';
import {
  ACCOUNT,
  ADMIN,
  CO_ADMIN,
  NOW,
  PLAIN,
  admin,
  coAdmin,
  deactivated,
  given,
  opened,
  operator,
  plain,
  registered,
  roleGranted,
  standardAccount,
} from '../testing/fixtures';

const register = (over: Partial<RegisterUser> = {}): RegisterUser => ({
  type: 'RegisterUser',
  actor: admin,
  now: NOW,
  userId: 'u-new',
  email: 'New@Acme.test',
  displayName: 'New',
  ...over,
});
const deactivate = (userId: string, over: Partial<DeactivateUser> = {}): DeactivateUser => ({
  type: 'DeactivateUser',
  actor: admin,
  now: NOW,
  userId,
  ...over,
});
const userRegistered = (country = 'DE') => ({
  type: 'UserRegistered' as const,
  data: { accountId: ACCOUNT, userId: 'u-new', email: 'New@Acme.test', displayName: 'New', country, registeredAt: NOW },
});

describe('RegisterUser', () => {
  it('registers with the account country by default, keeping the email as given', () => {
    given(standardAccount())
      .when(register())
      .then([userRegistered('DE')]);
  });

  it('takes a given country', () => {
    given(standardAccount())
      .when(register({ country: 'FR' }))
      .then([userRegistered('FR')]);
  });

  it.each([
    ['operator', operator],
    ['ACCOUNT_ADMINISTRATOR', admin],
    ['CO_ADMINISTRATOR', coAdmin],
  ])('may be done by %s', (_, actor) => {
    given(standardAccount()).when(register({ actor })).then([userRegistered()]);
  });

  it('is refused to a user without an administrator role', () => {
    given(standardAccount())
      .when(register({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });

  it('names every invalid field', () => {
    given(standardAccount())
      .when(register({ email: 'nope', displayName: ' ', country: 'ZZ' }))
      .thenThrows('BAD_USER_INPUT', ['email', 'displayName', 'country']);
  });

  it('refuses an email already registered in the account, case-insensitively', () => {
    given(standardAccount())
      .when(register({ email: 'U-PLAIN@acme.test' }))
      .thenThrows('EMAIL_ALREADY_REGISTERED');
  });

  it('refuses the email of a deactivated user too', () => {
    given([...standardAccount(), deactivated(PLAIN)])
      .when(register({ email: 'u-plain@acme.test' }))
      .thenThrows('EMAIL_ALREADY_REGISTERED');
  });

  it('needs an existing account', () => {
    given([])
      .when(register({ actor: operator }))
      .thenThrows('NOT_FOUND');
  });

  it('treats a reused userId as a shell bug', () => {
    given(standardAccount())
      .when(register({ userId: PLAIN }))
      .thenFails();
  });
});

describe('DeactivateUser', () => {
  const userDeactivated = (userId: string) => [deactivated(userId)];

  it('deactivates a user', () => {
    given(standardAccount()).when(deactivate(PLAIN)).then(userDeactivated(PLAIN));
  });

  it('is idempotent', () => {
    given([...standardAccount(), deactivated(PLAIN)])
      .when(deactivate(PLAIN))
      .then([]);
  });

  it('rejects an unknown user', () => {
    given(standardAccount()).when(deactivate('u-ghost')).thenThrows('NOT_FOUND');
  });

  it('refuses to deactivate the last active ACCOUNT_ADMINISTRATOR', () => {
    given(standardAccount()).when(deactivate(ADMIN)).thenThrows('LAST_ADMINISTRATOR');
    given(standardAccount())
      .when(deactivate(ADMIN, { actor: operator }))
      .thenThrows('LAST_ADMINISTRATOR');
  });

  it('lets an administrator go while another active one remains', () => {
    given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR')])
      .when(deactivate(ADMIN))
      .then(userDeactivated(ADMIN));
  });

  it('does not count a deactivated administrator as remaining', () => {
    given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR'), deactivated(PLAIN)])
      .when(deactivate(ADMIN, { actor: operator }))
      .thenThrows('LAST_ADMINISTRATOR');
  });

  it('lets a CO_ADMINISTRATOR deactivate a user without an administrator role', () => {
    given(standardAccount())
      .when(deactivate(PLAIN, { actor: coAdmin }))
      .then(userDeactivated(PLAIN));
  });

  it('forbids a CO_ADMINISTRATOR to deactivate an administrator of either kind', () => {
    const events = [...standardAccount(), registered('u-co2'), roleGranted('u-co2', 'CO_ADMINISTRATOR')];
    given(events)
      .when(deactivate('u-co2', { actor: coAdmin }))
      .thenThrows('FORBIDDEN');
    given(events)
      .when(deactivate(ADMIN, { actor: coAdmin }))
      .thenThrows('FORBIDDEN');
  });

  it('lets an ACCOUNT_ADMINISTRATOR deactivate a CO_ADMINISTRATOR', () => {
    given(standardAccount()).when(deactivate(CO_ADMIN)).then(userDeactivated(CO_ADMIN));
  });

  it('is refused to a user without an administrator role', () => {
    given(standardAccount())
      .when(deactivate(CO_ADMIN, { actor: plain }))
      .thenThrows('FORBIDDEN');
  });

  it('needs an existing account', () => {
    given([])
      .when(deactivate(PLAIN, { actor: operator }))
      .thenThrows('NOT_FOUND');
  });

  it('applies to the opened account only', () => {
    given([opened()])
      .when(deactivate(PLAIN, { actor: operator }))
      .thenThrows('NOT_FOUND');
  });
});
