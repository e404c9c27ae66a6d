export * from './date-time.scalar';
export * from './enums';
export * from './account.types';
export * from './users.types';
export * from './groups.types';
export * from './alerts.types';
export * from './usage.types';
export * from './checkout.types';
