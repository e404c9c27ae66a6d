import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBrokenLink, type DomainEvent } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import {
  DomainError,
  seatPoolDecider,
  usageStartAnswer,
  type Decider,
  type PoolContext,
  type SeatPoolEvent,
  type SeatPoolState,
  type StartUsage,
} from '@ses/domain';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { appendCounting } from '../infrastructure/testing/append-counting-event-store';
import { testCommandContext as ctx } from '../infrastructure/testing/test-command-context';
import { CommandHandling } from './command-handling';

/** A counter aggregate: each command adds `by` events; `fail` makes its decision throw. */
type Bump = { by: number; fail?: boolean; seen?: number[] };
const counter: Decider<Bump, DomainEvent, { count: number }> = {
  initialState: () => ({ count: 0 }),
  evolve: (state, event) => (event.type === 'UserDeactivated' ? { count: state.count + 1 } : state),
  decide: (command, state) => {
    command.seen?.push(state.count);
    if (command.fail) throw new DomainError('FORBIDDEN', 'no');
    return Array.from({ length: command.by }, () => ({ type: 'UserDeactivated', data: { accountId: 'a', userId: 'u' } }));
  },
};
const NOW = '2026-11-23T10:00:00.000Z';
function poolContext(seats: number): PoolContext {
  return {
    accountId: 'acc-1',
    productId: 'prod-1',
    accountExists: true,
    seatsOwned: seats,
    eligibility: { allowed: true },
    entitlement: { entitlementId: 'ent-1', endsAt: '2027-01-01T00:00:00.000Z', checkoutAllowed: true, maxCheckoutDays: 30 },
    // No overage: a start that would take seat `seats + 1` is denied.
    alertRules: [{ ruleId: 'r-deny', thresholdSeats: seats, action: 'DENY', notifyUserIds: [] }],
  };
}
const start = (sessionId: string, userId: string, seats: number): StartUsage => ({
  type: 'StartUsage',
  now: NOW,
  sessionId,
  userId,
  machineId: 'm-1',
  productVersion: null,
  country: 'DE',
  sessionIdTakenInAccount: false,
  recorded: null,
  context: poolContext(seats),
});

