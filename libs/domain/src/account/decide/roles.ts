import type { DomainEvent, Role } from '@ses/events';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { Validator } from '../../shared/validation';
import { ADMINISTRATOR_ROLES, authorizeOnAccount, isAccountAdministrator, requireAccount, type Authorized } from '../account.authorization';
import type { GrantRole, RevokeRole } from '../account.commands';
import { activeAdministratorIds } from '../account.queries';
import type { AccountState, UserState } from '../account.state';

// Kept here rather than importing ROLES from @ses/events, whose index pulls in node:crypto.
const KNOWN_ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD', 'AUDITOR'];
const CO_ADMINISTRATOR_GRANTABLE: readonly Role[] = ['SOFTWARE_DOWNLOAD', 'AUDITOR'];

/** Operator and ACCOUNT_ADMINISTRATOR manage every role; a CO_ADMINISTRATOR only SOFTWARE_DOWNLOAD and AUDITOR. */
export const mayManageRole = (who: Authorized, role: Role): boolean => isAccountAdministrator(who) || CO_ADMINISTRATOR_GRANTABLE.includes(role);

function checkRoleCommand(c: GrantRole | RevokeRole, state: AccountState): UserState {
  const who = authorizeOnAccount(state, c.actor, ADMINISTRATOR_ROLES);
  new Validator().check(KNOWN_ROLES.includes(c.role), 'role', 'unknown role').throwIfInvalid();
  if (!mayManageRole(who, c.role)) throw forbidden(`a CO_ADMINISTRATOR may not manage ${c.role}`);
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
  const admins = activeAdministratorIds(state);
  if (c.role === 'ACCOUNT_ADMINISTRATOR' && admins.length === 1 && admins[0] === target.userId) {
    throw new DomainError('LAST_ADMINISTRATOR', 'the account must keep an active ACCOUNT_ADMINISTRATOR');
  }
  return [{ type: 'RoleRevoked', data: { accountId: state.accountId, userId: target.userId, role: c.role } }];
}
