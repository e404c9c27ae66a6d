import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  CancelledError,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type Direction,
  type EventData,
  type ReadPosition,
  type RecordedEvent,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { AllSubscriptionStream, EsdbClient } from '../esdb-client';

/*
 * An in-memory EventStoreDB with the semantics the adapter relies on, read from the
 * server's documentation and the client's source (node_modules/@eventstore/db-client):
 *
 * - appends: expected revision > current: WrongExpectedVersion; == current: appended (a
 *   re-sent batch is stored AGAIN); < current: the ids after the expected revision are
 *   compared (all stored: acknowledged, nothing written; none or some: WrongExpectedVersion).
 *   ANY: the ids are looked up in a cache of recent writes only (lost on restart).
 * - records: data and metadata are bytes; the client parses JSON content (a malformed one
 *   comes back as a string), other content comes back as bytes; empty metadata as undefined.
 * - $all holds system events ($-types in $-streams); forward reads include their start
 *   position, backward reads end before it; subscriptions start after it, apply the filter
 *   server-side, send a confirmation, then catch up and go live.
 * - subscriptions: unsubscribe() cancels the call but does not end the stream (destroy()
 *   does); a dropped connection surfaces as an 'error' on the stream.
 *
 * Faults for tests: unreachable (every call fails with UNAVAILABLE), restart (subscriptions
 * dropped, the idempotency cache lost), dropSubscriptions, delayed reads, foreign records.
 */

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  contentType: 'application/json' | 'application/octet-stream';
  data: Uint8Array;
  metadata: Uint8Array;
  created: Date;
  position: bigint;
}

type FakeFilter = NonNullable<SubscribeToAllOptions['filter']>;

export class FakeEsdbServer {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  /** The server's memory of recent writes (what an 'any' retry is checked against); a restart forgets it. */
  private recentIds = new Map<string, StoredRecord>();
  private readonly subscriptions = new Set<FakeSubscription>();
  private nextPosition = 1000n;
  private unreachable = false;
  /** Reads wait this long first (a slow or distant server). */
  readDelayMs = 0;
  /** Calls counted by kind (tests assert reads are bounded). */
  readonly calls = { appends: 0, streamReads: 0, streamEventsRead: 0, allReads: 0, subscribes: 0 };

  constructor() {
    // A fresh server has written its own events before any client comes.
    this.writeSystemEvent();
  }

  client(): FakeEsdbClient {
    return new FakeEsdbClient(this);
  }

  /** Every call fails with UNAVAILABLE (and open subscriptions break) until set back. */
  setUnreachable(unreachable: boolean): void {
    this.unreachable = unreachable;
    if (unreachable) this.dropSubscriptions(new UnavailableError(undefined, '14 UNAVAILABLE: No connection established'));
  }

  /** A server restart: subscriptions break, recent-write memory is lost, the data stays. */
  restart(): void {
    this.recentIds = new Map();
    this.dropSubscriptions(new UnavailableError(undefined, '14 UNAVAILABLE: Connection dropped'));
  }

  /** Breaks every open subscription with `error` (default: the server cancelled it, as on a leader change). */
  dropSubscriptions(error: Error = new CancelledError(undefined, '1 CANCELLED: Call cancelled by the server')): void {
    for (const subscription of [...this.subscriptions]) subscription.break(error);
  }

  /** The server ends every open subscription normally (as on shutdown). */
  endSubscriptions(): void {
    for (const subscription of [...this.subscriptions]) subscription.finish();
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Writes a record as another tool would: any type, any content. */
  writeForeign(streamId: string, type: string, data: Uint8Array | string, options: { json?: boolean; metadata?: Uint8Array | string } = {}): bigint {
    const bytes = (value: Uint8Array | string | undefined) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : (value ?? new Uint8Array()));
    return this.store(streamId, [
      {
        id: randomUUID(),
        type,
        contentType: options.json === false ? 'application/octet-stream' : 'application/json',
        data: bytes(data),
        metadata: bytes(options.metadata),
      },
    ]).position;
  }

