import { DomainError } from '../../shared/domain-error';
import { activeAdministratorIds } from '../account.queries';
import type { AccountState } from '../account.state';

/**
 * The account must keep an active ACCOUNT_ADMINISTRATOR: LAST_ADMINISTRATOR when
 * `userId` is the only one and is about to stop being one (role revoked or deactivated).
 */
export function assertKeepsAnAdministrator(state: AccountState, userId: string): void {
  const admins = activeAdministratorIds(state);
  if (admins.length === 1 && admins[0] === userId) {
    throw new DomainError('LAST_ADMINISTRATOR', 'the account must keep an active ACCOUNT_ADMINISTRATOR');
  }
}
