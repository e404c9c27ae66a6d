import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gql, ok } from '../../support/graphql-client';
import { M, Q, registerUser, uniqueEmail, openAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

/** A span as an OTLP/HTTP JSON export carries it, with the service that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP receiver in the test process: keeps every span the apps export to POST /v1/traces (JSON). */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly requests: string[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        try {
          this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          // Not JSON: recorded in `requests`, no spans.
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Waits (the apps export in batches) until spans matching `match` have arrived. */
  async waitFor(match: (span: ReceivedSpan) => boolean, what: string, timeoutMs = 20_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.spans.filter(match);
      if (found.length > 0) return found;
      if (Date.now() > deadline)
        throw new Error(`no span ${what} within ${timeoutMs} ms; received: ${JSON.stringify(this.spans.map((s) => `${s.service} ${s.name} ${s.traceId}`))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private collect(body: any): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = (resourceSpans.resource?.attributes ?? []).find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '?';
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const attributes: Record<string, unknown> = {};
          for (const a of span.attributes ?? []) attributes[a.key] = a.value?.stringValue ?? a.value?.intValue ?? a.value?.boolValue;
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: span.kind,
            attributes,
          });
        }
      }
    }
  }
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CONSUMER = 5;

/**
 * OpenTelemetry (issue 13): with OTEL_EXPORTER_OTLP_ENDPOINT set, the trace of a command goes
 * from its request, through the `traceparent` in the metadata of the events it appended, to the
 * projection that applied them on the query app; both apps export to the endpoint over OTLP/HTTP.
 */
describe('operations: traces from the command through the events to the projection', () => {
  let receiver: OtlpReceiver;
  let stack: SesStack;
  beforeAll(async () => {
    receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    stack = await SesStack.start({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it("carries the caller's trace into the events' metadata and on to the projection that applies them", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const operator = await stack.operatorToken();
    const email = uniqueEmail('traced');
    const answer = await ok(
      gql(
        stack.command.url,
        operator,
        M.openAccount,
        { input: { name: 'Traced Co', entitlementCountry: 'US', fulfillmentContact: { email, displayName: 'T' } } },
        { traceparent: `00-${traceId}-${callerSpanId}-01` },
      ),
    );
    const { accountId, position } = answer.openAccount;

    // The command's request span: a child of the caller's span, named after the operation, with its outcome.
    const [request] = await receiver.waitFor((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER, 'for the command request');
    expect(request).toMatchObject({ service: 'ses-command', name: 'mutation openAccount', parentSpanId: callerSpanId });
    expect(request.attributes).toMatchObject({ 'ses.outcome': 'ok', 'graphql.operation.name': 'openAccount' });
    const appends = await receiver.waitFor((s) => s.traceId === traceId && s.name === 'ses.event_store.append', 'for the appends');
    expect(appends.every((s) => s.parentSpanId === request.spanId)).toBe(true);

    // Every event the command appended names that span in its metadata.
    const adminToken = await stack.userToken(email);
    const history = await ok(stack.read(adminToken, Q.history, { id: accountId }, position));
    const events: { type: string; metadata: Record<string, string> }[] = history.eventHistory.events;
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.metadata.traceparent).toBe(`00-${traceId}-${request.spanId}-01`);

    // The query app applied each of them in that trace, as a child of the command's request span.
    const projected = await receiver.waitFor(
      (s) => s.traceId === traceId && s.service === 'ses-query' && s.kind === SPAN_KIND_CONSUMER && s.name === 'project AccountOpened',
      'for the projection of AccountOpened',
    );
    expect(projected[0]).toMatchObject({ parentSpanId: request.spanId, attributes: { 'ses.consumer': 'read-models', 'ses.event.type': 'AccountOpened' } });
    const projectedTypes = new Set(
      (await receiver.waitFor((s) => s.traceId === traceId && s.service === 'ses-query' && s.kind === SPAN_KIND_CONSUMER, 'for projections')).map(
        (s) => s.attributes['ses.event.type'],
      ),
    );
    expect(projectedTypes.has('AccountOpened')).toBe(true);

    // The traceparent is hash-chained metadata like the rest: the history still verifies.
    const verified = await ok(stack.read(adminToken, `query($id: ID!) { verifyHistory(accountId: $id) { ok eventsChecked } }`, { id: accountId }));
    expect(verified.verifyHistory).toEqual({ ok: true, eventsChecked: events.length });
  });

  it('starts a trace of its own for a request without traceparent, and records refusals with their code', async () => {
    const account = await openAccount(stack);
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const refused = await stack.mutate(user.token, M.openAccount, {
      input: { name: 'X', entitlementCountry: 'US', fulfillmentContact: { email: uniqueEmail(), displayName: 'X' } },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [span] = await receiver.waitFor(
      (s) => s.service === 'ses-command' && s.name === 'mutation openAccount' && s.attributes['ses.outcome'] === 'FORBIDDEN',
      'for the refused openAccount',
    );
    expect(span.parentSpanId).toBeUndefined();

    const history = await ok(stack.read(account.adminToken, Q.history, { id: account.accountId }, user.position));
    const registered = history.eventHistory.events.find((e: any) => e.type === 'UserRegistered' && e.data.userId === user.userId);
    expect(registered.metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