  /** A system event ($stats), as the server writes now and then. */
  writeSystemEvent(): void {
    this.store('$stats-127.0.0.1:2113', [
      { id: randomUUID(), type: '$statsCollected', contentType: 'application/json', data: Buffer.from('{"proc":1}'), metadata: new Uint8Array() },
    ]);
  }

  append(streamId: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    this.check();
    this.calls.appends += 1;
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? -1n : stream[stream.length - 1]!.revision;
    const ids = events.map((event) => event.id.toLowerCase());
    const wrong = (): WrongExpectedVersionError =>
      new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current: current < 0n ? NO_STREAM : current });
    const acknowledged = (last: StoredRecord): AppendResult => ({
      success: true,
      nextExpectedRevision: last.revision,
      position: { commit: last.position, prepare: last.position },
    });
    if (expected === ANY) {
      const known = ids.map((id) => this.recentIds.get(id));
      if (ids.length > 0 && known.every((record) => record?.streamId === streamId)) return acknowledged(known[known.length - 1]!);
      if (known.some((record) => record?.streamId === streamId)) throw wrong();
    } else if (expected === STREAM_EXISTS) {
      if (current < 0n) throw wrong();
    } else {
      const expectedRevision = expected === NO_STREAM ? -1n : expected;
      if (expectedRevision > current) throw wrong();
      if (expectedRevision < current) {
        const after = stream.slice(Number(expectedRevision + 1n), Number(expectedRevision + 1n) + ids.length);
        if (after.length === ids.length && after.every((record, index) => record.id.toLowerCase() === ids[index]))
          return acknowledged(after[after.length - 1]!);
        throw wrong();
      }
    }
    if (events.length === 0) return { success: true, nextExpectedRevision: current, position: { commit: this.nextPosition, prepare: this.nextPosition } };
    const last = this.store(
      streamId,
      events.map((event) => ({
        id: event.id,
        type: event.type,
        contentType: event.contentType,
        data: event.contentType === 'application/json' ? Buffer.from(JSON.stringify(event.data)) : (event.data as Uint8Array),
        metadata: event.metadata === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(event.metadata)),
      })),
    );
    return acknowledged(last);
  }

  async *readStream(
    streamId: string,
    options: { fromRevision: bigint | typeof END | typeof START; direction?: Direction; maxCount: number | bigint },
  ): AsyncGenerator<ResolvedEvent> {
    await this.beforeRead();
    this.calls.streamReads += 1;
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0) throw new StreamNotFoundError(undefined, streamId);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision === END ? stream[stream.length - 1]!.revision : options.fromRevision === START ? 0n : options.fromRevision;
    const selected = backwards ? stream.filter((record) => record.revision <= from).reverse() : stream.filter((record) => record.revision >= from);
    for (const record of selected.slice(0, Number(options.maxCount))) {
      this.calls.streamEventsRead += 1;
      yield { event: toRecordedEvent(record) };
    }
  }

  async *readAll(options: { fromPosition: ReadPosition; direction: Direction; maxCount: number }): AsyncGenerator<AllStreamResolvedEvent> {
    await this.beforeRead();
    this.calls.allReads += 1;
    const backwards = options.direction === BACKWARDS;
    const at = options.fromPosition;
    let selected: StoredRecord[];
    if (backwards) {
      selected = (at === END ? [...this.log] : at === START ? [] : this.log.filter((record) => record.position < at.prepare)).reverse();
    } else {
      selected = at === START ? [...this.log] : at === END ? [] : this.log.filter((record) => record.position >= at.prepare);
    }
    for (const record of selected.slice(0, options.maxCount))
      yield { event: toRecordedEvent(record), commitPosition: record.position } as AllStreamResolvedEvent;
  }

  subscribe(options: SubscribeToAllOptions): FakeSubscription {
    this.calls.subscribes += 1;
    const subscription = new FakeSubscription(options.filter, () => this.subscriptions.delete(subscription));
    const from = options.fromPosition ?? START;
    setImmediate(() => {
      if (subscription.cancelled) return;
      if (this.unreachable) {
        subscription.break(new UnavailableError(undefined, '14 UNAVAILABLE: No connection established'));
        return;
      }
      // Registered and caught up in one turn: nothing appended in between is missed or sent twice.
      this.subscriptions.add(subscription);
      subscription.emit('confirmation');
      const after = from === START ? -1n : from === END ? (this.log[this.log.length - 1]?.position ?? -1n) : from.prepare;
      for (const record of this.log) if (record.position > after) subscription.offer(record);
    });
    return subscription;
  }

  private store(streamId: string, events: Omit<StoredRecord, 'streamId' | 'revision' | 'created' | 'position'>[]): StoredRecord {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    let last: StoredRecord | undefined;
    for (const event of events) {
      const record: StoredRecord = { ...event, streamId, revision: BigInt(stream.length), created: new Date(), position: this.nextPosition };
      this.nextPosition += BigInt(100 + event.data.length + event.metadata.length);
      stream.push(record);
      this.log.push(record);
      this.recentIds.set(record.id.toLowerCase(), record);
      for (const subscription of this.subscriptions) subscription.offer(record);
      last = record;
    }
    return last!;
  }

  private check(): void {
    if (this.unreachable) throw new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');
  }

  private async beforeRead(): Promise<void> {
    if (this.readDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.readDelayMs));
    this.check();
  }
}

