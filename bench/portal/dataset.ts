import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { chainHash, SCHEMA_VERSIONS, streams, type EventType } from '@ses/events';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import { ALL_PROJECTIONS } from '../../apps/query/src/projections/all-projections';
import { rebuildReadModels } from '../../apps/query/src/read-models/rebuild';
import { ACCOUNT, PRODUCTS, synthesize } from '../usage-synth';

/**
 * A data directory the query app can serve the portal from: one account with users,
 * groups, alert rules and a year (or `days`) of usage ending at today's UTC midnight
 * (bench/usage-synth.ts, seeded), appended to the embedded SQLite event store with the
 * contract's hash chain, then projected into read models exactly as
 * `npm run projections:rebuild` does. Alerts are raised where seats in use cross a rule's
 * threshold, as the command side would.
 */
export interface PortalDatasetOptions {
  sessions: number;
  users: number;
  checkouts: number;
  days: number;
  /** Also the onboarding and notifications records the screenshots show: domains, registration requests, and a webhook to this URL (set before all usage, so every alert is delivered to it). */
  extensions?: { webhookUrl: string };
  onProgress?: (message: string) => void;
}

export interface PortalDataset {
  accountId: string;
  sessions: number;
  adminEmail: string;
  from: string;
  to: string;
  events: number;
  writeSeconds: number;
  projectSeconds: number;
}

export const ADMIN_EMAIL = 'ann.admin@bench.example';
const DAY_MS = 86_400_000;
/** NOTIFY rules at these fractions of the seats owned (per product). */
const ALERT_AT = [0.8, 0.8, 0.9, 0.9, 0.9];

class ChainedStream {
  private previous = '';
  private revision = -1n;
  private appended = -1n;
  private buffer: EventToAppend[] = [];

  constructor(
    private readonly store: SqliteEventStore,
    readonly streamId: string,
  ) {}

  async push(type: EventType, data: Record<string, unknown>, occurredAt: string): Promise<void> {
    this.revision += 1n;
    const metadata = {
      actor: 'bench',
      commandId: `${this.streamId}-${this.revision}`,
      correlationId: 'bench',
      causationId: 'bench',
      schemaVersion: SCHEMA_VERSIONS[type],
      occurredAt,
    };
    this.previous = chainHash(this.previous, type, data, metadata);
    this.buffer.push({ eventId: `${this.streamId}-${this.revision}`, type, data, metadata: { ...metadata, hash: this.previous } });
    if (this.buffer.length >= 5000) await this.flush();
  }

  async flush(): Promise<number> {
    if (this.buffer.length === 0) return 0;
    const batch = this.buffer;
    this.buffer = [];
    const result = await this.store.appendToStream(this.streamId, batch, this.appended < 0n ? 'no_stream' : this.appended);
    this.appended = result.nextExpectedRevision;
    return batch.length;
  }
}

/** Domains, five registration requests (three pending, one approved, one rejected) and a webhook for AlertRaised and RegistrationRequested. */
async function writeExtensions(account: ChainedStream, webhookUrl: string, from: string, end: number): Promise<number> {
  const events: [EventType, Record<string, unknown>, string][] = [
    ['AccountDomainsSet', { domains: ['bench.example', 'bench-labs.example'], autoApprove: false }, from],
    ['WebhookSet', { webhookId: 'webhook-alerts', url: webhookUrl, eventTypes: ['AlertRaised', 'RegistrationRequested'], description: 'Alert engine' }, from],
  ];
  const people = ['Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'];
  people.forEach((displayName, i) => {
    const at = new Date(end - (5 - i) * 3 * 3_600_000).toISOString();
    const requestId = `request-${i}`;
    const email = `${displayName.split(' ')[0].toLowerCase()}@${i % 2 ? 'bench-labs' : 'bench'}.example`;
    events.push(['RegistrationRequested', { requestId, email, displayName, country: i === 1 ? 'GB' : 'US', requestedAt: at }, at]);
    if (i === 0) {
      events.push(['RegistrationApproved', { requestId, userId: 'user-joined', decidedBy: 'bench-admin', decidedByName: 'Ann Admin', decidedAt: at }, at]);
      events.push(['UserRegistered', { userId: 'user-joined', email, displayName, country: 'US', registeredAt: at, requestId }, at]);
    }
    if (i === 1)
      events.push([
        'RegistrationRejected',
        { requestId, reason: 'Contractor: ask your manager', decidedBy: 'bench-admin', decidedByName: 'Ann Admin', decidedAt: at },
        at,
      ]);
  });
  for (const [type, data, at] of events) await account.push(type, { accountId: ACCOUNT, ...data }, at);
  return events.length;
}

