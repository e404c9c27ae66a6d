import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SCHEMA_VERSIONS, streams, type DomainEvent } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import { EmbeddedReadStore } from '@ses/read-store';
import { Deliverer } from '../apps/query/src/notifications/deliverer';
import { ALL_PROJECTIONS } from '../apps/query/src/projections/all-projections';
import { ProjectionEngine } from '../apps/query/src/projections/projection-engine';

/**
 * Notifications (the deliverer in the query app, embedded stores):
 * 1. deliveries per second to a local receiver (answering 204 at once), from a log of
 *    SES_BENCH_DELIVERIES events (default 5,000) to 1 webhook (one lane: one delivery at a
 *    time, in order) and to 10 webhooks (ten lanes), each delivery recorded DELIVERED;
 * 2. the projection lag of the read models (the query app's own projection engine, every
 *    projection) under a steady stream of usage events (2 every 10 ms for 12 s: about 175/s
 *    on the development machine), as the query app
 *    runs it: without the deliverer, with the deliverer and no webhooks, and with 1,000
 *    deliveries pending against a dead endpoint (connection refused) and against a silent
 *    one (accepts, never answers: every attempt waits for the 10 s timeout).
 */
export async function notificationsBench(): Promise<Record<string, unknown>> {
  const deliveries = Number(process.env.SES_BENCH_DELIVERIES ?? 5000);
  return {
    deliveriesPerSecond: {
      oneWebhook: await throughput(deliveries, 1),
      tenWebhooks: await throughput(deliveries, 10),
    },
    projectionLagMs: {
      withoutDeliverer: await lag('none'),
      delivererWithoutWebhooks: await lag('no webhooks'),
      pending1000AgainstRefusingEndpoint: await lag('refusing'),
      pending1000AgainstSilentEndpoint: await lag('silent'),
    },
  };
}

const AT = '2026-12-01T10:00:00.000Z';
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function append(store: SqliteEventStore, streamId: string, event: DomainEvent): Promise<bigint> {
  const metadata = {
    actor: 'bench',
    commandId: randomUUID(),
    correlationId: 'bench',
    causationId: 'bench',
    schemaVersion: SCHEMA_VERSIONS[event.type],
    occurredAt: AT,
    hash: '',
  };
  return (await store.appendToStream(streamId, [{ eventId: randomUUID(), type: event.type, data: event.data, metadata }], 'any')).position;
}

const registered = (accountId: string, i: number): DomainEvent => ({
  type: 'UserRegistered',
  data: { accountId, userId: `u${i}`, email: `u${i}@bench.example`, displayName: `U${i}`, country: 'US', registeredAt: AT },
});

