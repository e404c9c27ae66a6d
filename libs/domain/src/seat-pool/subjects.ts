import type { Actor } from '../shared/actor';
import { DomainError, notFound } from '../shared/domain-error';

/**
 * The session a principal names by its id. Session ids are the clients' and scoped by
 * account, so a user names a session of their own account only: another account's id
 * is NOT_FOUND, exactly as an id never used. The operator names a session of any
 * account (BAD_USER_INPUT when the id is used in several); anyone else none.
 * `pools`: every pool, of any account, holding a session with that id.
 */
export function sessionNamedBy<P extends { accountId: string }>(actor: Actor, sessionId: string, pools: readonly P[]): P {
  const visible = actor.kind === 'operator' ? pools : actor.kind === 'user' ? pools.filter((pool) => pool.accountId === actor.accountId) : [];
  if (visible.length === 0) throw notFound('session');
  if (visible.length > 1) throw new DomainError('BAD_USER_INPUT', `sessionId ${sessionId} names sessions of several accounts`, ['sessionId']);
  return visible[0]!;
}

/** Whom a check-out is for: the user named, else the caller. The operator must name one; an unregistered principal cannot. */
export function checkOutFor(actor: Actor, userId: string | null | undefined): string {
  const subject = userId ?? (actor.kind === 'user' ? actor.userId : undefined);
  if (!subject) throw new DomainError(actor.kind === 'operator' ? 'BAD_USER_INPUT' : 'FORBIDDEN', 'userId is required', ['userId']);
  return subject;
}
