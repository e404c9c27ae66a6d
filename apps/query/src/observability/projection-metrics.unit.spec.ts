import { metricSample as value } from '../../../../libs/platform/src/metrics/metric-sample.testing';
import { projectionMetrics } from './projection-metrics';

describe('projectionMetrics (the query app projection engine observer)', () => {
  it('counts restarts by what failed, a lost event store as a retry, and reading again after it came back as a reconnect', async () => {
    const retry = (reason: string) => value('ses_retries_total', { component: 'projection-engine', reason });
    const before = { readStore: await retry('read-store'), source: await retry('event-store-unavailable') };
    const reconnects = await value('ses_reconnects_total', { component: 'projection-engine' });
    projectionMetrics.restarting?.({ checkpoint: 'read-models', cause: 'read-store', error: new Error('disk'), attempt: 1, delayMs: 100, after: 5n });
    projectionMetrics.sourceRetrying?.({ checkpoint: 'read-models', error: new Error('down'), attempt: 1, delayMs: 100 });
    projectionMetrics.recovered?.({ checkpoint: 'read-models', from: 'restart', attempts: 1, downMs: 100, position: 6n });
    projectionMetrics.recovered?.({ checkpoint: 'read-models', from: 'event-store', attempts: 1, downMs: 100, position: 6n });
    expect(await retry('read-store')).toBe(before.readStore + 1);
    expect(await retry('event-store-unavailable')).toBe(before.source + 1);
    expect(await value('ses_reconnects_total', { component: 'projection-engine' })).toBe(reconnects + 1);
  });
});
