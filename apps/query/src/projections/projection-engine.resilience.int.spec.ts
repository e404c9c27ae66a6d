import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FaultInjectingEventStore, Faults, SqliteEventStore, type EventToAppend } from '@ses/event-store';
import { EmbeddedReadStore, FaultInjectingReadStore, InMemoryLeases, type Doc, type ReadStore } from '@ses/read-store';
import { ProjectionEngine, type ProjectionEngineObserver } from './projection-engine';
import type { Projection } from './projection';

/*
 * The engine under injected faults: commits that fail (some after part of their writes
 * landed), an event store that drops its subscriptions or is unreachable for a while,
 * slow reads, a projection that throws, two engines on one read store. Each test keeps
 * appending while the faults happen, then checks that every event was applied exactly
 * once: the read models equal a fresh projection of the whole log, and every event id
 * appears once in them.
 */

const logger = pino({ level: 'silent' });
const quickRestarts = { initialMs: 10, maxMs: 100 };

/** Per stream: how many events and which ids (a `$push` shows an event applied twice); per log: a total. */
const tally = (fail: (event: { eventId: string }) => boolean = () => false): Projection => ({
  name: 'tally',
  version: 1,
  collections: ['streams', 'totals'],
  project: (event) => {
    if (fail(event)) throw new Error(`tally cannot take ${event.eventId}`);
    return [
      { kind: 'upsert', collection: 'streams', id: event.streamId, update: { $inc: { n: 1 }, $push: { ids: event.eventId } }, position: event.position },
      { kind: 'upsert', collection: 'totals', id: 'all', update: { $inc: { n: 1 }, $max: { last: Number(event.position) } }, position: event.position },
    ];
  },
});

function anEvent(): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'UserDeactivated',
    data: { accountId: 'a1', userId: randomUUID() },
    metadata: { actor: 't', commandId: randomUUID(), correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: new Date().toISOString(), hash: '' },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Records what the engine told its observer. */
function recording() {
  const seen = { restarting: [] as string[], recovered: [] as string[], sourceRetrying: 0, writes: 0, roles: [] as string[] };
  const observer: ProjectionEngineObserver = {
    restarting: ({ cause, attempt }) => seen.restarting.push(`${cause} ${attempt}`),
    recovered: ({ from }) => seen.recovered.push(from),
    sourceRetrying: () => void (seen.sourceRetrying += 1),
    committed: ({ wrote }) => void (seen.writes += wrote ? 1 : 0),
    roleChanged: ({ role }) => seen.roles.push(role),
  };
  return { seen, observer };
}

