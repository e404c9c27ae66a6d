import type { EntitlementState } from '@ses/domain';
import type { Doc } from '@ses/read-store';

/** Read-model documents of the directory projection, as stored. */
export interface AccountDoc extends Doc {
  name: string;
  entitlementCountry: string;
  openedAt: string;
}

/** An entitlement as the directory projection keeps it: the domain's entitlement state, keyed by id. */
export type EntitlementDoc = Doc & Omit<EntitlementState, 'entitlementId'> & { accountId: string; revokedAt?: string };

export interface GroupDoc extends Doc {
  accountId: string;
  name: string;
  productIds: string[];
  memberIds: string[];
}

export interface AlertRuleDoc extends Doc {
  accountId: string;
  productId: string;
  thresholdSeats: number;
  action: 'NOTIFY' | 'DENY';
  notifyUserIds: string[];
}
