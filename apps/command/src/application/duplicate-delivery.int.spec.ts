import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBrokenLink, type DomainEvent } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import type { Decider } from '@ses/domain';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { CommandHandling } from './command-handling';

/** Each decision records the instant it was decided at, as a check-out records checkedOutAt. */
const stamping: Decider<{ userId: string; now: string }, DomainEvent, { stamps: string[] }> = {
  initialState: () => ({ stamps: [] }),
  evolve: (state, event) => (event.type === 'UserRegistered' ? { stamps: [...state.stamps, event.data.registeredAt] } : state),
  decide: (command) => [
    {
      type: 'UserRegistered',
      data: { accountId: 'a', userId: command.userId, email: `${command.userId}@x.test`, displayName: 'U', country: 'US', registeredAt: command.now },
    },
  ],
};

/** One delivery of a command: same commandId (so same seed and event ids) for every delivery, `now` as given. */
const delivery = (commandId: string, now: string, appends: { alreadyStored: boolean }[] = []): CommandContext => ({
  actorSub: 'tester',
  commandId,
  correlationId: 'corr',
  causationId: commandId,
  now,
  seed: `tester\u0000${commandId}`,
  onAppend: (append) => appends.push({ alreadyStored: append.alreadyStored }),
});

describe('one command delivered to two instances at once (same commandId, decided at different instants)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dup-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the later instance is told its events were stored already, answers the stream as stored, and its next append keeps the chain', async () => {
    const first = new AggregateStore(store);
    const second = new AggregateStore(store);
    await new CommandHandling(first).handle(stamping, 's', { userId: 'u0', now: 't0' }, delivery('c0', 't0'));
    // Both instances have the stream loaded at the same revision, then decide the same command at different instants.
    const loadedBySecond = await second.load('s', stamping);
    await new CommandHandling(first).handle(stamping, 's', { userId: 'u1', now: 't1-first' }, delivery('c1', 't1-first'));
    const appends: { alreadyStored: boolean }[] = [];
    const late = await second.append(
      's',
      stamping,
      loadedBySecond,
      stamping.decide({ userId: 'u1', now: 't1-second' }, loadedBySecond.state),
      delivery('c1', 't1-second', appends),
    );

    expect(appends).toEqual([{ alreadyStored: true }]);
    expect(late.state.stamps).toEqual(['t0', 't1-first']);
    expect(late.lastHash).toBe((await store.readStreamRecords('s'))[1]!.metadata.hash);
    // The next command on the later instance chains to the stored event, not to the one it had decided.
    await new CommandHandling(second).handle(stamping, 's', { userId: 'u2', now: 't2' }, delivery('c2', 't2'));
    const records = await store.readStreamRecords('s');
    expect(records.map((record) => record.data.registeredAt)).toEqual(['t0', 't1-first', 't2']);
    expect(firstBrokenLink(records)).toBe(-1);
  });
});
