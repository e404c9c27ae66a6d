import { AsyncResource } from 'node:async_hooks';
import type { Decider } from '@ses/domain';
import type { DomainEvent } from '@ses/events';
import { traceMetadata } from '@ses/platform';
import { AggregateStore, type CommandContext, type GroupPart, type Loaded } from '../infrastructure/aggregate-store';
import { isCompletion, type CommandOn, type Handled, type MetadataOf } from './command-types';

/** Most commands decided together and stored in one append. */
export const MAX_GROUP = 64;

/** What a grouped command answers: what its caller derived from it (on the state right after its events), and a consistency token. */
export interface GroupedOutcome<A> {
  answer: A;
  /** Global position of the last event of the append that stored the command's events (or of the stream, when it appended none). */
  position: bigint;
}

/** One command, as its caller gave it. */
export interface GroupedCommand<C, E extends DomainEvent, S, A> {
  /** Commands with the same key (e.g. about the same session id) are never decided in one group. */
  key: string;
  command: CommandOn<C, S>;
  ctx: CommandContext;
  metadata?: MetadataOf<E>;
  /** Derived from the command as decided, right after its events are folded (the state is then exactly the state after them). */
  answer: (handled: Handled<S, E, C>) => A;
}

/** Handles one command alone (the solo path, with its own retries). */
export type Solo = <C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  streamId: string,
  command: CommandOn<C, S>,
  ctx: CommandContext,
  metadata?: MetadataOf<E>,
) => Promise<Handled<S, E, C>>;

interface Waiting {
  grouped: GroupedCommand<unknown, DomainEvent, unknown, unknown>;
  /** The caller's async context: completions, traces and the solo path run in it, not in the drainer's. */
  scope: AsyncResource;
  resolve(outcome: GroupedOutcome<unknown>): void;
  reject(error: unknown): void;
}

interface Queue {
  decider: Decider<unknown, DomainEvent, unknown>;
  waiting: Waiting[];
}

type Decided = { ok: true; answer: unknown } | { ok: false; error: unknown };

/**
 * Group decide: commands that arrive for a stream while it is being decided and committed
 * wait in the stream's queue; the next group (up to MAX_GROUP of them, one per key, in
 * arrival order) is decided on ONE load, one after the other on the running state, and
 * stored in ONE append (AggregateStore.appendGroup), so a busy stream takes a group per
 * durable commit instead of a command. Decisions are the decider's, on the state every
 * earlier command of the group left, exactly as if they had come one by one: the seat
 * invariants hold as they do alone. A command whose completion or decision throws gets
 * that error and contributes nothing. Nothing is answered before the group is durable.
 *
 * If the group is not stored as sent (a conflict with another instance, another delivery
 * of one of its commands stored first, any error), every command of the group is handled
 * again alone on the solo path, with its retries: the group changes nothing but speed.
 * A group of one takes the solo path directly.
 */
