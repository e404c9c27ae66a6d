import type { DomainEvent } from '@ses/events';
import type { Decider } from '../shared/decider';
import type { AccountCommand } from './account.commands';
import { evolveAccount } from './account.evolve';
import { ACCOUNT_STATE_VERSION, type AccountState, initialAccountState } from './account.state';
import { decideRemoveAlertRule, decideSetAlertRule } from './decide/alert-rules';
import { decideGrantEntitlement, decideRevokeEntitlement } from './decide/entitlements';
import { decideAddGroupMember, decideCreateGroup, decideRemoveGroupMember, decideSetGroupProducts } from './decide/groups';
import { decideOpenAccount } from './decide/open-account';
import { decideGrantRole, decideRevokeRole } from './decide/roles';
import { decideDeactivateUser, decideRegisterUser } from './decide/users';
import { decideSetAccountDomains } from './decide/domains';
import { decideApproveRegistration, decideRejectRegistration, decideRequestRegistration } from './decide/registration-requests';
import { decideRegisterUsers } from './decide/register-users';
import { decideRemoveWebhook, decideSetWebhook } from './decide/webhooks';

/**
 * Every check runs in this order: authorization (FORBIDDEN / USER_DEACTIVATED),
 * validation (BAD_USER_INPUT), existence (NOT_FOUND), then the rules.
 * An empty result means the command was already satisfied (idempotent no-op).
 */
export function decideAccount(command: AccountCommand, state: AccountState): DomainEvent[] {
  switch (command.type) {
    case 'OpenAccount':
      return decideOpenAccount(command, state);
    case 'GrantEntitlement':
      return decideGrantEntitlement(command, state);
    case 'RevokeEntitlement':
      return decideRevokeEntitlement(command, state);
    case 'RegisterUser':
      return decideRegisterUser(command, state);
    case 'DeactivateUser':
      return decideDeactivateUser(command, state);
    case 'GrantRole':
      return decideGrantRole(command, state);
    case 'RevokeRole':
      return decideRevokeRole(command, state);
    case 'CreateGroup':
      return decideCreateGroup(command, state);
    case 'SetGroupProducts':
      return decideSetGroupProducts(command, state);
    case 'AddGroupMember':
      return decideAddGroupMember(command, state);
    case 'RemoveGroupMember':
      return decideRemoveGroupMember(command, state);
    case 'SetAlertRule':
      return decideSetAlertRule(command, state);
    case 'RemoveAlertRule':
      return decideRemoveAlertRule(command, state);
    case 'SetAccountDomains':
      return decideSetAccountDomains(command, state);
    case 'RequestRegistration':
      return decideRequestRegistration(command, state);
    case 'ApproveRegistration':
      return decideApproveRegistration(command, state);
    case 'RejectRegistration':
      return decideRejectRegistration(command, state);
    case 'RegisterUsers':
      return decideRegisterUsers(command, state);
    case 'SetWebhook':
      return decideSetWebhook(command, state);
    case 'RemoveWebhook':
      return decideRemoveWebhook(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown account command ${JSON.stringify(unknown)}`);
    }
  }
}

export { evolveAccount, initialAccountState };

export const accountDecider: Decider<AccountCommand, DomainEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
  stateVersion: ACCOUNT_STATE_VERSION,
};
