import type { Role } from '@ses/events';
import type { Actor } from '../shared/actor';
import { DomainError, forbidden } from '../shared/domain-error';

/**
 * WHO MAY DO WHAT: the one table of the contract's authorization (README,
 * "Authorization"), read by the account decider, the seat-pool decider and the query
 * app's read checks alike. The operator may do everything. Anyone else must be an
 * active user of the account acted on ("member"), and then:
 *  - 'any member': every user of the account;
 *  - a list of roles: a user holding one of them;
 *  - 'operator only': nobody but the operator.
 */
export type Audience = 'operator only' | 'any member' | readonly Role[];

export const ADMINISTRATOR_ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'];

export const PERMISSIONS = {
  openAccount: 'operator only',
  manageEntitlements: 'operator only',
  /** Register users; deactivate users who hold no administrator role. */
  manageUsers: ADMINISTRATOR_ROLES,
  deactivateAdministrators: ['ACCOUNT_ADMINISTRATOR'],
  /** Grant and revoke ACCOUNT_ADMINISTRATOR and CO_ADMINISTRATOR. */
  manageAdministratorRoles: ['ACCOUNT_ADMINISTRATOR'],
  /** Grant and revoke SOFTWARE_DOWNLOAD and AUDITOR. */
  manageOtherRoles: ADMINISTRATOR_ROLES,
  manageGroups: ADMINISTRATOR_ROLES,
  manageAlertRules: ADMINISTRATOR_ROLES,
  /** setWebhook / removeWebhook (reads of webhooks and deliveries are readAccount). */
  manageWebhooks: ADMINISTRATOR_ROLES,
  /** Start, heartbeat and end one's own sessions; check out and in for oneself. */
  useOwnLicenses: 'any member',
  /** Check out and in for other users (bulk check-out too); end anyone's session (releasing the seat). */
  manageSeatsOfOthers: ADMINISTRATOR_ROLES,
  downloadSoftware: ['SOFTWARE_DOWNLOAD'],
  /** `account(id)` of one's own account, `me`, `policy`, `user(id)` of oneself. */
  readOwnAccount: 'any member',
  /** Every read of the account: users, groups, rules, history, reports, check-outs, alerts, subscriptions, audits. */
  readAccount: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'AUDITOR'],
  /** Set the account's email domains and auto-approval (onboarding). */
  manageDomains: ['ACCOUNT_ADMINISTRATOR'],
  /** Approve or reject a person's request to join the account (onboarding). */
  decideRegistrations: ADMINISTRATOR_ROLES,
} as const satisfies Record<string, Audience>;

export type Permission = keyof typeof PERMISSIONS;

/** Which permission granting or revoking each role takes. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, Permission>> = {
  ACCOUNT_ADMINISTRATOR: 'manageAdministratorRoles',
  CO_ADMINISTRATOR: 'manageAdministratorRoles',
  SOFTWARE_DOWNLOAD: 'manageOtherRoles',
  AUDITOR: 'manageOtherRoles',
};

export const isRole = (value: string): value is Role => Object.hasOwn(ROLE_PERMISSIONS, value);

/** A registered user as the account knows them: the facts authorization reads. */
export interface UserStanding {
  accountId: string;
  userId: string;
  roles: readonly Role[];
  active: boolean;
}

/** Who acts, relative to the account acted on. */
export type Acting = { kind: 'operator' } | ({ kind: 'member' } & UserStanding) | { kind: 'outsider' };

/** The operator, a user of `accountId` (with their standing there), or an outsider: a user of another account, or no user at all. */
export function actingOn(accountId: string, who: 'operator' | UserStanding | null): Acting {
  if (who === 'operator') return { kind: 'operator' };
  if (who === null || who.accountId !== accountId) return { kind: 'outsider' };
  return { kind: 'member', accountId: who.accountId, userId: who.userId, roles: [...who.roles], active: who.active };
}

export function permits(who: Acting, permission: Permission): boolean {
  if (who.kind === 'operator') return true;
  if (who.kind !== 'member' || !who.active) return false;
  const audience: Audience = PERMISSIONS[permission];
  if (audience === 'any member') return true;
  if (audience === 'operator only') return false;
  return who.roles.some((role) => audience.includes(role));
}

/**
 * Throws unless `who` may: FORBIDDEN for an outsider (so nobody learns more of another
 * account), USER_DEACTIVATED for a deactivated user of the account, FORBIDDEN for a
 * user without the permission.
 */
export function authorize(who: Acting, permission: Permission, refusal = 'not allowed'): void {
  if (who.kind === 'operator') return;
  if (who.kind !== 'member') throw forbidden(refusal);
  if (!who.active) throw new DomainError('USER_DEACTIVATED', 'the acting user is deactivated');
  if (!permits(who, permission)) throw forbidden(refusal);
}

/** Acting on what `userId` holds (their sessions, check-outs): oneself with useOwnLicenses, another user with manageSeatsOfOthers. */
export function authorizeFor(who: Acting, userId: string): void {
  authorize(who, 'useOwnLicenses');
  if (who.kind === 'member' && who.userId === userId) return;
  authorize(who, 'manageSeatsOfOthers', 'only administrators act for other users');
}

/**
 * A user never learns that an id of another account exists: looking one up is
 * NOT_FOUND, exactly as for an id never issued. (The operator may know of every
 * account; anyone else is refused by every command anyway.)
 */
export function mayLearnOf(actor: Actor, accountId: string): boolean {
  return actor.kind !== 'user' || actor.accountId === accountId;
}
