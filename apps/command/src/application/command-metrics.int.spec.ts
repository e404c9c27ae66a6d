import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decider } from '@ses/domain';
import type { DomainEvent } from '@ses/events';
import { SqliteEventStore, type EventStore } from '@ses/event-store';
import { instrumentEventStore, metricsRegistry } from '@ses/platform';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { CommandHandling } from './command-handling';

/** One event per command, on a stream another process keeps appending to. */
const deactivate: Decider<Record<string, never>, DomainEvent, number> = {
  initialState: () => 0,
  evolve: (state) => state + 1,
  decide: () => [{ type: 'UserDeactivated', data: { accountId: 'a', userId: 'u' } }],
};
let seq = 0;
const ctx = (): CommandContext => ({
  actorSub: 'tester',
  commandId: `c${++seq}`,
  correlationId: 'corr',
  causationId: 'cause',
  now: '2026-11-23T10:00:00.000Z',
  seed: `metrics-seed-${seq}-${process.pid}`,
});

async function series(name: string, labels = ''): Promise<number> {
  const line = (await metricsRegistry.metrics()).split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ' '}`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('the command path, measured (/metrics)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'command-metrics-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts each concurrency conflict and the retry that follows it', async () => {
    const instrumented = instrumentEventStore(store);
    let intrusions = 2;
    // Before each of our first two appends another writer appends to the same stream.
    const contested: EventStore = new Proxy(instrumented, {
      get(target, property) {
        if (property !== 'appendToStream') return Reflect.get(target, property);
        const append: EventStore['appendToStream'] = async (streamId, events, expected) => {
          if (intrusions-- > 0) await new CommandHandling(new AggregateStore(store)).handle(deactivate, streamId, {}, ctx());
          return target.appendToStream(streamId, events, expected);
        };
        return append;
      },
    });
    const conflicts = await series('ses_concurrency_conflicts_total');
    const retries = await series('ses_retries_total', 'component="command",reason="concurrency_conflict"');

    const handled = await new CommandHandling(new AggregateStore(contested)).handle(deactivate, 'contested-stream', {}, ctx());

    expect(handled.state).toBe(3);
    expect((await series('ses_concurrency_conflicts_total')) - conflicts).toBe(2);
    expect((await series('ses_retries_total', 'component="command",reason="concurrency_conflict"')) - retries).toBe(2);
  });
});
