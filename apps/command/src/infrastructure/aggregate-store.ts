import { chainHash, SCHEMA_VERSIONS, type DomainEvent, type EventMetadata } from '@ses/events';
import type { EventStore, StoredEvent } from '@ses/event-store';
import { traceMetadata } from '@ses/platform';
import { deterministicId } from './deterministic-id';
import { KeyedMutex } from './keyed-mutex';

export interface Aggregate<S> {
  initialState(): S;
  evolve(state: S, event: DomainEvent): S;
}

/** An aggregate's state as loaded: what the next append must expect. */
export interface Loaded<S> {
  state: S;
  /** Last revision, or -1n when the stream does not exist. */
  revision: bigint;
  lastHash: string;
  /** Global position of the stream's last event (0n when none). */
  position: bigint;
}

/** Who and what caused the events; becomes their metadata. */
export interface CommandContext {
  /** The principal's `sub`: metadata.actor. */
  actorSub: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  /** ISO instant of the command (the injected clock). */
  now: string;
  /** Seed for deterministic event ids (see deterministic-id.ts). */
  seed: string;
}

/**
 * Loads aggregates through an in-memory cache (state + revision) and reads only
 * the events after the cached revision, so load cost does not grow with a stream's
 * history. Appends with optimistic concurrency, chaining each event's hash to the
 * previous one of its stream. Deciding and retrying is the command path's
 * (application/command-handling.ts); `locks` lets it serialise a stream in this process.
 */
export class AggregateStore {
  private readonly cache = new Map<string, Loaded<unknown>>();
  readonly locks = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly maxCachedStreams = 50_000,
  ) {}

  async load<S>(streamId: string, aggregate: Aggregate<S>): Promise<Loaded<S>> {
    const cached = this.cache.get(streamId) as Loaded<S> | undefined;
    let loaded: Loaded<S> = cached ?? { state: aggregate.initialState(), revision: -1n, lastHash: '', position: 0n };
    const tail = await this.store.readStream(streamId, { fromRevision: loaded.revision + 1n });
    if (tail.length > 0) loaded = this.apply(loaded, tail, aggregate);
    if (tail.length > 0 || !cached) this.remember(streamId, loaded);
    return loaded;
  }

  /**
   * Appends `events`, decided on `loaded`, expecting the stream still at its revision
   * (WrongExpectedRevisionError otherwise); returns the state after them. `extraMetadata`
   * goes on every event (e.g. the command's recorded result).
   */
  async append<S>(
    streamId: string,
    aggregate: Aggregate<S>,
    loaded: Loaded<S>,
    events: DomainEvent[],
    ctx: CommandContext,
    extraMetadata: Record<string, unknown> = {},
  ): Promise<Loaded<S>> {
    let previousHash = loaded.lastHash;
    // The command's trace (when tracing is on), carried to whoever applies the events.
    const trace = traceMetadata();
    const toAppend = events.map((event, index) => {
      const base = {
        actor: ctx.actorSub,
        commandId: ctx.commandId,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        schemaVersion: SCHEMA_VERSIONS[event.type],
        occurredAt: ctx.now,
        ...trace,
        ...extraMetadata,
      };
      const hash = chainHash(previousHash, event.type, event.data, base);
      previousHash = hash;
      const metadata: EventMetadata = { ...base, hash };
      return {
        eventId: deterministicId(ctx.seed, streamId, String(index)),
        type: event.type,
        data: event.data,
        metadata,
      };
    });
    const expected = loaded.revision < 0n ? 'no_stream' : loaded.revision;
    try {
      const result = await this.store.appendToStream(streamId, toAppend, expected);
      let state = loaded.state;
      for (const event of events) state = aggregate.evolve(state, event);
      const next: Loaded<S> = { state, revision: result.nextExpectedRevision, lastHash: previousHash, position: result.position };
      // An idempotent retry returns the stored result; its revision tells whether our events are the stored ones.
      if (result.nextExpectedRevision === loaded.revision + BigInt(events.length)) this.remember(streamId, next);
      else this.cache.delete(streamId);
      return next;
    } catch (error) {
      this.cache.delete(streamId);
      throw error;
    }
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  private apply<S>(loaded: Loaded<S>, tail: StoredEvent[], aggregate: Aggregate<S>): Loaded<S> {
    let state = loaded.state;
    for (const event of tail) state = aggregate.evolve(state, event);
    const last = tail[tail.length - 1];
    return { state, revision: last.revision, lastHash: String(last.metadata.hash ?? ''), position: last.position };
  }

  private remember(streamId: string, loaded: Loaded<unknown>): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, loaded);
    if (this.cache.size > this.maxCachedStreams) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
