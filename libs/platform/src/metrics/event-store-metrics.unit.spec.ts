import { eventStoreMetrics } from './event-store-metrics';
import { metricSample as value } from './metric-sample.testing';

describe('eventStoreMetrics (the event store observer both apps plug in)', () => {
  it('counts a subscription losing its source as a retry and finding it again as a reconnect', async () => {
    const retries = await value('ses_retries_total', { component: 'event-store-subscription', reason: 'unavailable' });
    const reconnects = await value('ses_reconnects_total', { component: 'event-store-subscription' });
    eventStoreMetrics.subscriptionRetrying?.({ error: new Error('unreachable'), attempt: 1, delayMs: 100 });
    eventStoreMetrics.subscriptionRetrying?.({ error: new Error('unreachable'), attempt: 2, delayMs: 200 });
    eventStoreMetrics.subscriptionRecovered?.({ attempts: 2, downMs: 300 });
    expect(await value('ses_retries_total', { component: 'event-store-subscription', reason: 'unavailable' })).toBe(retries + 2);
    expect(await value('ses_reconnects_total', { component: 'event-store-subscription' })).toBe(reconnects + 1);
  });

  it('leaves appends to instrumentEventStore, so that each append is counted once', () => {
    expect(eventStoreMetrics.appended).toBeUndefined();
  });
});
