import { chainHash, SCHEMA_VERSIONS, type DomainEvent, type EventMetadata } from '@ses/events';
import type { AppendResult, EventStore, EventToAppend, StoredEvent } from '@ses/event-store';
import { traceMetadata } from '@ses/platform';
import { deterministicId } from './deterministic-id';
import { KeyedMutex } from './keyed-mutex';
import type { StreamChanges } from './stream-changes';
import { decodeState, encodeState, SNAPSHOT_BYTES_PER_EVENT, SNAPSHOT_EVERY, type SnapshotStore } from './snapshots';

export interface Aggregate<S> {
  initialState(): S;
  evolve(state: S, event: DomainEvent): S;
  /** Set on aggregates whose state is snapshotted (Decider.stateVersion). */
  stateVersion?: number;
}

/** An aggregate's state as loaded: what the next append must expect. */
export interface Loaded<S> {
  state: S;
  /** Last revision, or -1n when the stream does not exist. */
  revision: bigint;
  lastHash: string;
  /** Global position of the stream's last event (0n when none). */
  position: bigint;
  /** Revision of the latest snapshot stored of this stream (-1n when none is known). */
  snapshotRevision: bigint;
  /** Size of that snapshot's encoded state (absent when none is known). */
  snapshotBytes?: number;
}

/** Events read per page of a stream's tail. */
const TAIL_PAGE = 10_000;

export interface AggregateStoreOptions {
  /** States kept in memory (LRU); default 50,000. */
  maxCachedStreams?: number;
  /** Snapshot after this many events beyond the last snapshot; default SNAPSHOT_EVERY. */
  snapshotEvery?: number;
  /** Told when a snapshot cannot be stored or read (the state is then folded from the log: slower, never wrong). */
  onSnapshotError?: (streamId: string, error: unknown) => void;
  /** Whoever reads the whole log in order (the command index): lets loads given a ticket skip the tail read of a stream known current. */
  changes?: StreamChanges;
}

/** Streams being read or appended to, with the highest revision the change source told of each meanwhile. */
class InFlight {
  private readonly streams = new Map<string, { count: number; seen: bigint }>();

  begin(streamId: string): void {
    const entry = this.streams.get(streamId);
    if (entry) entry.count += 1;
    else this.streams.set(streamId, { count: 1, seen: -1n });
  }

  /** Ends one operation on the stream; true when nothing was told of it meanwhile beyond `revision` (what the operation leaves cached). */
  end(streamId: string, revision: bigint): boolean {
    const entry = this.streams.get(streamId)!;
    entry.count -= 1;
    if (entry.count === 0) this.streams.delete(streamId);
    return entry.seen <= revision;
  }

  saw(streamId: string, revision: bigint): void {
    const entry = this.streams.get(streamId);
    if (entry && revision > entry.seen) entry.seen = revision;
  }

  sawAnything(): void {
    for (const entry of this.streams.values()) entry.seen = BigInt(Number.MAX_SAFE_INTEGER);
  }
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
  /** Told after each append: `alreadyStored` when another delivery of the command had stored its events under the same ids first. */
  onAppend?: (append: { streamId: string; alreadyStored: boolean }) => void;
  /** A ticket taken when the command began (AggregateStore.ticket): its loads and lookups need see nothing appended after it. */
  freshSince?: number;
}

/** One command's share of a group append (AggregateStore.appendGroup). */
export interface GroupPart {
  events: readonly DomainEvent[];
  ctx: CommandContext;
  /** On the part's last event (e.g. the command's recorded result). */
  extraMetadata?: Record<string, unknown>;
  /** The command's trace (traceMetadata() where the command was received). */
  trace?: Readonly<{ traceparent?: string }>;
}

/** A group append that did not store the group's events as they were sent (see AggregateStore.appendGroup). */
export class GroupNotStoredError extends Error {
  constructor(readonly streamId: string) {
    super(`the group's events were not stored on ${streamId} as sent`);
    this.name = 'GroupNotStoredError';
  }
}

