import type { DomainEvent } from '@ses/events';
import { ADMINISTRATOR_ROLES, permits } from '../../authorization/authorization';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText, isCountryCode, isEmail, normalizeEmail } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { DeactivateUser, RegisterUser } from '../account.commands';
import type { AccountState } from '../account.state';
import { assertNewId, isGiven } from './input-rules';
import { assertKeepsAnAdministrator } from './last-administrator';

export function decideRegisterUser(c: RegisterUser, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageUsers');
  new Validator()
    .check(isEmail(c.email), 'email', 'not an email address')
    .check(isBoundedText(c.displayName, LIMITS.displayName), 'displayName', `1..${LIMITS.displayName} characters`)
    .check(!isGiven(c.country) || isCountryCode(c.country), 'country', 'ISO 3166-1 alpha-2, upper case')
    .throwIfInvalid();
  requireAccount(state);
  const email = normalizeEmail(c.email);
  // Within the account; the email-reservation stream covers other accounts.
  if (Object.values(state.users).some((u) => u.emailNormalized === email)) {
    throw new DomainError('EMAIL_ALREADY_REGISTERED', 'this email is already registered');
  }
  assertNewId(c.userId in state.users, 'user', c.userId);
  return [
    {
      type: 'UserRegistered',
      data: {
        accountId: state.accountId,
        userId: c.userId,
        email: c.email,
        displayName: c.displayName,
        country: c.country ?? state.entitlementCountry,
        registeredAt: c.now,
      },
    },
  ];
}

export function decideDeactivateUser(c: DeactivateUser, state: AccountState): DomainEvent[] {
  const who = authorizeOnAccount(state, c.actor, 'manageUsers');
  const target = state.users[c.userId];
  // A CO_ADMINISTRATOR may not deactivate either kind of administrator.
  if (target && target.roles.some((r) => ADMINISTRATOR_ROLES.includes(r)) && !permits(who, 'deactivateAdministrators')) {
    throw forbidden('only an ACCOUNT_ADMINISTRATOR may deactivate an administrator');
  }
  requireAccount(state);
  if (!target) throw notFound('user');
  if (!target.active) return [];
  assertKeepsAnAdministrator(state, target.userId);
  return [{ type: 'UserDeactivated', data: { accountId: state.accountId, userId: target.userId } }];
}
