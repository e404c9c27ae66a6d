import { actingOn, authorize, type Acting, type Permission } from '../authorization/authorization';
import type { Actor } from '../shared/actor';
import { notFound } from '../shared/domain-error';
import type { AccountState } from './account.state';

/** Who acts on this account: the operator, one of its users (roles and activity from its state), or an outsider. */
export function actingOnAccount(state: AccountState, actor: Actor): Acting {
  if (actor.kind === 'operator') return actingOn(state.accountId, 'operator');
  const user = actor.kind === 'user' && state.exists && actor.accountId === state.accountId ? state.users[actor.userId] : undefined;
  return actingOn(state.accountId, user ? { accountId: state.accountId, userId: user.userId, roles: user.roles, active: user.active } : null);
}

/**
 * Authorization by the table (authorization.ts) against the account's own state. A user
 * of another or a missing account is FORBIDDEN, so nobody learns whether an account
 * exists; returns who acts.
 */
export function authorizeOnAccount(state: AccountState, actor: Actor, permission: Permission): Acting {
  const who = actingOnAccount(state, actor);
  authorize(who, permission);
  return who;
}

/** Reached only by the operator: users of a missing account were already refused. */
export function requireAccount(state: AccountState): void {
  if (!state.exists) throw notFound('account');
}
