import type { AccountState } from '../account/account.state';
import { DomainError } from '../shared/domain-error';
import type { EmailHolder } from './email-reservation.decider';

/**
 * Who holds an email reservation, as the holder's account tells (the reservation and the
 * account are two streams with no transaction between them):
 * - 'registered': the user is in the account (for good);
 * - 'pending-request': held for a registration request still waiting for a decision;
 * - 'closed-request': held for a request that was rejected (the release after the
 *   rejection did not happen): nobody needs it any more;
 * - 'unconfirmed': the account knows nothing of it: a registration between its reservation
 *   and its account append (in flight, maybe in another process), or one that crashed there.
 */
export type EmailHolderStanding = 'registered' | 'pending-request' | 'closed-request' | 'unconfirmed';

export function emailHolderStanding(holder: EmailHolder, account: AccountState): EmailHolderStanding {
  if (account.users[holder.userId]) return 'registered';
  const request = holder.requestId === undefined ? undefined : account.registrationRequests[holder.requestId];
  if (request?.status === 'PENDING') return 'pending-request';
  if (request) return 'closed-request';
  return 'unconfirmed';
}

/** The error for a registration that found the email held: REGISTRATION_PENDING while a request holds it, else EMAIL_ALREADY_REGISTERED. */
export function emailTakenError(holder: EmailHolder, standing: EmailHolderStanding): DomainError {
  if (standing === 'pending-request' || (standing === 'unconfirmed' && holder.requestId !== undefined)) {
    return new DomainError('REGISTRATION_PENDING', 'a request to join with this email is waiting for an administrator');
  }
  return new DomainError('EMAIL_ALREADY_REGISTERED', 'this email is already registered');
}
