import type { DomainEvent } from '@ses/events';
import { normalizeEmail } from '../shared/validation';
import type { AccountState } from './account.state';

const remove = (list: string[], item: string): void => {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
};

/**
 * Applies one event to the state IN PLACE and returns it: a fold accumulator, so each
 * event costs O(1) (a role or membership: O(the user's roles or groups)), never O(users).
 * Copying the directory per event, as before, made a fold quadratic: 10,000 users
 * registered at once (registerUsers) took half a minute to fold. Callers fold appended
 * events only and keep no "before" reference to a state they evolve (as evolveSeatPool);
 * decideAccount() never mutates. Events of other streams leave the state as it is.
 */
export function evolveAccount(state: AccountState, event: DomainEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened': {
      const { accountId, name, entitlementCountry, openedAt } = event.data;
      Object.assign(state, { exists: true, accountId, name, entitlementCountry, openedAt });
      return state;
    }
    case 'EntitlementGranted': {
      const { accountId: _accountId, ...e } = event.data;
      state.entitlements[e.entitlementId] = { ...e, revoked: false, revokedReason: null };
      return state;
    }
    case 'EntitlementRevoked': {
      const e = state.entitlements[event.data.entitlementId];
      if (e) Object.assign(e, { revoked: true, revokedReason: event.data.reason });
      return state;
    }
    case 'UserRegistered': {
      const { userId, email, displayName, country, registeredAt } = event.data;
      state.users[userId] = {
        userId,
        email,
        emailNormalized: normalizeEmail(email),
        displayName,
        country,
        active: true,
        roles: [],
        registeredAt,
        groupIds: [],
      };
      return state;
    }
    case 'UserDeactivated': {
      const user = state.users[event.data.userId];
      if (user) user.active = false;
      return state;
    }
    case 'RoleGranted': {
      const user = state.users[event.data.userId];
      if (user && !user.roles.includes(event.data.role)) user.roles.push(event.data.role);
      return state;
    }
    case 'RoleRevoked': {
      const user = state.users[event.data.userId];
      if (user) user.roles = user.roles.filter((r) => r !== event.data.role);
      return state;
    }
    case 'GroupCreated': {
      const { groupId, name, productIds } = event.data;
      state.groups[groupId] = { groupId, name, productIds: [...productIds], memberIds: [] };
      return state;
    }
    case 'GroupProductsSet': {
      const group = state.groups[event.data.groupId];
      if (group) group.productIds = [...event.data.productIds];
      return state;
    }
    case 'GroupMemberAdded': {
      const { groupId, userId } = event.data;
      const group = state.groups[groupId];
      const user = state.users[userId];
      // Membership is checked on the user's side (a few groups), not the group's (maybe thousands of members).
      if (user) {
        if (!user.groupIds.includes(groupId)) {
          user.groupIds.push(groupId);
          group?.memberIds.push(userId);
        }
      } else if (group && !group.memberIds.includes(userId)) group.memberIds.push(userId);
      return state;
    }
    case 'GroupMemberRemoved': {
      const { groupId, userId } = event.data;
      const group = state.groups[groupId];
      if (group) remove(group.memberIds, userId);
      const user = state.users[userId];
      if (user) remove(user.groupIds, groupId);
      return state;
    }
    case 'AlertRuleSet': {
      const { ruleId, productId, thresholdSeats, action, notifyUserIds } = event.data;
      state.alertRules[ruleId] = { ruleId, productId, thresholdSeats, action, notifyUserIds: [...notifyUserIds] };
      return state;
    }
    case 'AlertRuleRemoved':
      delete state.alertRules[event.data.ruleId];
      return state;
    case 'AccountDomainsSet':
      state.domains = [...event.data.domains];
      state.autoApprove = event.data.autoApprove;
      return state;
    case 'RegistrationRequested': {
      const { requestId, email, displayName, country, requestedAt } = event.data;
      state.registrationRequests[requestId] = {
        requestId,
        email: normalizeEmail(email),
        displayName,
        country,
        status: 'PENDING',
        requestedAt,
        userId: null,
        decidedAt: null,
        decidedBy: null,
        reason: null,
      };
      return state;
    }
    case 'RegistrationApproved': {
      const request = state.registrationRequests[event.data.requestId];
      const { userId, decidedAt, decidedBy } = event.data;
      if (request) Object.assign(request, { status: 'APPROVED', userId, decidedAt, decidedBy });
      return state;
    }
    case 'RegistrationRejected': {
      const request = state.registrationRequests[event.data.requestId];
      const { decidedAt, decidedBy, reason } = event.data;
      if (request) Object.assign(request, { status: 'REJECTED', decidedAt, decidedBy, reason });
      return state;
    }
    case 'WebhookSet': {
      const { webhookId, url, eventTypes, description } = event.data;
      return { ...state, webhooks: { ...state.webhooks, [webhookId]: { webhookId, url, eventTypes: [...eventTypes], description } } };
    }
    case 'WebhookRemoved': {
      const { [event.data.webhookId]: _removed, ...webhooks } = state.webhooks;
      return { ...state, webhooks };
    }
    default:
      return state;
  }
}