/** What the client's Subscription is to the adapter: an object stream of resolved events, cancelled by unsubscribe(), freed by destroy(). */
export class FakeSubscription extends PassThrough implements AllSubscriptionStream {
  cancelled = false;

  constructor(
    private readonly subscriptionFilter: FakeFilter | undefined,
    private readonly onGone: () => void,
  ) {
    super({ objectMode: true });
    this.once('close', onGone);
  }

  offer(record: StoredRecord): void {
    if (this.cancelled || this.destroyed || !passes(this.subscriptionFilter, record)) return;
    this.write({ event: toRecordedEvent(record), commitPosition: record.position });
  }

  /** The server ends the call normally. */
  finish(): void {
    this.onGone();
    this.end();
  }

  break(error: Error): void {
    this.onGone();
    if (!this.destroyed) this.destroy(error);
  }

  async unsubscribe(): Promise<void> {
    // Like the real one: the gRPC call is cancelled, the stream is NOT ended.
    this.cancelled = true;
    this.onGone();
  }
}

export class FakeEsdbClient implements EsdbClient {
  private readonly open = new Set<FakeSubscription>();

  constructor(readonly server: FakeEsdbServer) {}

  async appendToStream(streamName: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult> {
    await Promise.resolve();
    return this.server.append(streamName, events, options.expectedRevision);
  }

  readStream(
    streamName: string,
    options: { fromRevision: bigint | typeof END; direction?: Direction; maxCount: number | bigint },
  ): AsyncIterable<ResolvedEvent> {
    return this.server.readStream(streamName, options);
  }

  readAll(options: { fromPosition: ReadPosition; direction: Direction; maxCount: number; resolveLinkTos: boolean }): AsyncIterable<AllStreamResolvedEvent> {
    return this.server.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscriptionStream {
    const subscription = this.server.subscribe(options);
    this.open.add(subscription);
    subscription.once('close', () => this.open.delete(subscription));
    return subscription;
  }

  async dispose(): Promise<void> {
    for (const subscription of this.open) subscription.destroy();
  }
}

function passes(filter: FakeFilter | undefined, record: StoredRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
}

/** As the client converts a gRPC record (dist/utils/convertGrpcEvent.js). */
function toRecordedEvent(record: StoredRecord): RecordedEvent {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const parsed = (bytes: Uint8Array): unknown => {
    try {
      return JSON.parse(text(bytes));
    } catch {
      return text(bytes);
    }
  };
  let metadata: unknown;
  if (record.metadata.length > 0) {
    try {
      metadata = JSON.parse(text(record.metadata));
    } catch {
      metadata = record.metadata;
    }
  }
  const isJson = record.contentType === 'application/json';
  return {
    streamId: record.streamId,
    id: record.id,
    revision: record.revision,
    type: record.type,
    data: isJson ? parsed(record.data) : record.data,
    metadata,
    isJson,
    created: record.created,
    position: { commit: record.position, prepare: record.position },
  } as RecordedEvent;
}
