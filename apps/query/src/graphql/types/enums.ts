import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  ACCOUNT_ADMINISTRATOR = 'ACCOUNT_ADMINISTRATOR',
  CO_ADMINISTRATOR = 'CO_ADMINISTRATOR',
  SOFTWARE_DOWNLOAD = 'SOFTWARE_DOWNLOAD',
  AUDITOR = 'AUDITOR',
}
registerEnumType(Role, { name: 'Role' });

export enum AlertAction {
  NOTIFY = 'NOTIFY',
  DENY = 'DENY',
}
registerEnumType(AlertAction, { name: 'AlertAction' });

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

export enum EntitlementStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(EntitlementStatus, {
  name: 'EntitlementStatus',
  valuesMap: { PENDING: { description: 'startsAt is in the future.' } },
});

export enum CheckoutStatus {
  ACTIVE = 'ACTIVE',
  CHECKED_IN = 'CHECKED_IN',
  EXPIRED = 'EXPIRED',
}
registerEnumType(CheckoutStatus, { name: 'CheckoutStatus' });

export enum UsageDimension {
  PRODUCT = 'PRODUCT',
  USER = 'USER',
  GROUP = 'GROUP',
  COUNTRY = 'COUNTRY',
  MACHINE = 'MACHINE',
  DAY = 'DAY',
}
registerEnumType(UsageDimension, { name: 'UsageDimension' });

export enum Interval {
  TEN_MINUTES = 'TEN_MINUTES',
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(Interval, { name: 'Interval' });

export enum UsageEventType {
  STARTED = 'STARTED',
  ENDED = 'ENDED',
  TIMED_OUT = 'TIMED_OUT',
  DENIED = 'DENIED',
}
registerEnumType(UsageEventType, { name: 'UsageEventType' });
