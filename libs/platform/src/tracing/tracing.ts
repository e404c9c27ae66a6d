import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then the SDK is loaded, spans go to that OTLP/HTTP
 * endpoint in batches, and the W3C `traceparent` header is honoured. Without it the SDK is never
 * loaded and every function here returns at its first line (the API alone is a no-op).
 *
 * The trace goes from a command's GraphQL request into the metadata of the events it appends
 * (`metadata.traceparent`, hash-chained like the rest of the metadata) and from there to the
 * projection that applies them (a span per event, in the same trace).
 */

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let provider: Provider | undefined;
let tracer: Tracer | undefined;

export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/** Loads and registers the SDK when an OTLP endpoint is configured; `true` when tracing is on. Once per process. */
export async function startTracing(app: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (provider) return true;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || /^true$/i.test(env.OTEL_SDK_DISABLED ?? '')) return false;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { defaultResource, detectResources, envDetector, resourceFromAttributes }] =
    await Promise.all([import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/resources')]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over the default name `ses-<app>`.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': `ses-${app}` }))
    .merge(detectResources({ detectors: [envDetector] }));
  // The exporter and the batch processor read the standard OTEL_EXPORTER_OTLP_* and OTEL_BSP_* variables, the sampler OTEL_TRACES_SAMPLER.
  const sdk = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  sdk.register();
  provider = sdk;
  tracer = trace.getTracer('ses');
  return true;
}

/** Sends the spans still buffered (at shutdown). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * Express/Nest middleware for the GraphQL route: one SERVER span per request (child of the
 * caller's `traceparent`, if any), active while the request is handled, ended when the answer
 * is sent. graphql-metrics.ts names it after the operation once it is known.
 */
export function traceHttpRequest(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!tracer) return next();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(`${req.method ?? 'HTTP'} /graphql`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), next);
}

/** The request's span (inside traceHttpRequest), if tracing is on. */
export function activeSpan(): Span | undefined {
  return tracer ? trace.getActiveSpan() : undefined;
}

const NO_TRACE: Readonly<{ traceparent?: string }> = Object.freeze({});

/**
 * `{ traceparent }` of the active span when tracing is on and the span is sampled, for the
 * metadata of the events a command appends; `{}` otherwise (always the same frozen object).
 */
export function traceMetadata(): Readonly<{ traceparent?: string }> {
  if (!tracer) return NO_TRACE;
  const span = trace.getActiveSpan();
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext) || !(spanContext.traceFlags & TraceFlags.SAMPLED)) return NO_TRACE;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { traceparent: carrier.traceparent } : NO_TRACE;
}

/** Runs `work` in a child span of the active one when tracing is on (e.g. an append); just runs it otherwise. */
export async function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!tracer || !trace.getActiveSpan()) return work();
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/** What tracing needs of an event a consumer has applied. */
export interface TracedEvent {
  type: string;
  streamId: string;
  position: bigint;
  recordedAt: Date;
  metadata: Readonly<Record<string, unknown>>;
}

/**
 * One CONSUMER span per applied event that carries a `traceparent`, in the command's trace:
 * from the moment the event store recorded the event to now (when `consumer` has committed
 * it), so its duration is how long the command's effect took to become readable.
 */
export function traceApplied(consumer: string, events: readonly TracedEvent[]): void {
  if (!tracer) return;
  const now = new Date();
  for (const event of events) {
    const traceparent = event.metadata.traceparent;
    if (typeof traceparent !== 'string') continue;
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
    if (!trace.getSpanContext(parent)) continue;
    const span = tracer.startSpan(
      `project ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        startTime: event.recordedAt <= now ? event.recordedAt : now,
        attributes: {
          'ses.consumer': consumer,
          'ses.event.type': event.type,
          'ses.event.stream': event.streamId,
          'ses.event.position': event.position.toString(),
        },
      },
      parent,
    );
    span.end(now);
  }
}
