/** Who is signed in, and what the contract lets them see and do (contract README, "Authorization"). */
export type Role = 'ACCOUNT_ADMINISTRATOR' | 'CO_ADMINISTRATOR' | 'SOFTWARE_DOWNLOAD' | 'AUDITOR';
export const ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD', 'AUDITOR'];

export const ROLE_LABELS: Record<Role, string> = {
  ACCOUNT_ADMINISTRATOR: 'Account administrator',
  CO_ADMINISTRATOR: 'Co-administrator',
  SOFTWARE_DOWNLOAD: 'Software download',
  AUDITOR: 'Auditor',
};

export type Viewer =
  | { kind: 'operator'; sub: string }
  | { kind: 'user'; userId: string; accountId: string; email: string; displayName: string; roles: Role[]; active: boolean }
  /** A valid token whose email is not registered: they may ask to join (onboarding's requestRegistration, on My licenses). */
  | { kind: 'unregistered'; email?: string };

/** Reads everything of the account: reports, seats, users, alerts, history. */
export function canReadAccount(viewer: Viewer, accountId: string): boolean {
  if (viewer.kind === 'operator') return true;
  if (viewer.kind !== 'user' || !viewer.active || viewer.accountId !== accountId) return false;
  return viewer.roles.some((r) => r === 'ACCOUNT_ADMINISTRATOR' || r === 'CO_ADMINISTRATOR' || r === 'AUDITOR');
}

/** Registers and deactivates users, groups, alert rules, releases seats, checks in for others. */
export function canManageAccount(viewer: Viewer, accountId: string): boolean {
  if (viewer.kind === 'operator') return true;
  if (viewer.kind !== 'user' || !viewer.active || viewer.accountId !== accountId) return false;
  return viewer.roles.some((r) => r === 'ACCOUNT_ADMINISTRATOR' || r === 'CO_ADMINISTRATOR');
}

/** The roles this viewer may grant and revoke: ACCOUNT_ADMINISTRATOR and CO_ADMINISTRATOR only by an account administrator (or the operator). */
export function grantableRoles(viewer: Viewer, accountId: string): Role[] {
  if (!canManageAccount(viewer, accountId)) return [];
  const full = viewer.kind === 'operator' || (viewer.kind === 'user' && viewer.roles.includes('ACCOUNT_ADMINISTRATOR'));
  return full ? [...ROLES] : ['SOFTWARE_DOWNLOAD', 'AUDITOR'];
}

/** Where a viewer starts: their account's overview, the account picker, or their own policy. */
export function homePath(viewer: Viewer): string {
  if (viewer.kind === 'operator') return '/accounts';
  if (viewer.kind === 'user' && canReadAccount(viewer, viewer.accountId)) return `/a/${encodeURIComponent(viewer.accountId)}/overview`;
  return '/me';
}

/** Sets the account's email domains and auto-approval (onboarding: the operator or an ACCOUNT_ADMINISTRATOR, not a co-administrator). */
export function canManageDomains(viewer: Viewer, accountId: string): boolean {
  if (viewer.kind === 'operator') return true;
  return viewer.kind === 'user' && viewer.active && viewer.accountId === accountId && viewer.roles.includes('ACCOUNT_ADMINISTRATOR');
}