export async function writePortalDataset(dir: string, options: PortalDatasetOptions): Promise<PortalDataset> {
  const progress = options.onProgress ?? (() => undefined);
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const start = end - options.days * DAY_MS;
  const from = new Date(start).toISOString();
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const writeStarted = process.hrtime.bigint();
  let count = 0;
  try {
    const account = new ChainedStream(store, streams.account(ACCOUNT));
    const push = async (stream: ChainedStream, type: EventType, data: Record<string, unknown>, at: string) => {
      await stream.push(type, { accountId: ACCOUNT, ...data }, at);
      count += 1;
    };
    await push(account, 'AccountOpened', { name: 'Bench Engineering', entitlementCountry: 'US', openedAt: from }, from);
    await push(account, 'UserRegistered', { userId: 'bench-admin', email: ADMIN_EMAIL, displayName: 'Ann Admin', country: 'US', registeredAt: from }, from);
    await push(account, 'RoleGranted', { userId: 'bench-admin', role: 'ACCOUNT_ADMINISTRATOR' }, from);
    for (let u = 0; u < options.users; u++) {
      const country = u % 10 === 0 ? 'GB' : 'US';
      await push(
        account,
        'UserRegistered',
        { userId: `user-${u}`, email: `user${u}@bench.example`, displayName: `User ${u}`, country, registeredAt: from },
        from,
      );
    }
    const groups = [
      { groupId: 'group-design', name: 'Design', productIds: [PRODUCTS[0], PRODUCTS[1]] },
      { groupId: 'group-roads', name: 'Roads', productIds: [PRODUCTS[1], PRODUCTS[2], PRODUCTS[4]] },
    ];
    for (const group of groups) await push(account, 'GroupCreated', group, from);
    for (let u = 0; u < options.users; u += 3) await push(account, 'GroupMemberAdded', { groupId: groups[u % 2].groupId, userId: `user-${u}` }, from);
    if (options.extensions) count += await writeExtensions(account, options.extensions.webhookUrl, from, end);

    const pools = PRODUCTS.map((productId) => ({
      stream: new ChainedStream(store, streams.seatPool(ACCOUNT, productId)),
      seats: 0,
      armed: true,
      ruleId: `rule-${productId}`,
    }));
    let alerts = 0;
    const seatScale = Math.min(1, options.sessions / options.days / (1_000_000 / 365));
    let reportWritten = 500_000;
    for (const event of synthesize({ sessions: options.sessions, users: options.users, checkouts: options.checkouts, from, days: options.days })) {
      const data = event.data as Record<string, unknown>;
      const at = String(event.metadata.occurredAt);
      if (event.type === 'EntitlementGranted') {
        const pool = PRODUCTS.indexOf(String(data.productId));
        // The synthesizer sizes seats for a year of 1M sessions; smaller data sets own proportionally fewer (so peaks still reach them).
        pools[pool].seats = Math.max(2, Math.round(Number(data.seats) * seatScale));
        await push(account, 'EntitlementGranted', { ...data, seats: pools[pool].seats }, at);
        await push(
          account,
          'AlertRuleSet',
          {
            ruleId: pools[pool].ruleId,
            productId: data.productId,
            thresholdSeats: Math.round(pools[pool].seats * ALERT_AT[pool]),
            action: 'NOTIFY',
            notifyUserIds: [],
          },
          at,
        );
        continue;
      }
      const pool = pools[PRODUCTS.indexOf(String(data.productId))];
      await push(pool.stream, event.type as EventType, data, at);
      // A rule fires once per crossing and re-arms below its threshold (contract: Alerts).
      const level = typeof data.seatsInUse === 'number' ? data.seatsInUse : undefined;
      const threshold = Math.round(pool.seats * ALERT_AT[pools.indexOf(pool)]);
      if (level !== undefined && level >= threshold && pool.armed) {
        pool.armed = false;
        alerts += 1;
        await push(
          pool.stream,
          'AlertRaised',
          {
            alertId: `alert-${alerts}`,
            ruleId: pool.ruleId,
            productId: data.productId,
            seatsInUse: level,
            thresholdSeats: threshold,
            seats: pool.seats,
            raisedAt: at,
          },
          at,
        );
      } else if (level !== undefined && level < threshold) {
        pool.armed = true;
      }
      if (count >= reportWritten) {
        progress(`${count.toLocaleString('en')} events written`);
        reportWritten += 500_000;
      }
    }
    await account.flush();
    for (const pool of pools) await pool.stream.flush();
    const writeSeconds = Number(process.hrtime.bigint() - writeStarted) / 1e9;
    progress(`${count.toLocaleString('en')} events written in ${writeSeconds.toFixed(1)} s; projecting`);
    let report = 250_000;
    const rebuilt = await rebuildReadModels(store, new EmbeddedReadStoreCatalog(dir), ALL_PROJECTIONS, (n) => {
      if (n < report) return;
      progress(`${n.toLocaleString('en')} events projected`);
      report += 250_000;
    });
    return {
      accountId: ACCOUNT,
      adminEmail: ADMIN_EMAIL,
      sessions: options.sessions,
      from,
      to: new Date(end).toISOString(),
      events: count,
      writeSeconds,
      projectSeconds: rebuilt.seconds,
    };
  } finally {
    await store.close();
  }
}