describe('ProjectionEngine under faults', () => {
  let dir: string;
  let log: SqliteEventStore;
  let stores: ReadStore[];
  let engines: ProjectionEngine[];
  let streamIds: string[];
  let writing: Promise<void> | undefined;
  let stopWriting = false;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'engine-faults-'));
    log = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    stores = [];
    engines = [];
    streamIds = Array.from({ length: 4 }, (_unused, index) => `account-s${index}`);
    stopWriting = false;
  });

  afterEach(async () => {
    stopWriting = true;
    await writing;
    for (const engine of engines) await engine.stop();
    for (const store of stores) await store.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openReadStore(name = 'read.sqlite'): Promise<EmbeddedReadStore> {
    const store = await EmbeddedReadStore.open(join(dir, name));
    stores.push(store);
    return store;
  }

  /** Commands keep coming (another process appends to the log) until stopped or `count` events are written. */
  function keepAppending(count: number): Promise<void> {
    writing = (async () => {
      for (let index = 0; index < count && !stopWriting; index++) {
        await log.appendToStream(streamIds[index % streamIds.length]!, [anEvent()], 'any');
        if (index % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return writing;
  }

  /** Every event applied exactly once: the read models equal a fresh projection of the whole log. */
  async function expectExactlyTheLog(store: ReadStore, projection: Projection = tally()): Promise<void> {
    const all = await log.readAll({ maxCount: 1_000_000 });
    const fresh = await openReadStore(`fresh-${randomUUID()}.sqlite`);
    await fresh.commit(
      'read-models',
      all[all.length - 1]!.position,
      all.flatMap((event) => projection.project(event)),
    );
    for (const collection of projection.collections) {
      const sort = { sort: { _id: 1 as const } };
      expect({ collection, docs: await store.find(collection, {}, sort) }).toEqual({ collection, docs: await fresh.find(collection, {}, sort) });
    }
    const perStream = await store.find<Doc & { ids: string[] }>('streams');
    for (const doc of perStream) expect(new Set(doc.ids).size).toBe(doc.ids.length);
    expect(perStream.reduce((sum, doc) => sum + doc.ids.length, 0)).toBe(all.length);
  }

  function start(engine: ProjectionEngine): Promise<void> {
    engines.push(engine);
    return engine.start();
  }

  it('restarts itself after commits that fail (some after part of their writes), and applies every event once', async () => {
    const reads = new FaultInjectingReadStore(await openReadStore());
    const { seen, observer } = recording();
    const engine = new ProjectionEngine(log, reads, [tally()], logger, { observer, restartBackoff: quickRestarts });
    await start(engine);
    const appending = keepAppending(300);
    await until(() => engine.position > 20n, 'the engine committed something');
    reads.failNextCommits(1);
    await until(() => reads.failures === 1, 'a commit failed');
    await until(() => engine.status().restarts === 0, 'the engine committed again');
    reads.failNextCommits(2, { partial: true });
    await until(() => reads.failures === 3, 'two more commits failed after part of their writes');
    await appending;
    const head = await log.headPosition();
    await until(() => engine.position === head, 'the engine caught up');

    expect(seen.restarting).toEqual(['read-store 1', 'read-store 1', 'read-store 2']);
    expect(seen.recovered).toEqual(['restart', 'restart']);
    expect(engine.status()).toMatchObject({ state: 'running', restarts: 0, position: head });
    expect(engine.failed).toBeUndefined();
    await expectExactlyTheLog(reads);
  });

  it('reports restarting while the read store is unreachable, and recovers by itself once it is back', async () => {
    const reads = new FaultInjectingReadStore(await openReadStore());
    const engine = new ProjectionEngine(log, reads, [tally()], logger, { restartBackoff: quickRestarts });
    await start(engine);
    await keepAppending(20);
    await until(async () => engine.position === (await log.headPosition()), 'the engine caught up');
    reads.unreachable = true;
    const appending = keepAppending(100);
    await until(() => engine.status().restarts >= 3, 'several restarts');
    expect(engine.status()).toMatchObject({ state: expect.stringMatching(/restarting|running/), lastError: { cause: 'read-store' } });
    await until(() => engine.failed !== undefined, 'the engine reports the failure');
    reads.unreachable = false;
    await appending;
    const head = await log.headPosition();
    await until(() => engine.position === head, 'the engine caught up');
    expect(engine.status()).toMatchObject({ state: 'running', restarts: 0 });
    expect(engine.status().lastError).toBeUndefined();
    await expectExactlyTheLog(reads);
  });

  it('keeps going through subscription drops, an unreachable event store and slow reads, losing nothing', async () => {
    const faults = new Faults();
    const events = new FaultInjectingEventStore(log, faults, { initialMs: 5, maxMs: 50 });
    const reads = await openReadStore();
    const { seen, observer } = recording();
    const engine = new ProjectionEngine(events, reads, [tally()], logger, { observer, restartBackoff: quickRestarts });
    await start(engine);
    const appending = keepAppending(400);
    await until(() => engine.position > 10n, 'the engine committed something');
    faults.dropSubscriptions();
    faults.set({ readDelayMs: 2 });
    await until(() => engine.position > 100n, 'the engine went on after the drop');
    faults.set({ unreachable: true });
    await until(() => engine.status().sourceDownSince !== undefined && seen.sourceRetrying >= 3, 'the engine sees the event store down');
    expect(engine.status()).toMatchObject({ state: 'running', lastError: { cause: 'event-store' } });
    faults.set({ unreachable: false, readDelayMs: 0 });
    await appending;
    const head = await log.headPosition();
    await until(() => engine.position === head, 'the engine caught up');

    expect(engine.status().sourceDownSince).toBeUndefined();
    expect(engine.status().lastError).toBeUndefined();
    expect(seen.recovered.filter((from) => from === 'event-store').length).toBeGreaterThanOrEqual(2);
    expect(seen.restarting).toEqual([]);
    await expectExactlyTheLog(reads);
  });

  it('restarts after a projection throws, says so while it keeps failing, and goes on once it no longer does', async () => {
    const reads = await openReadStore();
    let broken: string | undefined;
    const projection = tally((event) => event.eventId === broken);
    const { seen, observer } = recording();
    const engine = new ProjectionEngine(log, reads, [projection], logger, { observer, restartBackoff: quickRestarts });
    await start(engine);
    await keepAppending(20);
    await until(async () => engine.position === (await log.headPosition()), 'the engine caught up');
    const poison = anEvent();
    broken = poison.eventId;
    await log.appendToStream('account-s0', [poison], 'any');
    await until(() => engine.status().restarts >= 3, 'the engine keeps restarting on the poison event');
    expect(engine.failed?.message).toMatch(/projection tally failed on event .* tally cannot take/);
    expect(engine.status().lastError).toMatchObject({ cause: 'projection' });
    broken = undefined;
    await keepAppending(20);
    const head = await log.headPosition();
    await until(() => engine.position === head, 'the engine caught up');
    expect(engine.failed).toBeUndefined();
    expect(seen.restarting.every((line) => line.startsWith('projection'))).toBe(true);
    await expectExactlyTheLog(reads, projection);
  });

  it('two engines on one read store (two query apps on one MongoDB): one writes, the other follows, and takes over when it stops', async () => {
    const shared = await openReadStore();
    const leases = new InMemoryLeases();
    const first = recording();
    const second = recording();
    const options = { leaseTtlMs: 300, followPollMs: 10, restartBackoff: quickRestarts };
    const a = new ProjectionEngine(log, new FaultInjectingReadStore(shared, leases), [tally()], logger, {
      ...options,
      instanceId: 'a',
      observer: first.observer,
    });
    const b = new ProjectionEngine(log, new FaultInjectingReadStore(shared, leases), [tally()], logger, {
      ...options,
      instanceId: 'b',
      observer: second.observer,
    });
    await start(a);
    await start(b);
    await keepAppending(100);
    let head = await log.headPosition();
    await until(() => a.position === head && b.position === head, 'both engines caught up');
    const writers = [first, second].filter(({ seen }) => seen.writes > 0);
    expect(writers).toHaveLength(1);
    expect([a.status().role, b.status().role].sort()).toEqual(['follower', 'writer']);

    // The writer goes away (its app stops or dies): the follower takes over once its lease ran out.
    const [gone, left] = a.status().role === 'writer' ? [a, b] : [b, a];
    await gone.stop();
    await keepAppending(50);
    head = await log.headPosition();
    await until(() => left.position === head, 'the other engine caught up alone', 20_000);
    expect(left.status().role).toBe('writer');
    await expectExactlyTheLog(shared);
  });
});