/**
 * Loads aggregates through an in-memory cache (state + revision) and reads only the events
 * after the cached revision. A stream that is not cached (after a restart, or evicted)
 * starts from its latest snapshot of the aggregate's current stateVersion (state,
 * revision, hash, position), so it reads at most about `snapshotEvery` events (one per
 * SNAPSHOT_BYTES_PER_EVENT bytes of the snapshot, for a large state) however long its
 * history; a snapshot of another stateVersion is ignored (the state is folded from the log)
 * and replaced. Snapshots are taken after a load or an append that leaves the stream that
 * many events beyond its last one: encoded at once (states are folded in place), stored
 * without delaying the command.
 *
 * Appends with optimistic concurrency, chaining each event's hash to the previous one of
 * its stream. Deciding and retrying is the command path's (application/command-handling.ts);
 * `locks` lets it serialise a stream in this process.
 *
 * Tail reads of cached streams (issue 14: the main thread's largest cost under load, a
 * SQLite read transaction each after every commit): with a change source (`changes`, the
 * command index, which reads every event of the log anyway) a load given a ticket
 * (`ticket()`, taken when the command began) waits for a pass of the source that started
 * after the ticket and, when the cached stream is known current, returns it without
 * reading. "Known current": every event the source told of since the entry was cached
 * has a revision it holds, and nothing was told of the stream while the read or append
 * that cached it was in flight (a read that began before such an event was committed may
 * miss it). Any doubt (a stretch of the log skipped, an event beyond the entry) means a
 * tail read, as without a source. So a command sees everything appended, by any process,
 * before it began, as with a tail read per load.
 */
