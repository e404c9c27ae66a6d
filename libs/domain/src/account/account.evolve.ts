import type { DomainEvent } from '@ses/events';
import { normalizeEmail } from '../shared/validation';
import type { AccountState, GroupState, UserState } from './account.state';

const without = (list: readonly string[], item: string): string[] => list.filter((x) => x !== item);
const withItem = (list: readonly string[], item: string): string[] => (list.includes(item) ? [...list] : [...list, item]);

const updateUser = (state: AccountState, userId: string, change: (u: UserState) => Partial<UserState>): AccountState => {
  const user = state.users[userId];
  if (!user) return state;
  return { ...state, users: { ...state.users, [userId]: { ...user, ...change(user) } } };
};

const updateGroup = (state: AccountState, groupId: string, change: (g: GroupState) => Partial<GroupState>): AccountState => {
  const group = state.groups[groupId];
  if (!group) return state;
  return { ...state, groups: { ...state.groups, [groupId]: { ...group, ...change(group) } } };
};

/** Pure: returns a new state and never mutates the given one. Events of other streams leave it unchanged. */
export function evolveAccount(state: AccountState, event: DomainEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened': {
      const { accountId, name, entitlementCountry, openedAt } = event.data;
      return { ...state, exists: true, accountId, name, entitlementCountry, openedAt };
    }
    case 'EntitlementGranted': {
      const { accountId: _accountId, ...e } = event.data;
      return {
        ...state,
        entitlements: { ...state.entitlements, [e.entitlementId]: { ...e, revoked: false, revokedReason: null } },
      };
    }
    case 'EntitlementRevoked': {
      const { entitlementId, reason } = event.data;
      const e = state.entitlements[entitlementId];
      if (!e) return state;
      return { ...state, entitlements: { ...state.entitlements, [entitlementId]: { ...e, revoked: true, revokedReason: reason } } };
    }
    case 'UserRegistered': {
      const { userId, email, displayName, country, registeredAt } = event.data;
      const user: UserState = {
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
      return { ...state, users: { ...state.users, [userId]: user } };
    }
    case 'UserDeactivated':
      return updateUser(state, event.data.userId, () => ({ active: false }));
    case 'RoleGranted': {
      const { role } = event.data;
      return updateUser(state, event.data.userId, (u) => ({ roles: u.roles.includes(role) ? [...u.roles] : [...u.roles, role] }));
    }
    case 'RoleRevoked': {
      const { role } = event.data;
      return updateUser(state, event.data.userId, (u) => ({ roles: u.roles.filter((r) => r !== role) }));
    }
    case 'GroupCreated': {
      const { groupId, name, productIds } = event.data;
      return { ...state, groups: { ...state.groups, [groupId]: { groupId, name, productIds: [...productIds], memberIds: [] } } };
    }
    case 'GroupProductsSet':
      return updateGroup(state, event.data.groupId, () => ({ productIds: [...event.data.productIds] }));
    case 'GroupMemberAdded': {
      const { groupId, userId } = event.data;
      const next = updateGroup(state, groupId, (g) => ({ memberIds: withItem(g.memberIds, userId) }));
      return updateUser(next, userId, (u) => ({ groupIds: withItem(u.groupIds, groupId) }));
    }
    case 'GroupMemberRemoved': {
      const { groupId, userId } = event.data;
      const next = updateGroup(state, groupId, (g) => ({ memberIds: without(g.memberIds, userId) }));
      return updateUser(next, userId, (u) => ({ groupIds: without(u.groupIds, groupId) }));
    }
    case 'AlertRuleSet': {
      const { ruleId, productId, thresholdSeats, action, notifyUserIds } = event.data;
      return {
        ...state,
        alertRules: { ...state.alertRules, [ruleId]: { ruleId, productId, thresholdSeats, action, notifyUserIds: [...notifyUserIds] } },
      };
    }
    case 'AlertRuleRemoved': {
      const { [event.data.ruleId]: _removed, ...alertRules } = state.alertRules;
      return { ...state, alertRules };
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
