import type { EventOf } from '@ses/events';

/** The event types a seat-pool stream holds (one stream per account and product). */
export const SEAT_POOL_EVENT_TYPES = [
  'UsageStarted',
  'UsageDenied',
  'UsageHeartbeat',
  'UsageEnded',
  'UsageTimedOut',
  'LicenseCheckedOut',
  'LicenseCheckedIn',
  'CheckoutExpired',
  'AlertRaised',
] as const;

export type SeatPoolEventType = (typeof SEAT_POOL_EVENT_TYPES)[number];

export type SeatPoolEvent =
  | EventOf<'UsageStarted'>
  | EventOf<'UsageDenied'>
  | EventOf<'UsageHeartbeat'>
  | EventOf<'UsageEnded'>
  | EventOf<'UsageTimedOut'>
  | EventOf<'LicenseCheckedOut'>
  | EventOf<'LicenseCheckedIn'>
  | EventOf<'CheckoutExpired'>
  | EventOf<'AlertRaised'>;

export const isSeatPoolEvent = (event: { type: string }): event is SeatPoolEvent => (SEAT_POOL_EVENT_TYPES as readonly string[]).includes(event.type);
