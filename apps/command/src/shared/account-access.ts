import { DomainError, type AccountState, type Actor } from '@ses/domain';
import type { Role } from '@ses/events';

const SEAT_MANAGERS: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'];

/**
 * Licensed-use authorization (contract README): users act on their own sessions and
 * check-outs; ACCOUNT_ADMINISTRATOR and CO_ADMINISTRATOR also for others of their
 * account (check-outs, check-ins, ending sessions); the operator everywhere.
 */
export function assertActiveMember(account: AccountState, actor: Actor): void {
  if (actor.kind === 'operator') return;
  if (actor.kind !== 'user' || actor.accountId !== account.accountId || !account.users[actor.userId])
    throw new DomainError('FORBIDDEN', 'not a user of this account');
  if (!account.users[actor.userId].active) throw new DomainError('USER_DEACTIVATED', 'this user is deactivated');
}

export function isSeatManager(account: AccountState, actor: Actor): boolean {
  if (actor.kind === 'operator') return true;
  return actor.kind === 'user' && actor.accountId === account.accountId && (account.users[actor.userId]?.roles ?? []).some((r) => SEAT_MANAGERS.includes(r));
}

/** The actor may act for `userId`: it is themself, or they manage seats of the account. */
export function assertActsFor(account: AccountState, actor: Actor, userId: string): void {
  assertActiveMember(account, actor);
  if (actor.kind === 'user' && actor.userId === userId) return;
  if (!isSeatManager(account, actor)) throw new DomainError('FORBIDDEN', 'only administrators act for other users');
}
