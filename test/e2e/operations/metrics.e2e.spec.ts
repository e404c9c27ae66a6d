import { globalLog } from '../../support/event-log';
import { ok } from '../../support/graphql-client';
import { scrape, scrapeUntil, valueOf, type Exposition } from '../../support/prometheus';
import { M, openAccount, Q, registerUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { Subscriber } from '../../support/ws-client';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const USAGE = `subscription($id: ID!) { usageEvents(accountId: $id) { type sessionId } }`;

/** GET /metrics on both apps (issue 13): Prometheus text format, what each app measures, SES_METRICS_TOKEN. */
describe('operations: /metrics in Prometheus text format on both apps', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({ SES_METRICS_TOKEN: METRICS_TOKEN });
  }, 60_000);
  afterAll(() => stack?.stop());

  const metricsOf = (app: 'command' | 'query') => scrape(stack[app].url, METRICS_TOKEN);

  it.each(['command', 'query'] as const)('%s: answers every metric in the text format, with process metrics and the app label', async (app) => {
    const exposition = await metricsOf(app);
    expect(exposition.status).toBe(200);
    expect(exposition.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(exposition.malformed).toEqual([]);
    // Default Node process metrics, and every series labelled with the app.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds'])
      expect(valueOf(exposition, name)).toBeGreaterThan(0);
    expect(exposition.samples.every((sample) => sample.labels.app === app)).toBe(true);
    expect(exposition.types.get('ses_graphql_request_duration_seconds')).toBe('histogram');
  });

  it('refuses a scrape without the SES_METRICS_TOKEN bearer (401) on both apps', async () => {
    for (const app of [stack.command, stack.query]) {
      const url = app.url.replace('/graphql', '/metrics');
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    }
  });

  it('command: counts requests by root field and outcome (ok or the contract code), and the events appended', async () => {
    const count = (e: Exposition, operation: string, outcome: string) =>
      valueOf(e, 'ses_graphql_request_duration_seconds_count', { operation_type: 'mutation', operation, outcome }) ?? 0;
    const logBefore = globalLog(stack).count;
    const before = await metricsOf('command');
    const account = await openAccount(stack);
    const stranger = await stack.userToken('nobody@example.com');
    const refused = await stack.mutate(stranger, M.openAccount, {
      input: { name: 'X', entitlementCountry: 'US', fulfillmentContact: { email: 'x@example.com', displayName: 'X' } },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unauthenticated = await stack.mutate(undefined, M.registerUser, {
      input: { accountId: account.accountId, email: 'y@example.com', displayName: 'Y' },
    });
    expect(unauthenticated.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const after = await metricsOf('command');

    expect(count(after, 'openAccount', 'ok') - count(before, 'openAccount', 'ok')).toBe(1);
    expect(count(after, 'openAccount', 'FORBIDDEN') - count(before, 'openAccount', 'FORBIDDEN')).toBe(1);
    expect(count(after, 'registerUser', 'UNAUTHENTICATED') - count(before, 'registerUser', 'UNAUTHENTICATED')).toBe(1);
    // Exactly the events that reached the log (the refused commands appended nothing).
    const appended = (valueOf(after, 'ses_events_appended_total') ?? 0) - (valueOf(before, 'ses_events_appended_total') ?? 0);
    expect(appended).toBeGreaterThan(0);
    expect(appended).toBe(globalLog(stack).count - logBefore);
    expect(valueOf(after, 'ses_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    // Without OTEL_EXPORTER_OTLP_ENDPOINT nothing of tracing reaches the events.
    const history = await ok(stack.read(account.adminToken, Q.history, { id: account.accountId }, account.position));
    for (const event of history.eventHistory.events) expect(event.metadata).not.toHaveProperty('traceparent');
  });

  it('query: the projection checkpoint reaches the position a mutation returned, with no lag left', async () => {
    const account = await openAccount(stack);
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const position = Number(user.position);
    const caughtUp = await scrapeUntil(
      stack.query.url,
      (e) =>
        (valueOf(e, 'ses_consumer_checkpoint_position', { consumer: 'read-models' }) ?? -1) >= position &&
        valueOf(e, 'ses_consumer_lag_events', { consumer: 'read-models' }) === 0,
      METRICS_TOKEN,
    );
    expect(valueOf(caughtUp, 'ses_consumer_lag_seconds', { consumer: 'read-models' })).toBe(0);
    // Query latency is measured on the query app too.
    await ok(stack.read(user.token, Q.me));
    const after = await metricsOf('query');
    expect(valueOf(after, 'ses_graphql_request_duration_seconds_count', { operation_type: 'query', operation: 'me', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('query: counts open graphql-ws subscriptions and connections while they are open', async () => {
    const account = await openAccount(stack);
    const gauge = (e: Exposition, name: string) => valueOf(e, name) ?? -1;
    const before = await metricsOf('query');
    const subscriber = new Subscriber(stack.query.wsUrl, account.adminToken, account.position);
    try {
      await subscriber.subscribe(USAGE, { id: account.accountId });
      await scrapeUntil(
        stack.query.url,
        (e) =>
          gauge(e, 'ses_live_subscriptions') === gauge(before, 'ses_live_subscriptions') + 1 &&
          gauge(e, 'ses_live_connections') === gauge(before, 'ses_live_connections') + 1,
        METRICS_TOKEN,
      );
    } finally {
      await subscriber.close();
    }
    await scrapeUntil(
      stack.query.url,
      (e) =>
        gauge(e, 'ses_live_subscriptions') === gauge(before, 'ses_live_subscriptions') &&
        gauge(e, 'ses_live_connections') === gauge(before, 'ses_live_connections'),
      METRICS_TOKEN,
    );
  });
});
