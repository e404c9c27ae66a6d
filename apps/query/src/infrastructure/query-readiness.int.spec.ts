import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FaultInjectingEventStore, Faults, SqliteEventStore } from '@ses/event-store';
import { EmbeddedReadStore, FaultInjectingReadStore } from '@ses/read-store';
import { ProjectionEngine } from '../projections/projection-engine';
import { queryReadiness } from './query-readiness';

describe('query readiness (GET /health)', () => {
  let dir: string;
  let log: SqliteEventStore;
  let faults: Faults;
  let reads: FaultInjectingReadStore;
  let engine: ProjectionEngine;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'readiness-'));
    log = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    faults = new Faults();
    reads = new FaultInjectingReadStore(await EmbeddedReadStore.open(join(dir, 'read.sqlite')));
    const events = new FaultInjectingEventStore(log, faults, { initialMs: 5, maxMs: 20 });
    engine = new ProjectionEngine(
      events,
      reads,
      [
        {
          name: 'n',
          version: 1,
          collections: ['c'],
          project: (e) => [{ kind: 'upsert', collection: 'c', id: 'x', update: { $inc: { n: 1 } }, position: e.position }],
        },
      ],
      pino({ level: 'silent' }),
      { restartBackoff: { initialMs: 5, maxMs: 20 } },
    );
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await reads.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = () =>
    log.appendToStream(
      'account-1',
      [
        {
          eventId: randomUUID(),
          type: 'UserDeactivated',
          data: { accountId: 'a', userId: 'u' },
          metadata: { actor: 't', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', hash: '' },
        },
      ],
      'any',
    );

  async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('is ready while both stores answer, degraded with the reasons while the event store is unreachable, and ready again by itself', async () => {
    const readiness = queryReadiness(engine, new FaultInjectingEventStore(log, faults), Object.assign(reads, { generation: 'initial' }), 500);
    await append();
    expect(await readiness.check()).toMatchObject({
      ready: true,
      details: { readiness: 'ok', eventStore: { reachable: true }, readStore: { reachable: true } },
    });

    faults.set({ unreachable: true });
    await until(async () => (await readiness.check()).details.degraded !== undefined && engine.status().sourceDownSince !== undefined, 'readiness is degraded');
    expect(await readiness.check()).toMatchObject({
      ready: false,
      details: {
        readiness: 'degraded',
        degraded: ['event store unreachable', 'projections cannot read the event store (retrying)'],
        eventStore: { reachable: false, error: expect.stringMatching(/UNAVAILABLE/) },
        projections: { state: 'running', lastError: { cause: 'event-store' } },
      },
    });

    faults.set({ unreachable: false });
    await append();
    await until(async () => (await readiness.check()).ready, 'readiness recovered');
  });

  it('is degraded while the read store is unreachable and commits fail, and ready again once a commit works', async () => {
    const readiness = queryReadiness(engine, log, Object.assign(reads, { generation: 'initial' }), 500);
    reads.unreachable = true;
    await append();
    await until(async () => engine.status().state === 'restarting', 'the engine restarts');
    expect(await readiness.check()).toMatchObject({
      ready: false,
      details: { readiness: 'degraded', degraded: expect.arrayContaining(['read store unreachable']), readStore: { reachable: false } },
    });
    reads.unreachable = false;
    await until(async () => (await readiness.check()).ready, 'readiness recovered');
    expect(engine.position).toBe(await log.headPosition());
  });
});
