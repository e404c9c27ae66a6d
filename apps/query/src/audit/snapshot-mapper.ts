import { entitlementStatus, type AccountState } from '@ses/domain';
import type { Account, AlertRule, AlertAction, Entitlement, EntitlementStatus, Group, Role, User, UserStatus } from '../graphql/types';

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * An Account graph that carries its historical children (entitlements, users with
 * their groups, groups with their members, alert rules), in the same order as the
 * live resolvers sort them. The Account/User/Group field resolvers return a list the
 * parent already carries instead of reading the current read models.
 */
export function toSnapshotAccount(state: AccountState, at: string, seatsInUse: (productId: string) => number): Account {
  const accountId = state.accountId;
  const entitlements = Object.values(state.entitlements)
    .map((e): Entitlement => ({
      id: e.entitlementId,
      accountId,
      productId: e.productId,
      productName: e.productName,
      seats: e.seats,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      country: e.country,
      offlineDays: e.offlineDays,
      checkoutAllowed: e.checkoutAllowed,
      maxCheckoutDays: e.maxCheckoutDays,
      status: entitlementStatus(e, at) as EntitlementStatus,
      seatsInUse: seatsInUse(e.productId),
    }))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || byId(a, b));

  const users = new Map<string, User>();
  for (const u of Object.values(state.users)) {
    users.set(u.userId, {
      id: u.userId,
      accountId,
      email: u.email,
      displayName: u.displayName,
      country: u.country,
      status: (u.active ? 'ACTIVE' : 'DEACTIVATED') as UserStatus,
      roles: [...u.roles] as Role[],
      registeredAt: u.registeredAt,
      groups: [],
    });
  }
  const groups = new Map<string, Group>();
  for (const g of Object.values(state.groups)) {
    const members = g.memberIds.flatMap((id) => users.get(id) ?? []).sort((a, b) => Date.parse(a.registeredAt) - Date.parse(b.registeredAt) || byId(a, b));
    groups.set(g.groupId, { id: g.groupId, accountId, name: g.name, productIds: [...g.productIds], members });
  }
  const byName = (a: Group, b: Group) => (a.name < b.name ? -1 : a.name > b.name ? 1 : byId(a, b));
  for (const user of users.values()) user.groups = (state.users[user.id].groupIds ?? []).flatMap((id) => groups.get(id) ?? []).sort(byName);

  const alertRules = Object.values(state.alertRules)
    .map((r): AlertRule => ({
      id: r.ruleId,
      accountId,
      productId: r.productId,
      thresholdSeats: r.thresholdSeats,
      action: r.action as AlertAction,
      notifyUserIds: [...r.notifyUserIds],
    }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : byId(a, b)));

  return {
    id: accountId,
    name: state.name,
    entitlementCountry: state.entitlementCountry,
    openedAt: state.openedAt,
    entitlements,
    users: [...users.values()].sort((a, b) => Date.parse(a.registeredAt) - Date.parse(b.registeredAt) || byId(a, b)),
    groups: [...groups.values()].sort(byName),
    alertRules,
    domains: [...state.domains],
    autoApprove: state.autoApprove,
  };
}
