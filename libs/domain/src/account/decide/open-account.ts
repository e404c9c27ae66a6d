import type { DomainEvent } from '@ses/events';
import { actingOn, authorize } from '../../authorization/authorization';
import { LIMITS, Validator, isBoundedText, isCountryCode, isEmail } from '../../shared/validation';
import type { OpenAccount } from '../account.commands';
import type { AccountState } from '../account.state';
import { assertNewId } from './input-rules';

export function decideOpenAccount(c: OpenAccount, state: AccountState): DomainEvent[] {
  // No account yet: only the operator is anyone here.
  authorize(actingOn(c.accountId, c.actor.kind === 'operator' ? 'operator' : null), 'openAccount', 'only the operator may open accounts');
  new Validator()
    .check(isBoundedText(c.name, LIMITS.name), 'name', `1..${LIMITS.name} characters`)
    .check(isCountryCode(c.entitlementCountry), 'entitlementCountry', 'ISO 3166-1 alpha-2, upper case')
    .check(isEmail(c.contact.email), 'fulfillmentContact.email', 'not an email address')
    .check(isBoundedText(c.contact.displayName, LIMITS.displayName), 'fulfillmentContact.displayName', `1..${LIMITS.displayName} characters`)
    .throwIfInvalid();
  assertNewId(state.exists, 'account', c.accountId);

  const { accountId } = c;
  const { userId } = c.contact;
  return [
    { type: 'AccountOpened', data: { accountId, name: c.name, entitlementCountry: c.entitlementCountry, openedAt: c.now } },
    {
      type: 'UserRegistered',
      data: {
        accountId,
        userId,
        email: c.contact.email,
        displayName: c.contact.displayName,
        country: c.entitlementCountry,
        registeredAt: c.now,
      },
    },
    { type: 'RoleGranted', data: { accountId, userId, role: 'ACCOUNT_ADMINISTRATOR' } },
    { type: 'RoleGranted', data: { accountId, userId, role: 'SOFTWARE_DOWNLOAD' } },
  ];
}
