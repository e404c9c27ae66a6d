import { deserialize, serialize } from 'node:v8';
import { accountDecider, seatPoolDecider } from '@ses/domain';
import type { DomainEvent } from '@ses/events';
import type { StoredEvent } from '@ses/event-store';
import type { Snapshot } from './command-index/command-index-store.port';
import type { BuildListener } from './command-index/log-index';

/** What the aggregate store needs of a snapshot store (the command index store is one). */
export interface SnapshotStore {
  loadSnapshot(streamId: string): Promise<Snapshot | undefined>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
}

/** An aggregate whose state may be snapshotted: `stateVersion` names its shape (see Decider.stateVersion). */
export interface SnapshotAggregate<S> {
  initialState(): S;
  evolve(state: S, event: DomainEvent): S;
  stateVersion?: number;
}

/**
 * A snapshot is taken once a stream has this many events beyond its last one, so a cold
 * load reads at most about this many events, however long the stream.
 */
export const SNAPSHOT_EVERY = 200;

/**
 * ...or, for a large state, once it has one event beyond its last snapshot per this many bytes
 * of that snapshot: a state of thousands of sessions costs far more to encode and store than
 * 200 events (issue 14: 5 % of the main thread on a busy pool), while a cold load then
 * folds a tail that costs about what decoding the snapshot does. Keeps the cost of
 * snapshots per event constant whatever the state's size.
 */
export const SNAPSHOT_BYTES_PER_EVENT = 512;

/**
 * States are encoded with V8's serializer (node:v8): it keeps Maps and Sets (the seat
 * pool's state is made of them) without a hand-written codec, and Node keeps the format
 * readable across versions. A snapshot that does not decode is treated as missing.
 */
export function encodeState(state: unknown): Uint8Array {
  return serialize(state);
}

export function decodeState<S>(bytes: Uint8Array): S {
  return deserialize(bytes) as S;
}

/** The aggregates the command side snapshots, by stream name prefix (libs/events streams). */
export const SNAPSHOTTED_STREAMS: readonly { prefix: string; aggregate: SnapshotAggregate<unknown> }[] = [
  { prefix: 'seatpool-', aggregate: seatPoolDecider as SnapshotAggregate<unknown> },
  { prefix: 'account-', aggregate: accountDecider as SnapshotAggregate<unknown> },
];

function aggregateOf(streamId: string): SnapshotAggregate<unknown> | undefined {
  return SNAPSHOTTED_STREAMS.find(({ prefix }) => streamId.startsWith(prefix))?.aggregate;
}

interface Folding {
  state: unknown;
  version: number;
  revision: bigint;
  position: bigint;
  lastHash: string;
}

/**
 * Folds every snapshotted stream while the command index is built from the start of the
 * log, and stores a snapshot of each, so that after an upgrade even the busiest pool loads
 * from a snapshot the first time. At most `maxStreams` states are held at once: the
 * least recently seen is stored and read back if its stream goes on.
 */
export class SnapshotBuilder implements BuildListener {
  private readonly folding = new Map<string, Folding>();
  /** Streams stored before the end (to make room): their snapshot is where folding resumes. */
  private readonly evicted = new Set<string>();
  private stored = 0;

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly maxStreams = 10_000,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    const aggregate = aggregateOf(event.streamId);
    if (aggregate?.stateVersion === undefined) return;
    let folding = this.folding.get(event.streamId);
    if (folding) this.folding.delete(event.streamId);
    else folding = await this.resume(event.streamId, aggregate.stateVersion, aggregate);
    folding.state = aggregate.evolve(folding.state, event);
    folding.revision = event.revision;
    folding.position = event.position;
    folding.lastHash = String(event.metadata.hash ?? '');
    this.folding.set(event.streamId, folding);
    if (this.folding.size > this.maxStreams) {
      const [oldest, state] = this.folding.entries().next().value!;
      this.folding.delete(oldest);
      this.evicted.add(oldest);
      await this.store(oldest, state);
    }
  }

  async finish(): Promise<Record<string, unknown>> {
    for (const [streamId, folding] of this.folding) await this.store(streamId, folding);
    this.folding.clear();
    return { snapshotsStored: this.stored };
  }

  private async resume(streamId: string, version: number, aggregate: SnapshotAggregate<unknown>): Promise<Folding> {
    const snapshot = this.evicted.has(streamId) ? await this.snapshots.loadSnapshot(streamId) : undefined;
    if (snapshot && snapshot.stateVersion === version) {
      return { state: decodeState(snapshot.state), version, revision: snapshot.revision, position: snapshot.position, lastHash: snapshot.lastHash };
    }
    return { state: aggregate.initialState(), version, revision: -1n, position: 0n, lastHash: '' };
  }

  private async store(streamId: string, folding: Folding): Promise<void> {
    const { version, revision, position, lastHash, state } = folding;
    await this.snapshots.saveSnapshot({ streamId, stateVersion: version, revision, position, lastHash, state: encodeState(state) });
    this.stored++;
  }
}
