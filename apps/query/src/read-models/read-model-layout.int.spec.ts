import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ses/event-store';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import pino from 'pino';
import type { Projection } from '../projections/projection';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { openCurrentGeneration } from './current-generation';
import { checkLayout } from './read-model-layout';

/** A projection whose document shape depends on its version, as a real change of layout would. */
const counter = (version: number): Projection => ({
  name: 'counter',
  version,
  collections: ['counts'],
  project: (event) => [
    { kind: 'upsert', collection: 'counts', id: 'all', update: { $inc: { [version === 1 ? 'n' : 'events']: 1 } }, position: event.position },
  ],
});
const logger = pino({ level: 'silent' });

describe('read-model layout', () => {
  let dir: string;
  let events: SqliteEventStore;
  let catalog: EmbeddedReadStoreCatalog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'layout-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    catalog = new EmbeddedReadStoreCatalog(dir);
    const metadata = {
      actor: 'test',
      commandId: 'c',
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      occurredAt: '2026-11-23T00:00:00.000Z',
      hash: '',
    };
    await events.appendToStream(
      's-1',
      [1, 2, 3].map((i) => ({ eventId: `e${i}`, type: 'UserDeactivated', data: { accountId: 'a1', userId: `u${i}` }, metadata })),
      'no_stream',
    );
  });
  afterEach(async () => {
    await events.close();
    await catalog.close();
  });

  /** The live engine's work: the log through the projection into the active generation. */
  async function projectLive(projection: Projection): Promise<void> {
    const { store } = await openCurrentGeneration(catalog, events, [projection], logger);
    const log = await events.readAll({ after: -1n, maxCount: 100 });
    await store.commit(
      PROJECTION_CHECKPOINT,
      log[log.length - 1].position,
      log.flatMap((event) => projection.project(event)),
    );
    await store.close();
  }

  it('records the versions of a generation nothing was projected into, and serves it as it is', async () => {
    await projectLive(counter(1));
    const { store, generation } = await openCurrentGeneration(catalog, events, [counter(1)], logger);
    expect(generation).toBe('initial');
    expect(await store.findOne('counts', { _id: 'all' })).toEqual({ _id: 'all', n: 3 });
    await store.close();
  });

  it('rebuilds from the log, into a new active generation, read models written by another version', async () => {
    await projectLive(counter(1));
    const { store, generation } = await openCurrentGeneration(catalog, events, [counter(2)], logger);
    expect(generation).not.toBe('initial');
    expect(await catalog.active()).toBe(generation);
    expect(await store.findOne('counts', { _id: 'all' })).toEqual({ _id: 'all', events: 3 });
    expect(await checkLayout(store, [counter(2)])).toEqual({ stale: false });
    await store.close();
  });

  it('treats read models written before versions were recorded as stale', async () => {
    const store = await catalog.open(await catalog.active());
    await store.commit(PROJECTION_CHECKPOINT, 0n, []);
    expect(await checkLayout(store, [counter(1)])).toEqual({ stale: true, reason: 'read models were written before projection versions were recorded' });
    await store.close();
  });

  it('names what changed', async () => {
    const store = await catalog.open(await catalog.active());
    expect(await checkLayout(store, [counter(1)])).toEqual({ stale: false });
    const other: Projection = { ...counter(1), name: 'other' };
    expect(await checkLayout(store, [counter(2), other])).toEqual({ stale: true, reason: 'projection versions changed: counter 1 -> 2, other none -> 1' });
    await store.close();
  });
});
