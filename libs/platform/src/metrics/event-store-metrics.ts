import type { EventStoreObserver } from '@ses/event-store';
import { sesMetrics } from './metrics';

/**
 * The event store observer both apps plug in (EVENT_STORE_OBSERVER): a subscription to the
 * global log that lost its source counts as a retry, and one that found it again as a
 * reconnect. Appends are counted by instrumentEventStore (the command app's only writer),
 * so this observer leaves them alone: counting them here too would count each twice.
 */
export const eventStoreMetrics: EventStoreObserver = {
  subscriptionRetrying: () => sesMetrics.retry('event-store-subscription', 'unavailable'),
  subscriptionRecovered: () => sesMetrics.reconnect('event-store-subscription'),
};
