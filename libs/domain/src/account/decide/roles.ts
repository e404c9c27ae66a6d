import type { DomainEvent } from '@ses/events';
import { isRole, permits, ROLE_PERMISSIONS } from '../../authorization/authorization';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { Validator } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { GrantRole, RevokeRole } from '../account.commands';
import type { AccountState, UserState } from '../account.state';
import { assertKeepsAnAdministrator } from './last-administrator';

/** Administrators may manage roles at all; which roles each may grant or revoke is ROLE_PERMISSIONS. */
function checkRoleCommand(c: GrantRole | RevokeRole, state: AccountState): UserState {
  const who = authorizeOnAccount(state, c.actor, 'manageOtherRoles');
  new Validator().check(isRole(c.role), 'role', 'unknown role').throwIfInvalid();
  if (!permits(who, ROLE_PERMISSIONS[c.role])) throw forbidden(`a CO_ADMINISTRATOR may not manage ${c.role}`);
  requireAccount(state);
  const target = state.users[c.userId];
  if (!target) throw notFound('user');
  return target;
}

export function decideGrantRole(c: GrantRole, state: AccountState): DomainEvent[] {
  const target = checkRoleCommand(c, state);
  if (!target.active) throw new DomainError('USER_DEACTIVATED', 'cannot grant a role to a deactivated user');
  if (target.roles.includes(c.role)) return [];
  return [{ type: 'RoleGranted', data: { accountId: state.accountId, userId: target.userId, role: c.role } }];
}

export function decideRevokeRole(c: RevokeRole, state: AccountState): DomainEvent[] {
  const target = checkRoleCommand(c, state);
  if (!target.roles.includes(c.role)) return [];
  if (c.role === 'ACCOUNT_ADMINISTRATOR') assertKeepsAnAdministrator(state, target.userId);
  return [{ type: 'RoleRevoked', data: { accountId: state.accountId, userId: target.userId, role: c.role } }];
}
