import { AsyncResource } from 'node:async_hooks';
import type { Decider } from '@ses/domain';
import type { DomainEvent } from '@ses/events';
import { traceMetadata } from '@ses/platform';
import { AggregateStore, type Aggregate, type CommandContext, type GroupPart, type Loaded } from '../infrastructure/aggregate-store';
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

/** A command decided in a group: its events, and how it answers once they are folded. */
interface InGroup {
  events: DomainEvent[];
  part: GroupPart;
  /** The caller's answer, from the state right after the command's events. */
  answer(state: unknown): unknown;
}

/** A queued command, with what it needs typed inside these functions (a queue holds commands of one decider). */
interface Waiting {
  key: string;
  /** Handles it on the solo path and settles it. */
  alone(): Promise<void>;
  /** Completes and decides it on `state` (the stream as loaded, with the group's earlier commands folded in). */
  decideOn(loaded: Loaded<unknown>, state: unknown): Promise<InGroup>;
  resolve(outcome: GroupedOutcome<unknown>): void;
  reject(error: unknown): void;
  /** The command's ticket (CommandContext.freshSince). */
  freshSince?: number;
}

interface Queue {
  aggregate: Aggregate<unknown>;
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
    const { key, command, ctx, metadata, answer } = grouped;
    // The caller's async context: completions, traces and the solo path run in it, not in the drainer's.
    const scope = new AsyncResource('SesGroupedCommand');
    return new Promise<GroupedOutcome<A>>((resolve, reject) => {
      const waiting: Waiting = {
        key,
        freshSince: ctx.freshSince,
        alone: async () => {
          try {
            const handled = await scope.runInAsyncScope(() => this.solo(decider, streamId, command, ctx, metadata));
            resolve({ answer: answer(handled), position: handled.position });
          } catch (error) {
            reject(error);
          }
        },
        decideOn: async (loaded, running) => {
          const state = running as S;
          const asDecided = isCompletion(command) ? await scope.runInAsyncScope(() => command({ ...loaded, state })) : command;
          const events = decider.decide(asDecided, state);
          return {
            events,
            part: { events, ctx, extraMetadata: metadata?.(events), trace: scope.runInAsyncScope(traceMetadata) },
            answer: (after) => answer({ command: asDecided, events, state: after as S, position: loaded.position }),
          };
        },
        resolve: (outcome) => resolve({ answer: outcome.answer as A, position: outcome.position }),
        reject,
      };
      const queue = this.queues.get(streamId);
      if (queue) {
        queue.waiting.push(waiting);
        return;
      }
      const started: Queue = { aggregate: decider, waiting: [waiting] };
      this.queues.set(streamId, started);
      void this.drain(streamId, started);
    });
  }

  /** Runs the stream's groups until its queue is empty (settling every command; never throws). */
  private async drain(streamId: string, queue: Queue): Promise<void> {
    try {
      while (queue.waiting.length > 0) {
        const group = nextGroup(queue.waiting);
        if (group.length === 1) await group[0]!.alone();
        else await this.together(queue.aggregate, streamId, group);
      }
    } finally {
      this.queues.delete(streamId);
    }
  }

  private async together(aggregate: Aggregate<unknown>, streamId: string, group: Waiting[]): Promise<void> {
    let settled: { decided: Decided[]; position: bigint };
    try {
      settled = await this.aggregates.locks.run(streamId, () => this.decideAndAppend(aggregate, streamId, group));
    } catch {
      // Not stored (GroupNotStoredError, a conflict, any error): each command again, alone, in order (the stream's lock queues them).
      await Promise.all(group.map((waiting) => waiting.alone()));
      return;
    }
    group.forEach((waiting, i) => {
      const decided = settled.decided[i]!;
      if (decided.ok) waiting.resolve({ answer: decided.answer, position: settled.position });
      else waiting.reject(decided.error);
    });
  }

  private async decideAndAppend(aggregate: Aggregate<unknown>, streamId: string, group: Waiting[]): Promise<{ decided: Decided[]; position: bigint }> {
    const loaded = await this.aggregates.load(streamId, aggregate, latestTicket(group));
    let state = loaded.state;
    const parts: GroupPart[] = [];
    const decided: Decided[] = [];
    for (const waiting of group) {
      let inGroup: InGroup;
      try {
        inGroup = await waiting.decideOn(loaded, state);
      } catch (error) {
        decided.push({ ok: false, error });
        continue;
      }
      const { events, part } = inGroup;
      // Evolving may fold in place: the cached state must not show events that are not stored yet.
      // (An evolve that throws fails the whole group: its commands then go alone, on a fresh load.)
      if (events.length > 0 && parts.length === 0) this.aggregates.forget(streamId);
      for (const event of events) state = aggregate.evolve(state, event);
      if (events.length > 0) parts.push(part);
      try {
        decided.push({ ok: true, answer: inGroup.answer(state) });
      } catch (error) {
        decided.push({ ok: false, error });
      }
    }
    if (parts.length === 0) return { decided, position: loaded.position };
    const appended = await this.aggregates.appendGroup(streamId, aggregate, loaded, parts, state);
    return { decided, position: appended.position };
  }
}

/** The ticket every command of the group is content with (the latest; none when one of them has none). */
function latestTicket(group: readonly Waiting[]): number | undefined {
  let latest = -1;
  for (const waiting of group) {
    if (waiting.freshSince === undefined) return undefined;
    latest = Math.max(latest, waiting.freshSince);
  }
  return latest;
}

/** Takes the next group out of `waiting`: up to MAX_GROUP commands in arrival order, the first of each key (the others wait for a later group). */
function nextGroup(waiting: Waiting[]): Waiting[] {
  const keys = new Set<string>();
  const group: Waiting[] = [];
  const rest: Waiting[] = [];
  for (const entry of waiting) {
    if (group.length < MAX_GROUP && !keys.has(entry.key)) {
      keys.add(entry.key);
      group.push(entry);
    } else rest.push(entry);
  }
  waiting.splice(0, waiting.length, ...rest);
  return group;
}
