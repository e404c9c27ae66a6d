import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjectingEventStore, Faults, SqliteEventStore, type EventStore } from '@ses/event-store';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import pino from 'pino';
import type { Projection } from '../projections/projection';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { openCurrentGeneration } from './current-generation';
import { LAYOUT_COLLECTION } from './read-model-layout';
import { rebuildReadModels } from './rebuild';

const counter: Projection = {
  name: 'counter',
  version: 1,
  collections: ['counts'],
  project: (event) => [{ kind: 'upsert', collection: 'counts', id: 'all', update: { $inc: { n: 1 } }, position: event.position }],
};
const logger = pino({ level: 'silent' });

async function appendSome(events: EventStore, count: number): Promise<bigint> {
  const metadata = { actor: 't', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: '2026-11-23T00:00:00.000Z', hash: '' };
  const batch = Array.from({ length: count }, (_unused, i) => ({
    eventId: `e${Math.random()}`,
    type: 'UserDeactivated',
    data: { accountId: 'a1', userId: `u${i}` },
    metadata,
  }));
  return (await events.appendToStream(`account-${Math.random()}`, batch, 'no_stream')).position;
}

describe('read models know which event store their checkpoints belong to', () => {
  let dirs: string[];
  let catalog: EmbeddedReadStoreCatalog;
  let readDir: string;
  const stores: SqliteEventStore[] = [];
  const eventStore = (): SqliteEventStore => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-events-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    readDir = mkdtempSync(join(tmpdir(), 'identity-read-'));
    dirs = [readDir];
    catalog = new EmbeddedReadStoreCatalog(readDir);
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await catalog.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The live engine's work, in short: the whole log into the active generation. */
  async function project(events: EventStore): Promise<void> {
    const { store } = await openCurrentGeneration(catalog, events, [counter], logger);
    const log = await events.readAll({ maxCount: 10_000 });
    await store.commit(
      PROJECTION_CHECKPOINT,
      log[log.length - 1]!.position,
      log.flatMap((event) => counter.project(event)),
    );
    await store.close();
  }

  it('records the event store of a new generation and resumes on it', async () => {
    const events = eventStore();
    await appendSome(events, 3);
    await project(events);
    const { store } = await openCurrentGeneration(catalog, events, [counter], logger);
    try {
      expect(await store.findOne(LAYOUT_COLLECTION, { _id: 'eventStore' })).toEqual({ _id: 'eventStore', ...(await events.identity()) });
    } finally {
      await store.close();
    }
  });

  it('refuses read models of another event store, naming both and the rebuild command; a rebuild from this one is accepted', async () => {
    const first = eventStore();
    await appendSome(first, 5);
    await project(first);
    const other = eventStore();
    await appendSome(other, 8);

    const refused = openCurrentGeneration(catalog, other, [counter], logger);
    await expect(refused).rejects.toMatchObject({ name: 'WrongEventStoreError' });
    await expect(refused).rejects.toThrow(`projected from event store sqlite:${(await first.identity()).id}`);
    await expect(refused).rejects.toThrow(`this app reads event store sqlite:${(await other.identity()).id}`);
    await expect(refused).rejects.toThrow('npm run projections:rebuild');

    await rebuildReadModels(other, catalog, [counter]);
    const { store } = await openCurrentGeneration(catalog, other, [counter], logger);
    try {
      expect(await store.findOne('counts', { _id: 'all' })).toEqual({ _id: 'all', n: 8 });
    } finally {
      await store.close();
    }
  });

  it('refuses read models that are ahead of the log (restored from an older backup), and adopts older read models that fit', async () => {
    const events = eventStore();
    const head = await appendSome(events, 2);
    const legacy = await catalog.open(await catalog.active());
    // Written before identities were recorded: no record, a checkpoint within the log.
    await legacy.commit(PROJECTION_CHECKPOINT, head, []);
    await legacy.close();
    const { store } = await openCurrentGeneration(catalog, events, [counter], logger);
    expect(await store.findOne(LAYOUT_COLLECTION, { _id: 'eventStore' })).toMatchObject(await events.identity());
    await store.commit(PROJECTION_CHECKPOINT, head + 100n, []);
    await store.close();

    await expect(openCurrentGeneration(catalog, events, [counter], logger)).rejects.toThrow(/beyond the end of event store .*restored from an older backup/);
  });

  it('waits for an event store that does not answer yet at start-up, and gives up after the time it was given', async () => {
    const events = eventStore();
    const faults = new Faults();
    faults.set({ unreachable: true });
    const waiting: string[] = [];
    // The store comes back once the app said it waits for it.
    const logger = { info: () => undefined, warn: (...args: unknown[]) => (waiting.push(String(args[1])), faults.set({ unreachable: false })) };
    const { store } = await openCurrentGeneration(catalog, new FaultInjectingEventStore(events, faults), [counter], logger);
    await store.close();
    expect(waiting).toEqual(['event store not reachable yet; waiting for it before serving']);

    faults.set({ unreachable: true });
    const silent = { info: () => undefined, warn: () => undefined };
    await expect(openCurrentGeneration(catalog, new FaultInjectingEventStore(events, faults), [counter], silent, 300)).rejects.toThrow(/UNAVAILABLE/);
  });
});