function deliverer(events: SqliteEventStore, store: EmbeddedReadStore): Deliverer {
  return new Deliverer(
    events,
    store,
    {
      retryScheduleSeconds: [5, 60, 600, 3600, 21600, 86400],
      urlPolicy: { production: false, allowPrivate: false },
      timeoutMs: 10_000,
      signingKey: { privateKey: generateKeyPairSync('ed25519').privateKey },
    },
    silent,
  );
}

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function throughput(count: number, webhooks: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ses-notify-bench-'));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
  const store = await EmbeddedReadStore.open(join(dir, 'notifications.sqlite'));
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  const accountId = 'bench-account';
  for (let w = 0; w < webhooks; w++) {
    await append(events, streams.account(accountId), {
      type: 'WebhookSet',
      data: { accountId, webhookId: `w${w}`, url: `http://127.0.0.1:${port}/w${w}`, eventTypes: ['UserRegistered'], description: null },
    });
  }
  const perWebhook = Math.ceil(count / webhooks);
  for (let i = 0; i < perWebhook; i++) await append(events, streams.account(accountId), registered(accountId, i));
  const expected = perWebhook * webhooks;
  const subject = deliverer(events, store);
  const started = performance.now();
  try {
    await subject.start();
    while (received < expected || subject.pending > 0) await sleep(5);
    const seconds = (performance.now() - started) / 1000;
    const delivered = await store.count('webhookDeliveries', { status: 'DELIVERED' });
    return { webhooks, deliveries: expected, delivered, seconds: round(seconds, 2), deliveriesPerSecond: Math.round(expected / seconds) };
  } finally {
    await subject.stop();
    await store.close();
    await events.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

type LagScenario = 'none' | 'no webhooks' | 'refusing' | 'silent';

async function lag(scenario: LagScenario): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ses-notify-lag-'));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'));
  const readModels = await EmbeddedReadStore.open(join(dir, 'read-models.sqlite'));
  const notifications = await EmbeddedReadStore.open(join(dir, 'notifications.sqlite'));
  const engine = new ProjectionEngine(events, readModels, ALL_PROJECTIONS, silent);
  const subject = scenario === 'none' ? undefined : deliverer(events, notifications);
  // A dead endpoint: a port where nothing listens (refused), or a server that accepts and never answers.
  const sockets: Socket[] = [];
  const blackHole = createTcpServer((socket) => void sockets.push(socket.on('error', () => undefined)));
  // A port that was free a moment ago and that nothing listens on now: connections to it are refused.
  const probe = createTcpServer();
  const refusedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const silentPort = await listen(blackHole);
  const accountId = 'lag-account';
  try {
    await append(events, streams.account(accountId), { type: 'AccountOpened', data: { accountId, name: 'Lag', entitlementCountry: 'US', openedAt: AT } });
    if (scenario === 'refusing' || scenario === 'silent') {
      const port = scenario === 'refusing' ? refusedPort : silentPort;
      await append(events, streams.account(accountId), {
        type: 'WebhookSet',
        data: { accountId, webhookId: 'dead', url: `http://127.0.0.1:${port}/hook`, eventTypes: ['UserRegistered'], description: null },
      });
      for (let i = 0; i < 1000; i++) await append(events, streams.account(accountId), registered(accountId, i));
    }
    await engine.start();
    await subject?.start();
    const head = await events.headPosition();
    await engine.waitFor(head, 120_000);
    await subject?.engine.waitFor(head, 120_000);
    const pendingBefore = subject?.pending ?? 0;

    // The steady load: usage events of 20 pools, 2 every 10 ms, for 12 s (the first retries of the schedule fall inside).
    const appendedAt = new Map<bigint, number>();
    const lags: number[] = [];
    const off = engine.onCommitted((committed) => {
      const now = performance.now();
      for (const event of committed) {
        const at = appendedAt.get(event.position);
        if (at !== undefined) {
          lags.push(now - at);
          appendedAt.delete(event.position);
        }
      }
    });
    const until = performance.now() + 12_000;
    let n = 0;
    while (performance.now() < until) {
      for (let k = 0; k < 2; k++, n++) {
        const productId = `p${n % 20}`;
        const position = await append(events, streams.seatPool(accountId, productId), {
          type: 'UsageStarted',
          data: {
            accountId,
            sessionId: `s${n}`,
            userId: `u${n % 50}`,
            productId,
            machineId: 'm1',
            productVersion: '1',
            termLicenseUsage: false,
            country: 'US',
            startedAt: AT,
            seatsInUse: 1,
          },
        });
        appendedAt.set(position, performance.now());
      }
      await sleep(10);
    }
    await engine.waitFor(await events.headPosition(), 60_000);
    off();
    lags.sort((a, b) => a - b);
    const pick = (q: number) => round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))], 1);
    const attempts = subject ? await notifications.find<{ _id: string; attempts: number }>('webhookDeliveries', { webhookId: 'dead' }) : [];
    return {
      eventsAppended: n,
      pendingDeliveries: pendingBefore,
      attemptsAgainstDeadEndpoint: attempts.reduce((sum, d) => sum + d.attempts, 0),
      p50: pick(0.5),
      p95: pick(0.95),
      p99: pick(0.99),
      max: round(lags[lags.length - 1], 1),
    };
  } finally {
    await subject?.stop();
    await engine.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
    await notifications.close();
    await readModels.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
