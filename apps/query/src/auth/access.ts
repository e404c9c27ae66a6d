import { actingOn, authorize, permits, type Acting, type Permission } from '@ses/domain';
import type { Viewer } from './viewer';

/**
 * Read authorization, by the domain's one table of who may do what (PERMISSIONS):
 * - 'member': `readOwnAccount`, any active user of the account (own account, entitlements, self);
 * - 'manager': `readAccount` (all reads: users, groups, rules, history, reports, check-outs, alerts).
 * The operator reads everything. Another account's data is FORBIDDEN, never data.
 */
export type ReadScope = 'member' | 'manager';

const READ_PERMISSION: Record<ReadScope, Permission> = { member: 'readOwnAccount', manager: 'readAccount' };

/** The viewer as the domain's authorization sees them on `accountId`. */
export function actingOf(viewer: Viewer, accountId: string): Acting {
  return actingOn(accountId, viewer.kind === 'operator' ? 'operator' : viewer.kind === 'user' ? viewer : null);
}

export function canRead(viewer: Viewer, accountId: string, scope: ReadScope): boolean {
  return permits(actingOf(viewer, accountId), READ_PERMISSION[scope]);
}

export function assertCanRead(viewer: Viewer, accountId: string, scope: ReadScope): void {
  authorize(actingOf(viewer, accountId), READ_PERMISSION[scope], 'not allowed to read this account');
}
