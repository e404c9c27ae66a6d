import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served by GET /metrics of both apps
 * (metrics.controller.ts). Code elsewhere records through `sesMetrics` in one line and never
 * touches prom-client itself, so the names, labels and buckets live here, documented in
 * README "Operations".
 *
 * Labels take only values from small fixed sets (root field names of the schema, contract
 * error codes, names given in code): never ids, emails or anything a client chooses.
 */
export const metricsRegistry = new Registry();

let started = false;

/** Default Node process metrics (CPU, memory, event-loop lag, GC, handles) and the `app` label on every series; once per process. */
export function startMetrics(app: string): void {
  if (started) return;
  started = true;
  metricsRegistry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: metricsRegistry });
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const graphqlDuration = new Histogram({
  name: 'ses_graphql_request_duration_seconds',
  help: 'GraphQL requests over HTTP, from the start of the request to the answer, by operation (root field) and outcome (ok or the contract error code)',
  labelNames: ['operation_type', 'operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

const appendDuration = new Histogram({
  name: 'ses_event_store_append_duration_seconds',
  help: 'Appends to the event store (one batch of events of one stream each), by outcome: ok, conflict (wrong expected revision), error',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

const eventsAppended = new Counter({
  name: 'ses_events_appended_total',
  help: 'Events appended to the event store by this process (idempotent repeats included)',
  registers: [metricsRegistry],
});

const concurrencyConflicts = new Counter({
  name: 'ses_concurrency_conflicts_total',
  help: 'Appends refused because the stream had moved on (optimistic concurrency); the command path then retries on fresh state',
  registers: [metricsRegistry],
});

const retries = new Counter({
  name: 'ses_retries_total',
  help: 'Work done again after a failure, by component and reason (e.g. command/concurrency_conflict)',
  labelNames: ['component', 'reason'] as const,
  registers: [metricsRegistry],
});

const reconnects = new Counter({
  name: 'ses_reconnects_total',
  help: 'Connections or subscriptions to a store opened again after they dropped, by component',
  labelNames: ['component'] as const,
  registers: [metricsRegistry],
});

const webhookDeliveries = new Counter({
  name: 'ses_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome (e.g. delivered, failed, gave_up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

const webhookDuration = new Histogram({
  name: 'ses_webhook_delivery_duration_seconds',
  help: 'Webhook delivery attempts, from request to answer (or failure), by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const rateLimited = new Counter({
  name: 'ses_rate_limited_total',
  help: 'Requests answered 429 by the rate limits, by what was limited (principal or address)',
  labelNames: ['key'] as const,
  registers: [metricsRegistry],
});

/** What a consumer of the global log needs to say how far behind it is. */
export interface LagSource {
  /** Global position of the newest event (-1n when the log is empty). */
  headPosition(): Promise<bigint>;
  /** Events after a position, in order (the event store port's readAll). */
  readAll(options: { after?: bigint; maxCount?: number }): Promise<readonly { position: bigint; recordedAt: Date }[]>;
}

interface Consumer {
  /** Position of the last event the consumer has committed (-1n: none). */
  position: () => bigint;
  log: LagSource;
}

/** Lag in events is counted up to this many (a consumer further behind shows this many): the count reads the events. */
export const LAG_EVENTS_COUNTED = 10_000;
const LAG_PAGE = 1000;

const consumers = new Map<string, Consumer>();

interface ConsumerReading {
  checkpoint: number;
  lagEvents: number;
  lagSeconds: number;
}

const CONSUMER_GAUGES = 3;
let reading: { at: number; taken: number; result: Promise<Map<string, ConsumerReading>> } | undefined;

/**
 * One reading of every consumer per scrape: the three consumer gauges share it (the first to
 * collect starts it, the last drops it; a reading older than a second is never reused).
 */
function readConsumers(): Promise<Map<string, ConsumerReading>> {
  const now = Date.now();
  if (!reading || now - reading.at > 1000) reading = { at: now, taken: 0, result: readAllConsumers() };
  const current = reading;
  current.taken += 1;
  if (current.taken >= CONSUMER_GAUGES) reading = undefined;
  return current.result;
}

async function readAllConsumers(): Promise<Map<string, ConsumerReading>> {
  const readings = new Map<string, ConsumerReading>();
  for (const [name, consumer] of consumers) {
    try {
      readings.set(name, await readConsumer(consumer));
    } catch {
      // A store that cannot be read now: no lag series this scrape (absent, not a false 0).
    }
  }
  return readings;
}

async function readConsumer(consumer: Consumer): Promise<ConsumerReading> {
  const committed = consumer.position();
  const head = await consumer.log.headPosition();
  if (head <= committed) return { checkpoint: Number(committed), lagEvents: 0, lagSeconds: 0 };
  let lagEvents = 0;
  let oldest: Date | undefined;
  let after = committed;
  while (lagEvents < LAG_EVENTS_COUNTED) {
    const page = await consumer.log.readAll({ after, maxCount: Math.min(LAG_PAGE, LAG_EVENTS_COUNTED - lagEvents) });
    if (page.length === 0) break;
    oldest ??= page[0].recordedAt;
    lagEvents += page.length;
    after = page[page.length - 1].position;
    if (after >= head) break;
  }
  const lagSeconds = oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
  return { checkpoint: Number(committed), lagEvents, lagSeconds };
}

function consumerGauge(name: string, help: string, pick: (reading: ConsumerReading) => number): void {
  new Gauge({
    name,
    help,
    labelNames: ['consumer'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const [consumer, value] of await readConsumers()) this.set({ consumer }, pick(value));
    },
  });
}

consumerGauge('ses_consumer_checkpoint_position', 'Global log position of the last event a consumer has committed (its checkpoint)', (r) => r.checkpoint);
consumerGauge('ses_consumer_lag_events', `Events in the global log after a consumer's checkpoint (counted up to ${LAG_EVENTS_COUNTED})`, (r) => r.lagEvents);
consumerGauge('ses_consumer_lag_seconds', 'Age of the oldest event a consumer has not committed yet (0 when it is caught up)', (r) => r.lagSeconds);

const sources = new Map<string, () => number>();

/** A gauge whose value is read from the code that knows it, at each scrape (e.g. open subscriptions). */
function sampledGauge(name: string, help: string): void {
  new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    collect() {
      const read = sources.get(name);
      if (read) this.set(read());
      else this.reset();
    },
  });
}

export const SAMPLED_GAUGES = {
  liveSubscriptions: 'ses_live_subscriptions',
  liveConnections: 'ses_live_connections',
  livePrincipals: 'ses_live_principals',
} as const;
sampledGauge(SAMPLED_GAUGES.liveSubscriptions, 'Open graphql-ws subscriptions on this query app');
sampledGauge(SAMPLED_GAUGES.liveConnections, 'Open graphql-ws connections on this query app');
sampledGauge(SAMPLED_GAUGES.livePrincipals, 'Principals with at least one open subscription on this query app');

/**
 * The one-line hooks other code calls. Names passed as `component`, `reason` or `outcome`
 * must be constants in code (each distinct value is a series).
 */
export const sesMetrics = {
  /** A GraphQL request over HTTP answered (graphql-metrics.ts calls this). */
  graphqlRequest(operationType: string, operation: string, outcome: string, seconds: number): void {
    graphqlDuration.observe({ operation_type: operationType, operation, outcome }, seconds);
  },
  /** One append of `events` events to one stream, and how it ended. */
  append(outcome: 'ok' | 'conflict' | 'error', events: number, seconds: number): void {
    appendDuration.observe({ outcome }, seconds);
    if (outcome === 'ok') eventsAppended.inc(events);
    else if (outcome === 'conflict') concurrencyConflicts.inc();
  },
  /** Something is done again after a failure: `retry('command', 'concurrency_conflict')`, `retry('esdb-append', 'unavailable')`. */
  retry(component: string, reason: string): void {
    retries.inc({ component, reason });
  },
  /** A dropped subscription or connection was opened again: `reconnect('esdb-subscription')`. */
  reconnect(component: string): void {
    reconnects.inc({ component });
  },
  /** One webhook delivery attempt ended: `webhookDelivery('delivered', 0.12)`; outcomes e.g. delivered, failed, gave_up. */
  webhookDelivery(outcome: string, seconds?: number): void {
    webhookDeliveries.inc({ outcome });
    if (seconds !== undefined) webhookDuration.observe({ outcome }, seconds);
  },
  /** A request answered 429. */
  rateLimited(key: 'principal' | 'address'): void {
    rateLimited.inc({ key });
  },
  /**
   * A consumer of the global log (projection engine, command index, webhook deliverer):
   * its checkpoint and its lag (events and seconds behind `log`'s head) are read at each
   * scrape. Returns a function that stops tracking it.
   */
  trackConsumer(name: string, position: () => bigint, log: LagSource): () => void {
    const consumer = { position, log };
    consumers.set(name, consumer);
    reading = undefined;
    return () => {
      if (consumers.get(name) === consumer) consumers.delete(name);
      reading = undefined;
    };
  },
  /** Where a sampled gauge (SAMPLED_GAUGES) reads its value at each scrape. */
  sample(gauge: (typeof SAMPLED_GAUGES)[keyof typeof SAMPLED_GAUGES], read: () => number): () => void {
    sources.set(gauge, read);
    return () => {
      if (sources.get(gauge) === read) sources.delete(gauge);
    };
  },
};
