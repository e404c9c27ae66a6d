import { DomainError } from '@ses/domain';
import type { Role } from '@ses/events';
import type { Viewer } from './viewer';

/**
 * Read authorization (contract README, "Authorization"):
 * - 'member': any active user of the account (own account, entitlements, self);
 * - 'manager': ACCOUNT_ADMINISTRATOR, CO_ADMINISTRATOR or AUDITOR of the account
 *   (all reads: users, groups, rules, history, reports, check-outs, alerts).
 * The operator reads everything. Another account's data is FORBIDDEN, never data.
 */
export type ReadScope = 'member' | 'manager';

const MANAGER_ROLES: readonly Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'AUDITOR'];

export function canRead(viewer: Viewer, accountId: string, scope: ReadScope): boolean {
  if (viewer.kind === 'operator') return true;
  if (viewer.kind !== 'user' || viewer.accountId !== accountId || !viewer.active) return false;
  return scope === 'member' || viewer.roles.some((role) => MANAGER_ROLES.includes(role));
}

export function assertCanRead(viewer: Viewer, accountId: string, scope: ReadScope): void {
  if (canRead(viewer, accountId, scope)) return;
  if (viewer.kind === 'user' && viewer.accountId === accountId && !viewer.active) throw new DomainError('USER_DEACTIVATED', 'this user is deactivated');
  throw new DomainError('FORBIDDEN', 'not allowed to read this account');
}
