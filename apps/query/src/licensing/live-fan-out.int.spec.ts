import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SqliteEventStore } from '@ses/event-store';
import type { EventDataByType, EventType } from '@ses/events';
import { EmbeddedReadStore } from '@ses/read-store';
import { ChainedWriter } from '../audit/testing/chained-writer';
import type { Alert, UsageEvent } from '../graphql/types';
import { LiveEvents } from '../live/live-events';
import { LiveResolver } from '../live/live.resolver';
import { directoryProjection } from '../projections/directory.projection';
import { licensingProjection } from '../projections/licensing.projection';
import { ProjectionEngine } from '../projections/projection-engine';
import { sessionKey } from '../projections/projection';
import { contextOf } from './testing/licensing-fixture';

const A1 = 'acc-live-1';
const A2 = 'acc-live-2';
const T0 = '2026-11-23T10:00:00.000Z';

/**
 * Subscription fan-out end to end without HTTP: events appended by a second event-store
 * instance on the same SQLite file (as the command app does from its own process) reach
 * the projection engine, the read models, and then the subscribers of that account only.
 */
describe('live fan-out: event store -> projection engine -> graphql-ws subscriptions', () => {
  let dir: string;
  let events: SqliteEventStore;
  let commandSide: SqliteEventStore;
  let writer: ChainedWriter;
  let readStore: EmbeddedReadStore;
  let engine: ProjectionEngine;
  let live: LiveResolver;

  const append = <T extends EventType>(streamId: string, type: T, data: EventDataByType[T]) => writer.append(streamId, T0, type, data);
  const pool = (accountId: string) => `seatpool-${accountId}-p-civil`;
  const session = (accountId: string, userId: string, sessionId: string) => ({ accountId, userId, productId: 'p-civil', sessionId });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-int-'));
    const file = join(dir, 'events.sqlite');
    events = new SqliteEventStore(file, { pollIntervalMs: 10 });
    commandSide = new SqliteEventStore(file, { pollIntervalMs: 10 });
    writer = new ChainedWriter(commandSide);
    readStore = await EmbeddedReadStore.open(join(dir, 'read.sqlite'));
    engine = new ProjectionEngine(events, readStore, [directoryProjection, licensingProjection], pino({ level: 'silent' }));
    const fanOut = new LiveEvents(engine, readStore, pino({ level: 'silent' }));
    fanOut.onModuleInit();
    live = new LiveResolver(fanOut);
    await engine.start();

    for (const [accountId, users] of [
      [A1, ['u-admin', 'u-aud', 'u-ann']],
      [A2, ['u-zed']],
    ] as const) {
      await append(`account-${accountId}`, 'AccountOpened', { accountId, name: accountId, entitlementCountry: 'US', openedAt: T0 });
      for (const userId of users)
        await append(`account-${accountId}`, 'UserRegistered', {
          accountId,
          userId,
          email: `${userId}@example.com`,
          displayName: userId,
          country: 'US',
          registeredAt: T0,
        });
    }
    await append(`account-${A1}`, 'RoleGranted', { accountId: A1, userId: 'u-admin', role: 'ACCOUNT_ADMINISTRATOR' });
    await append(`account-${A1}`, 'RoleGranted', { accountId: A1, userId: 'u-aud', role: 'AUDITOR' });
    await append(`account-${A2}`, 'RoleGranted', { accountId: A2, userId: 'u-zed', role: 'ACCOUNT_ADMINISTRATOR' });
    await engine.waitFor(await events.headPosition(), 5000);
  });

  afterAll(async () => {
    await engine?.stop();
    await readStore?.close();
    await commandSide?.close();
    await events?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses subscriptions of anyone but the account's administrators, co-administrators, auditors and the operator", async () => {
    await expect(live.usageEvents(A1, contextOf(readStore, 'u-zed'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(live.alertRaised(A1, contextOf(readStore, 'u-zed'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(live.usageEvents(A1, contextOf(readStore, 'u-ann'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(live.usageEvents(A1, contextOf(readStore, { unregistered: true }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const ctx of [contextOf(readStore, 'u-aud'), contextOf(readStore, { operator: true })]) await (await live.usageEvents(A1, ctx)).return?.();
  });

  it("pushes each account's usage events and alerts to that account's subscribers only, once the read models hold them", async () => {
    const a1Usage = await live.usageEvents(A1, contextOf(readStore, 'u-admin'));
    const a1Alerts = await live.alertRaised(A1, contextOf(readStore, 'u-aud'));
    const a2Usage = await live.usageEvents(A2, contextOf(readStore, 'u-zed'));
    const a2Alerts = await live.alertRaised(A2, contextOf(readStore, { operator: true }));
    // graphql-subscriptions listens from the first next() (graphql-ws pulls at once when a subscription starts).
    const [firstA1Usage, firstA1Alert, firstA2Usage, firstA2Alert] = [a1Usage.next(), a1Alerts.next(), a2Usage.next(), a2Alerts.next()];

    await append(pool(A1), 'UsageStarted', {
      ...session(A1, 'u-ann', 's1'),
      machineId: 'ws-1',
      productVersion: '24.1',
      termLicenseUsage: true,
      country: 'US',
      startedAt: '2026-11-23T10:00:01.000Z',
    });
    await append(pool(A2), 'UsageStarted', {
      ...session(A2, 'u-zed', 's9'),
      machineId: 'ws-9',
      productVersion: null,
      termLicenseUsage: false,
      country: 'US',
      startedAt: '2026-11-23T10:00:02.000Z',
    });
    await append(pool(A1), 'AlertRaised', {
      accountId: A1,
      alertId: 'al-1',
      ruleId: 'r1',
      productId: 'p-civil',
      seatsInUse: 1,
      thresholdSeats: 1,
      seats: 1,
      raisedAt: '2026-11-23T10:00:01.000Z',
    });
    await append(pool(A1), 'UsageDenied', {
      ...session(A1, 'u-aud', 's2'),
      machineId: 'ws-2',
      denyReason: 'THRESHOLD_REACHED',
      deniedAt: '2026-11-23T10:00:03.000Z',
    });
    await append(pool(A1), 'UsageHeartbeat', { ...session(A1, 'u-ann', 's1'), at: '2026-11-23T10:05:00.000Z' });
    await append(pool(A1), 'UsageEnded', { ...session(A1, 'u-ann', 's1'), endedAt: '2026-11-23T10:10:00.000Z' });
    await append(pool(A1), 'UsageStarted', {
      ...session(A1, 'u-admin', 's3'),
      machineId: 'ws-3',
      productVersion: '24.1',
      termLicenseUsage: false,
      country: 'US',
      startedAt: '2026-11-23T10:11:00.000Z',
    });
    await append(pool(A1), 'UsageTimedOut', {
      ...session(A1, 'u-admin', 's3'),
      lastHeartbeatAt: '2026-11-23T10:11:00.000Z',
      timedOutAt: '2026-11-23T10:26:00.000Z',
    });
    await append(pool(A2), 'AlertRaised', {
      accountId: A2,
      alertId: 'al-9',
      ruleId: 'r9',
      productId: 'p-civil',
      seatsInUse: 1,
      thresholdSeats: 1,
      seats: 1,
      raisedAt: '2026-11-23T10:00:02.000Z',
    });

    const started = (await within(firstA1Usage)).value as UsageEvent;
    expect(started).toEqual({
      type: 'STARTED',
      sessionId: 's1',
      accountId: A1,
      userId: 'u-ann',
      productId: 'p-civil',
      machineId: 'ws-1',
      at: '2026-11-23T10:00:01.000Z',
      termLicenseUsage: true,
      denyReason: null,
    });
    expect(await readStore.findOne('sessions', { _id: sessionKey(A1, 's1') })).not.toBeNull();

    expect(await take(a1Usage, 4)).toEqual([
      {
        type: 'DENIED',
        sessionId: 's2',
        accountId: A1,
        userId: 'u-aud',
        productId: 'p-civil',
        machineId: 'ws-2',
        at: '2026-11-23T10:00:03.000Z',
        termLicenseUsage: false,
        denyReason: 'THRESHOLD_REACHED',
      },
      // ENDED and TIMED_OUT carry the machine and term-licence flag of their start (from the sessions read model).
      {
        type: 'ENDED',
        sessionId: 's1',
        accountId: A1,
        userId: 'u-ann',
        productId: 'p-civil',
        machineId: 'ws-1',
        at: '2026-11-23T10:10:00.000Z',
        termLicenseUsage: true,
        denyReason: null,
      },
      {
        type: 'STARTED',
        sessionId: 's3',
        accountId: A1,
        userId: 'u-admin',
        productId: 'p-civil',
        machineId: 'ws-3',
        at: '2026-11-23T10:11:00.000Z',
        termLicenseUsage: false,
        denyReason: null,
      },
      {
        type: 'TIMED_OUT',
        sessionId: 's3',
        accountId: A1,
        userId: 'u-admin',
        productId: 'p-civil',
        machineId: 'ws-3',
        at: '2026-11-23T10:26:00.000Z',
        termLicenseUsage: false,
        denyReason: null,
      },
    ]);
    expect((await within(firstA1Alert)).value).toEqual({
      id: 'al-1',
      accountId: A1,
      ruleId: 'r1',
      productId: 'p-civil',
      seatsInUse: 1,
      thresholdSeats: 1,
      seats: 1,
      raisedAt: '2026-11-23T10:00:01.000Z',
    });
    const a2Started = (await within(firstA2Usage)).value as UsageEvent;
    expect([a2Started.type, a2Started.sessionId, a2Started.accountId, a2Started.machineId]).toEqual(['STARTED', 's9', A2, 'ws-9']);
    const a2Alert = (await within(firstA2Alert)).value as Alert;
    expect([a2Alert.id, a2Alert.accountId]).toEqual(['al-9', A2]);

    // Nothing else arrives: no heartbeats, no other account's events.
    for (const iterator of [a1Usage, a1Alerts, a2Usage, a2Alerts]) await expectSilence(iterator);
  });

  it('keeps publishing after the engine restarts, without repeating what it published before', async () => {
    const a1Usage = await live.usageEvents(A1, contextOf(readStore, 'u-admin'));
    const first = a1Usage.next();
    await engine.stop();
    await engine.start();
    await append(pool(A1), 'UsageStarted', {
      ...session(A1, 'u-ann', 's4'),
      machineId: 'ws-4',
      productVersion: null,
      termLicenseUsage: false,
      country: 'US',
      startedAt: '2026-11-23T11:00:00.000Z',
    });
    expect(((await within(first)).value as UsageEvent).sessionId).toBe('s4');
    await expectSilence(a1Usage);
  });
});

function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms).unref())]);
}

async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < n) items.push((await within(iterator.next())).value as T);
  return items;
}

/** Waits a little for a further item, expects none, and ends the subscription. */
async function expectSilence(iterator: AsyncIterator<unknown>, ms = 300): Promise<void> {
  const next = iterator.next();
  const outcome = await Promise.race([next.then((r) => (r.done ? 'done' : r.value)), new Promise((resolve) => setTimeout(() => resolve('silence'), ms))]);
  expect(outcome).toBe('silence');
  await iterator.return?.();
}