export class CommandGroups {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly solo: Solo,
  ) {}

  submit<C, E extends DomainEvent, S, A>(decider: Decider<C, E, S>, streamId: string, grouped: GroupedCommand<C, E, S, A>): Promise<GroupedOutcome<A>> {
    return new Promise<GroupedOutcome<A>>((resolve, reject) => {
      const waiting = {
        grouped: grouped as unknown as GroupedCommand<unknown, DomainEvent, unknown, unknown>,
        scope: new AsyncResource('SesGroupedCommand'),
        resolve: resolve as (outcome: GroupedOutcome<unknown>) => void,
        reject,
      };
      const queue = this.queues.get(streamId);
      if (queue) {
        queue.waiting.push(waiting);
        return;
      }
      const started: Queue = { decider: decider as unknown as Decider<unknown, DomainEvent, unknown>, waiting: [waiting] };
      this.queues.set(streamId, started);
      void this.drain(streamId, started);
    });
  }

  /** Runs the stream's groups until its queue is empty (settling every command; never throws). */
  private async drain(streamId: string, queue: Queue): Promise<void> {
    try {
      while (queue.waiting.length > 0) {
        const group = nextGroup(queue.waiting);
        if (group.length === 1) await this.alone(queue.decider, streamId, group[0]!);
        else await this.together(queue.decider, streamId, group);
      }
    } finally {
      this.queues.delete(streamId);
    }
  }

  private async alone(decider: Decider<unknown, DomainEvent, unknown>, streamId: string, waiting: Waiting): Promise<void> {
    const { command, ctx, metadata, answer } = waiting.grouped;
    try {
      const handled = await waiting.scope.runInAsyncScope(() => this.solo(decider, streamId, command, ctx, metadata));
      waiting.resolve({ answer: answer(handled), position: handled.position });
    } catch (error) {
      waiting.reject(error);
    }
  }

  private async together(decider: Decider<unknown, DomainEvent, unknown>, streamId: string, group: Waiting[]): Promise<void> {
    let settled: { decided: Decided[]; position: bigint };
    try {
      settled = await this.aggregates.locks.run(streamId, () => this.decideAndAppend(decider, streamId, group));
    } catch {
      // Not stored (GroupNotStoredError, a conflict, any error): each command again, alone, in order (the stream's lock queues them).
      await Promise.all(group.map((waiting) => this.alone(decider, streamId, waiting)));
      return;
    }
    group.forEach((waiting, i) => {
      const decided = settled.decided[i]!;
      if (decided.ok) waiting.resolve({ answer: decided.answer, position: settled.position });
      else waiting.reject(decided.error);
    });
  }

  private async decideAndAppend(
    decider: Decider<unknown, DomainEvent, unknown>,
    streamId: string,
    group: Waiting[],
  ): Promise<{ decided: Decided[]; position: bigint }> {
    const loaded = await this.aggregates.load(streamId, decider);
    let state = loaded.state;
    const parts: GroupPart[] = [];
    const decided: Decided[] = [];
    for (const { grouped, scope } of group) {
      const { command, ctx, metadata, answer } = grouped;
      let asDecided: unknown;
      let events: DomainEvent[];
      try {
        asDecided = isCompletion(command) ? await scope.runInAsyncScope(() => command({ ...loaded, state } as Loaded<unknown>)) : command;
        events = decider.decide(asDecided, state);
      } catch (error) {
        decided.push({ ok: false, error });
        continue;
      }
      // Evolving may fold in place: the cached state must not show events that are not stored yet.
      // (An evolve that throws fails the whole group: its commands then go alone, on a fresh load.)
      if (events.length > 0 && parts.length === 0) this.aggregates.forget(streamId);
      for (const event of events) state = decider.evolve(state, event);
      if (events.length > 0) parts.push({ events, ctx, extraMetadata: metadata?.(events), trace: scope.runInAsyncScope(traceMetadata) });
      try {
        decided.push({ ok: true, answer: answer({ command: asDecided, events, state, position: loaded.position }) });
      } catch (error) {
        decided.push({ ok: false, error });
      }
    }
    if (parts.length === 0) return { decided, position: loaded.position };
    const appended = await this.aggregates.appendGroup(streamId, decider, loaded, parts, state);
    return { decided, position: appended.position };
  }
}

/** Takes the next group out of `waiting`: up to MAX_GROUP commands in arrival order, the first of each key (the others wait for a later group). */
function nextGroup(waiting: Waiting[]): Waiting[] {
  const keys = new Set<string>();
  const group: Waiting[] = [];
  const rest: Waiting[] = [];
  for (const entry of waiting) {
    if (group.length < MAX_GROUP && !keys.has(entry.grouped.key)) {
      keys.add(entry.grouped.key);
      group.push(entry);
    } else rest.push(entry);
  }
  waiting.splice(0, waiting.length, ...rest);
  return group;
}
