import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, WrongExpectedRevisionError } from '@ses/event-store';
import { events, uniqueStream } from '../../../event-store/src/event-store.contract-support';
import { instrumentEventStore } from './instrumented-event-store';
import { LAG_EVENTS_COUNTED, metricsRegistry, sesMetrics, type LagSource } from './metrics';
import { operationLabel, outcomeLabel } from './graphql-observability';
import { parse, type OperationDefinitionNode } from 'graphql';

/** The value of one series in the registry's text exposition (0 when absent). */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await metricsRegistry.metrics();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((label) => line.includes(label))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('instrumentEventStore (on the SQLite adapter)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ses-metrics-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts events appended, and a wrong expected revision as a concurrency conflict, passing everything else through', async () => {
    const instrumented = instrumentEventStore(store);
    const stream = uniqueStream();
    const appendedBefore = await value('ses_events_appended_total');
    const conflictsBefore = await value('ses_concurrency_conflicts_total');

    await instrumented.appendToStream(stream, events(3), 'no_stream');
    await expect(instrumented.appendToStream(stream, events(1), 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);

    expect((await value('ses_events_appended_total')) - appendedBefore).toBe(3);
    expect((await value('ses_concurrency_conflicts_total')) - conflictsBefore).toBe(1);
    expect(await value('ses_event_store_append_duration_seconds_count', { outcome: 'conflict' })).toBeGreaterThanOrEqual(1);
    // Reads go to the store itself.
    expect(await instrumented.headPosition()).toBe(await store.headPosition());
    expect((await instrumented.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  });
});

describe('consumer lag', () => {
  /** A log of `head + 1` events at positions 0..head, the oldest recorded `ageSeconds` ago. */
  function logOf(head: number, ageSeconds: number): LagSource {
    const recordedAt = new Date(Date.now() - ageSeconds * 1000);
    return {
      headPosition: async () => BigInt(head),
      readAll: async ({ after = -1n, maxCount = 1000 }) => {
        const out: { position: bigint; recordedAt: Date }[] = [];
        for (let p = Number(after) + 1; p <= head && out.length < maxCount; p++) out.push({ position: BigInt(p), recordedAt });
        return out;
      },
    };
  }

  it('reports checkpoint, events behind and the age of the oldest event not yet committed; 0 once caught up', async () => {
    let committed = 39n;
    const stop = sesMetrics.trackConsumer('lag-test', () => committed, logOf(99, 30));
    try {
      expect(await value('ses_consumer_checkpoint_position', { consumer: 'lag-test' })).toBe(39);
      expect(await value('ses_consumer_lag_events', { consumer: 'lag-test' })).toBe(60);
      const seconds = await value('ses_consumer_lag_seconds', { consumer: 'lag-test' });
      expect(seconds).toBeGreaterThanOrEqual(30);
      expect(seconds).toBeLessThan(3600);
      committed = 99n;
      // Each scrape reads afresh.
      expect(await value('ses_consumer_lag_events', { consumer: 'lag-test' })).toBe(0);
      expect(await value('ses_consumer_lag_seconds', { consumer: 'lag-test' })).toBe(0);
    } finally {
      stop();
    }
    expect(await metricsRegistry.metrics()).not.toContain('consumer="lag-test"');
  });

  it(`counts at most ${LAG_EVENTS_COUNTED} events behind`, async () => {
    const stop = sesMetrics.trackConsumer('far-behind', () => -1n, logOf(LAG_EVENTS_COUNTED * 3, 5));
    try {
      expect(await value('ses_consumer_lag_events', { consumer: 'far-behind' })).toBe(LAG_EVENTS_COUNTED);
    } finally {
      stop();
    }
  });
});

describe('hooks for other components', () => {
  it('counts webhook deliveries, retries and reconnects by the names given', async () => {
    const delivered = await value('ses_webhook_deliveries_total', { outcome: 'delivered' });
    sesMetrics.webhookDelivery('delivered', 0.2);
    sesMetrics.webhookDelivery('failed');
    sesMetrics.retry('esdb-append', 'unavailable');
    sesMetrics.reconnect('esdb-subscription');
    expect((await value('ses_webhook_deliveries_total', { outcome: 'delivered' })) - delivered).toBe(1);
    expect(await value('ses_webhook_deliveries_total', { outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(await value('ses_webhook_delivery_duration_seconds_count', { outcome: 'delivered' })).toBeGreaterThanOrEqual(1);
    expect(await value('ses_retries_total', { component: 'esdb-append', reason: 'unavailable' })).toBeGreaterThanOrEqual(1);
    expect(await value('ses_reconnects_total', { component: 'esdb-subscription' })).toBeGreaterThanOrEqual(1);
  });
});

describe('GraphQL labels', () => {
  const operation = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

  it('names an operation by its root field, never by the client-chosen operation name', () => {
    expect(operationLabel(operation('mutation AnythingTheClientLikes { checkOut(input: {}) { checkoutId } }'))).toBe('checkOut');
    expect(operationLabel(operation('{ me { id } me2: me { id } }'))).toBe('me');
    expect(operationLabel(operation('{ me { id } policy { token } }'))).toBe('multiple');
    expect(operationLabel(operation('{ ... on Query { me { id } } }'))).toBe('multiple');
    expect(operationLabel(undefined)).toBe('(none)');
  });

  it('labels the outcome ok or with the first error code; anything else as INTERNAL_SERVER_ERROR', () => {
    expect(outcomeLabel(undefined)).toBe('ok');
    expect(outcomeLabel([])).toBe('ok');
    expect(outcomeLabel([{ extensions: { code: 'NO_SEATS_AVAILABLE' } }, { extensions: { code: 'FORBIDDEN' } }])).toBe('NO_SEATS_AVAILABLE');
    expect(outcomeLabel([{ extensions: { code: 'x'.repeat(500) } }])).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeLabel([{}])).toBe('INTERNAL_SERVER_ERROR');
  });
});
