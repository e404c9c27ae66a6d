import type { Role } from '@ses/events';
import type { Actor } from '../shared/actor';
import { DomainError, forbidden, notFound } from '../shared/domain-error';
import type { AccountState } from './account.state';

/** Who passed authorization: the operator, or an active user of this account with their roles. */
export type Authorized = { kind: 'operator' } | { kind: 'user'; userId: string; roles: Role[] };

export const ADMINISTRATOR_ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'];
export const OPERATOR_ONLY: readonly Role[] = [];

/**
 * The operator always passes. A user passes only for their own, existing account,
 * while active (else USER_DEACTIVATED), and holding one of `allowedRoles`.
 * Everyone else gets FORBIDDEN, so a user never learns whether another account exists.
 */
export function authorizeOnAccount(state: AccountState, actor: Actor, allowedRoles: readonly Role[]): Authorized {
  if (actor.kind === 'operator') return { kind: 'operator' };
  if (actor.kind !== 'user' || !state.exists || actor.accountId !== state.accountId) throw forbidden();
  const user = state.users[actor.userId];
  if (!user) throw forbidden();
  if (!user.active) throw new DomainError('USER_DEACTIVATED', 'the acting user is deactivated');
  if (!user.roles.some((r) => allowedRoles.includes(r))) throw forbidden();
  return { kind: 'user', userId: user.userId, roles: [...user.roles] };
}

export const isAccountAdministrator = (who: Authorized): boolean => who.kind === 'operator' || who.roles.includes('ACCOUNT_ADMINISTRATOR');

/** Reached only by the operator: users of a missing account were already refused. */
export function requireAccount(state: AccountState): void {
  if (!state.exists) throw notFound('account');
}