describe('group decide (many commands on one stream, one load and one append)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'group-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bump = (commands: CommandHandling, key: string, command: Bump, context = ctx()) =>
    commands.handleGrouped(
      counter,
      's',
      key,
      command,
      context,
      () => ({ commandResult: { key } }),
      (handled) => handled.state.count,
    );

  it('decides the commands that queue up behind one in one append, each on the state the ones before it left', async () => {
    const events = appendCounting(store);
    const commands = new CommandHandling(new AggregateStore(events));
    const told: boolean[][] = Array.from({ length: 11 }, () => []);
    const contexts = told.map((t) => ctx(t));
    const answers = await Promise.all(contexts.map((context, i) => bump(commands, `k${i}`, { by: 2 }, context)));
    // The first goes alone (nothing to wait for); the ten that queued behind it go in one append.
    expect(events.appends).toEqual([2, 20]);
    expect(answers.map((a) => a.answer)).toEqual(Array.from({ length: 11 }, (_, i) => 2 * (i + 1)));
    const stored = await store.readStreamRecords('s');
    expect(stored).toHaveLength(22);
    expect(firstBrokenLink(stored)).toBe(-1);
    // Each command's events carry its own metadata, its result on its last event, and the group's last position answers them all.
    expect(stored.map((e) => e.metadata.commandId)).toEqual(contexts.flatMap(({ commandId }) => [commandId, commandId]));
    expect(stored.filter((e) => e.metadata.commandResult).map((e) => (e.metadata.commandResult as { key: string }).key)).toEqual(told.map((_, i) => `k${i}`));
    expect(answers.slice(1).every((a) => a.position === stored[21].position)).toBe(true);
    expect(told).toEqual(told.map(() => [false]));
  });

  it('gives a decision error only to its command; the others of the group are stored', async () => {
    const events = appendCounting(store);
    const commands = new CommandHandling(new AggregateStore(events));
    const results = await Promise.allSettled([
      bump(commands, 'a', { by: 1 }),
      bump(commands, 'b', { by: 1 }),
      bump(commands, 'c', { by: 1, fail: true }),
      bump(commands, 'd', { by: 1 }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.answer : (r.reason as DomainError).code))).toEqual([1, 2, 'FORBIDDEN', 3]);
    expect(events.appends).toEqual([1, 2]);
  });

  it('never puts two commands with one key in one group: the second is decided after the first is stored', async () => {
    const events = appendCounting(store);
    const commands = new CommandHandling(new AggregateStore(events));
    const seen: number[] = [];
    await Promise.all([
      bump(commands, 'first', { by: 1 }),
      bump(commands, 'x', { by: 1, seen }),
      bump(commands, 'y', { by: 1 }),
      bump(commands, 'x', { by: 1, seen }),
    ]);
    expect(events.appends).toEqual([1, 2, 1]);
    expect(seen).toEqual([1, 3]);
  });

  it('on a conflict with another instance, handles every command of the group alone, on fresh state', async () => {
    const other = new CommandHandling(new AggregateStore(store));
    let intrusions = 0;
    const events = appendCounting(store, async () => {
      // Before our second append (the group's), another instance appends to the stream.
      if (++intrusions === 2) await other.handle(counter, 's', { by: 5 }, ctx());
    });
    const commands = new CommandHandling(new AggregateStore(events));
    const told: boolean[][] = Array.from({ length: 4 }, () => []);
    const answers = await Promise.all(told.map((t, i) => bump(commands, `k${i}`, { by: 1 }, ctx(t))));
    // 1 (alone), 3 (the group: conflict), then the three alone.
    expect(events.appends).toEqual([1, 3, 1, 1, 1]);
    expect(answers.map((a) => a.answer)).toEqual([1, 7, 8, 9]);
    expect(told).toEqual(told.map(() => [false]));
    const stored = await store.readStreamRecords('s');
    expect(stored).toHaveLength(9);
    expect(firstBrokenLink(stored)).toBe(-1);
  });

  it('when another delivery of a command stored its events first, the group falls back and that command answers as stored', async () => {
    const aggregates = new AggregateStore(store);
    const commands = new CommandHandling(aggregates);
    await bump(commands, 'warm', { by: 1 });
    const told: boolean[] = [];
    const delivered = ctx(told);
    // Another instance (its own cache) stores this command's events first, under the same ids.
    await new CommandHandling(new AggregateStore(store)).handle(counter, 's', { by: 1 }, { ...delivered, onAppend: undefined });
    const answers = await Promise.all([bump(commands, 'a', { by: 1 }), bump(commands, 'b', { by: 1 }, delivered), bump(commands, 'c', { by: 1 })]);
    expect(told).toEqual([true]);
    const stored = await store.readStreamRecords('s');
    // warm, the other delivery's, a, c: the repeated command stored once.
    expect(stored).toHaveLength(4);
    expect(stored.filter((e) => e.metadata.commandId === delivered.commandId)).toHaveLength(1);
    expect(answers[0].answer).toBe(3);
  });

  describe('the seat invariant under concurrency (the seat pool decider)', () => {
    const startAll = (commands: CommandHandling, starts: StartUsage[]) =>
      Promise.all(
        starts.map((command) =>
          commands.handleGrouped<StartUsage, SeatPoolEvent, SeatPoolState, ReturnType<typeof usageStartAnswer>>(
            seatPoolDecider,
            'seat-pool-acc-1-prod-1',
            `session:${command.sessionId}`,
            command,
            ctx(),
            undefined,
            (handled) => usageStartAnswer(handled.command, handled.events, handled.state),
          ),
        ),
      );

    it.each([1, 5, 40])('a pool of %i seats without overage allows exactly that many of 3x as many concurrent starts', async (seats) => {
      const events = appendCounting(store);
      const aggregates = new AggregateStore(events);
      const answers = await startAll(
        new CommandHandling(aggregates),
        Array.from({ length: 3 * seats }, (_, i) => start(`s${i}`, `u${i}`, seats)),
      );
      expect(answers.filter((a) => a.answer.decision.allowed)).toHaveLength(seats);
      expect(answers.filter((a) => a.answer.decision.denyReason === 'THRESHOLD_REACHED')).toHaveLength(2 * seats);
      // One alone, then the rest in groups of at most 64.
      expect(events.appends).toHaveLength(1 + Math.ceil((3 * seats - 1) / 64));
      const fresh = await new AggregateStore(store).load('seat-pool-acc-1-prod-1', seatPoolDecider);
      expect(fresh.state.activeSessions.size).toBe(seats);
    });

    it('one session id sent twice at once is one session, answered the same to both', async () => {
      const events = appendCounting(store);
      const commands = new CommandHandling(new AggregateStore(events));
      const answers = await startAll(commands, [start('s0', 'u0', 5), start('dup', 'u1', 5), start('dup', 'u1', 5), start('s2', 'u2', 5)]);
      expect(answers.map((a) => a.answer.decision.allowed)).toEqual([true, true, true, true]);
      const stored = await store.readStream('seat-pool-acc-1-prod-1');
      expect(stored.filter((e) => e.type === 'UsageStarted' && e.data.sessionId === 'dup')).toHaveLength(1);
      expect(stored).toHaveLength(3);
    });
  });
});
