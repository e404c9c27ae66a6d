import type { Doc } from '@ses/read-store';

/** Read-model documents of the directory projection, as stored. */
export interface AccountDoc extends Doc {
  name: string;
  entitlementCountry: string;
  openedAt: string;
}

export interface EntitlementDoc extends Doc {
  accountId: string;
  productId: string;
  productName: string;
  seats: number;
  startsAt: string;
  endsAt: string;
  country: string;
  offlineDays: number;
  checkoutAllowed: boolean;
  maxCheckoutDays: number;
  revoked: boolean;
  revokedReason: string | null;
}

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