export class AggregateStore {
  private readonly cache = new Map<string, Loaded<unknown>>();
  /** Cached streams known current (see the class comment): a load with a ticket returns them without a tail read. */
  private readonly current = new Set<string>();
  private readonly inFlight = new InFlight();
  private readonly maxCachedStreams: number;
  private readonly snapshotEvery: number;
  private readonly changes?: StreamChanges;
  readonly locks = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly snapshots?: SnapshotStore,
    private readonly options: AggregateStoreOptions = {},
  ) {
    this.maxCachedStreams = options.maxCachedStreams ?? 50_000;
    this.snapshotEvery = options.snapshotEvery ?? SNAPSHOT_EVERY;
    this.changes = options.changes;
    this.changes?.listen({
      changed: (streamId, revision) => {
        this.inFlight.saw(streamId, revision);
        const cached = this.cache.get(streamId);
        if (cached && cached.revision < revision) this.current.delete(streamId);
      },
      skipped: () => {
        this.inFlight.sawAnything();
        this.current.clear();
      },
    });
  }

  /** Names "now" for loads (`freshSince`): undefined without a change source (every load then reads the tail). */
  ticket(): number | undefined {
    return this.changes?.ticket();
  }

  /**
   * The stream's state. With `freshSince` (a ticket taken when the command began) a cached
   * stream known current is returned without reading; otherwise the events after the
   * cached (or snapshotted) revision are read.
   */
  async load<S>(streamId: string, aggregate: Aggregate<S>, freshSince?: number): Promise<Loaded<S>> {
    if (freshSince !== undefined && this.changes && this.current.has(streamId)) {
      // A source that cannot catch up (its store failing) only costs the tail read.
      const caughtUp = await this.changes.since(freshSince).then(
        () => true,
        () => false,
      );
      const cached = this.cache.get(streamId) as Loaded<S> | undefined;
      if (caughtUp && cached && this.current.has(streamId)) return cached;
    }
    this.inFlight.begin(streamId);
    let loaded: Loaded<S>;
    let read = 0;
    const cached = this.cache.get(streamId) as Loaded<S> | undefined;
    try {
      loaded = cached ?? (await this.fromSnapshot(streamId, aggregate));
      // Page by page: a stream without a usable snapshot (first load after a state version change) is folded in bounded memory.
      for (;;) {
        const tail = await this.store.readStream(streamId, { fromRevision: loaded.revision + 1n, maxCount: TAIL_PAGE });
        if (tail.length > 0) loaded = this.apply(loaded, tail, aggregate);
        read += tail.length;
        if (tail.length < TAIL_PAGE) break;
      }
    } catch (error) {
      this.inFlight.end(streamId, -1n);
      throw error;
    }
    const known = this.inFlight.end(streamId, loaded.revision);
    if (read > 0 || !cached) this.remember(streamId, loaded, known);
    else if (known && this.cache.get(streamId) === cached) this.current.add(streamId);
    this.snapshotIfDue(streamId, aggregate, loaded);
    return loaded;
  }

  /**
   * Appends `events`, decided on `loaded`, expecting the stream still at its revision
   * (WrongExpectedRevisionError otherwise); returns the state after them. `extraMetadata`
   * (e.g. the command's recorded result) goes on the LAST event only: a 10,000-row
   * registerUsers appends some 30,000 events, and its result once is plenty (whoever looks
   * a result up reads the log up to the command's last event anyway).
   */
  async append<S>(
    streamId: string,
    aggregate: Aggregate<S>,
    loaded: Loaded<S>,
    events: DomainEvent[],
    ctx: CommandContext,
    extraMetadata: Record<string, unknown> = {},
  ): Promise<Loaded<S>> {
    // The command's trace (when tracing is on), carried to whoever applies the events.
    const { toAppend, lastHash } = this.stamped(streamId, loaded.lastHash, { events, ctx, extraMetadata, trace: traceMetadata() });
    const expected = loaded.revision < 0n ? 'no_stream' : loaded.revision;
    this.inFlight.begin(streamId);
    let ended = false;
    const end = (revision: bigint) => ((ended = true), this.inFlight.end(streamId, revision));
    try {
      const result = await this.store.appendToStream(streamId, toAppend, expected);
      const known = end(result.nextExpectedRevision);
      ctx.onAppend?.({ streamId, alreadyStored: result.alreadyStored === true });
      if (result.alreadyStored) {
        // Another delivery of this command (in this process or another instance) stored its events under
        // these ids first. They were decided at another instant, so they may differ from ours: neither our
        // state nor our hash is the stream's. Cache nothing of ours; answer the stream as stored.
        this.forget(streamId);
        return await this.load(streamId, aggregate);
      }
      let state = loaded.state;
      for (const event of events) state = aggregate.evolve(state, event);
      const next = advanced(loaded, state, result.nextExpectedRevision, lastHash, result.position);
      // An idempotent retry returns the stored result; its revision tells whether our events are the stored ones.
      if (result.nextExpectedRevision === loaded.revision + BigInt(events.length)) {
        this.remember(streamId, next, known);
        this.snapshotIfDue(streamId, aggregate, next);
      } else this.forget(streamId);
      return next;
    } catch (error) {
      if (!ended) end(-1n);
      this.forget(streamId);
      throw error;
    }
  }

  /**
   * Appends the events of several commands decided one after the other on `loaded`, in ONE
   * append (one durable commit), expecting the stream still at `loaded.revision`. Each part
   * is stamped as `append` stamps one command's events (its own metadata, event ids from its
   * own seed, its extraMetadata on its last event); the hash chain runs through the parts in
   * order. `state` is the state after all the parts' events, folded by the caller.
   *
   * All or nothing, and only as these events: a conflict (WrongExpectedRevisionError), any
   * other error, or an answer that the stored events are not these (`alreadyStored`: some
   * delivery stored the very same batch first) leaves nothing cached and throws
   * (GroupNotStoredError for the last), for the caller to handle each command alone.
   * `onAppend` of each part is told only when the group was stored.
   */
  async appendGroup<S>(streamId: string, aggregate: Aggregate<S>, loaded: Loaded<S>, parts: readonly GroupPart[], state: S): Promise<Loaded<S>> {
    let lastHash = loaded.lastHash;
    const toAppend: EventToAppend[] = [];
    for (const part of parts) {
      const stamped = this.stamped(streamId, lastHash, part);
      lastHash = stamped.lastHash;
      toAppend.push(...stamped.toAppend);
    }
    const expected = loaded.revision < 0n ? 'no_stream' : loaded.revision;
    this.inFlight.begin(streamId);
    let result: AppendResult;
    try {
      result = await this.store.appendToStream(streamId, toAppend, expected);
    } catch (error) {
      this.inFlight.end(streamId, -1n);
      this.forget(streamId);
      throw error;
    }
    const known = this.inFlight.end(streamId, result.nextExpectedRevision);
    if (result.alreadyStored || result.nextExpectedRevision !== loaded.revision + BigInt(toAppend.length)) {
      this.forget(streamId);
      throw new GroupNotStoredError(streamId);
    }
    for (const part of parts) part.ctx.onAppend?.({ streamId, alreadyStored: false });
    const next = advanced(loaded, state, result.nextExpectedRevision, lastHash, result.position);
    this.remember(streamId, next, known);
    this.snapshotIfDue(streamId, aggregate, next);
    return next;
  }

  /** One command's events with their metadata, ids and hash chain, continuing from `previousHash`. */
  private stamped(streamId: string, previousHash: string, part: GroupPart): { toAppend: EventToAppend[]; lastHash: string } {
    const { events, ctx, extraMetadata = {}, trace = {} } = part;
    const toAppend = events.map((event, index) => {
      const base = {
        actor: ctx.actorSub,
        commandId: ctx.commandId,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        schemaVersion: SCHEMA_VERSIONS[event.type],
        occurredAt: ctx.now,
        ...trace,
        ...(index === events.length - 1 ? extraMetadata : {}),
      };
      const hash = chainHash(previousHash, event.type, event.data, base);
      previousHash = hash;
      const metadata: EventMetadata = { ...base, hash };
      return { eventId: deterministicId(ctx.seed, streamId, String(index)), type: event.type, data: event.data, metadata };
    });
    return { toAppend, lastHash: previousHash };
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
    this.current.delete(streamId);
  }

  private apply<S>(loaded: Loaded<S>, tail: StoredEvent[], aggregate: Aggregate<S>): Loaded<S> {
    let state = loaded.state;
    for (const event of tail) state = aggregate.evolve(state, event);
    const last = tail[tail.length - 1];
    return advanced(loaded, state, last.revision, String(last.metadata.hash ?? ''), last.position);
  }

  /** The stream's latest usable snapshot, else the initial state before revision 0. */
  private async fromSnapshot<S>(streamId: string, aggregate: Aggregate<S>): Promise<Loaded<S>> {
    const empty: Loaded<S> = { state: aggregate.initialState(), revision: -1n, lastHash: '', position: 0n, snapshotRevision: -1n };
    if (!this.snapshots || aggregate.stateVersion === undefined) return empty;
    try {
      const snapshot = await this.snapshots.loadSnapshot(streamId);
      if (!snapshot || snapshot.stateVersion !== aggregate.stateVersion) return empty;
      const { revision, lastHash, position } = snapshot;
      return { state: decodeState<S>(snapshot.state), revision, lastHash, position, snapshotRevision: revision, snapshotBytes: snapshot.state.byteLength };
    } catch (error) {
      this.options.onSnapshotError?.(streamId, error);
      return empty;
    }
  }

  /**
   * Stores a snapshot when `loaded` is snapshotEvery events beyond the last one, or one per
   * SNAPSHOT_BYTES_PER_EVENT bytes of the last one if that is more (encoded now: states are folded in place).
   */
  private snapshotIfDue<S>(streamId: string, aggregate: Aggregate<S>, loaded: Loaded<S>): void {
    const stateVersion = aggregate.stateVersion;
    if (!this.snapshots || stateVersion === undefined) return;
    const every = Math.max(this.snapshotEvery, Math.ceil((loaded.snapshotBytes ?? 0) / SNAPSHOT_BYTES_PER_EVENT));
    if (loaded.revision - loaded.snapshotRevision < BigInt(every)) return;
    const { revision, position, lastHash } = loaded;
    let state: Uint8Array;
    try {
      state = encodeState(loaded.state);
    } catch (error) {
      this.options.onSnapshotError?.(streamId, error);
      return;
    }
    loaded.snapshotRevision = revision;
    loaded.snapshotBytes = state.byteLength;
    this.snapshots.saveSnapshot({ streamId, stateVersion, revision, position, lastHash, state }).catch((error: unknown) => {
      this.options.onSnapshotError?.(streamId, error);
    });
  }

  /** Caches `loaded` (known current or not), unless what is cached is further along (cached meanwhile by a later read or append). */
  private remember(streamId: string, loaded: Loaded<unknown>, known: boolean): void {
    const cached = this.cache.get(streamId);
    if (cached && cached !== loaded && cached.revision > loaded.revision) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, loaded);
    if (known) this.current.add(streamId);
    else this.current.delete(streamId);
    if (this.cache.size > this.maxCachedStreams) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
  }
}

/** The stream after more events: their state, revision, hash and position, and what is known of its latest snapshot. */
function advanced<S>(from: Loaded<S>, state: S, revision: bigint, lastHash: string, position: bigint): Loaded<S> {
  return { state, revision, lastHash, position, snapshotRevision: from.snapshotRevision, snapshotBytes: from.snapshotBytes };
}
