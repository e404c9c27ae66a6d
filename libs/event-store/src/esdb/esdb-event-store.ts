import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  EventStoreDBClient,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendResult as EsdbAppendResult,
  type Direction,
  type JSONType,
  type ReadPosition,
  type RecordedEvent,
} from '@eventstore/db-client';
import canonicalize from 'canonicalize';
import { STREAM_PREFIXES } from '@ses/events';
import {
  RETRY_WINDOW,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventStoreIdentity,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent as StoredRecord,
  type SkipReporter,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import { decodeRecord, readDecoded, warnOnSkip } from '../decode-records';
import type { BackoffOptions } from '../resilience/backoff';
import type { EsdbClient } from './esdb-client';
import { isOwnStream, isSystemEvent, knownPrepare, sameEventId, toEsdbExpectedRevision, toReadPosition, toStoredRecord } from './esdb-mapping';
import { toEsdbConnectionString } from './esdb-connection-string';
import { EsdbSubscription } from './esdb-subscription';

const DEFAULT_READ_ALL_MAX_COUNT = 1000;
/** $all holds system events (and maybe other tools' streams) we skip, so reads fetch pages and filter. */
const ALL_PAGE_SIZE = 500;
/** headPosition usually finds one of our events among the newest few records. */
const HEAD_PAGE_SIZE = 32;
/** The stream that names this store: one event, written once (its id is the store's identity); outside the service's prefixes, so no read sees it. */
export const IDENTITY_STREAM = 'ses-store-identity';
const IDENTITY_EVENT = 'StoreIdentified';

interface PositionedEvent {
  event: RecordedEvent;
  position: bigint;
}

export interface EsdbEventStoreOptions {
  /** Told about events reads skip (undecodable or not JSON); default: a warning. */
  onSkipped?: SkipReporter;
  /**
   * The service's stream-name prefixes: subscriptions ask the server for these streams only,
   * reads skip other streams (without reporting them). Default STREAM_PREFIXES; tests add theirs.
   */
  streamPrefixes?: readonly string[];
  /** Delays between a subscription's resubscriptions; default DEFAULT_BACKOFF. */
  reconnect?: BackoffOptions;
  /** Events before the expected revision (or the end, for 'any') searched for a retried batch; default RETRY_WINDOW. */
  retryWindow?: number;
}

/** The production event store: EventStoreDB / KurrentDB over gRPC. */
export class EsdbEventStore implements EventStore {
  private readonly client: EsdbClient;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly onSkipped: SkipReporter;
  private readonly prefixes: readonly string[];
  private readonly retryWindow: number;
  private identityPromise?: Promise<EventStoreIdentity>;

  /** `esdb://`, `esdb+discover://`, `kurrentdb://` or `kurrentdb+discover://` (or a client: tests give a fake one). */
  constructor(
    connection: string | EsdbClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {
    this.onSkipped = options.onSkipped ?? warnOnSkip;
    this.prefixes = options.streamPrefixes ?? STREAM_PREFIXES;
    this.retryWindow = options.retryWindow ?? RETRY_WINDOW;
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(toEsdbConnectionString(connection)) : connection;
  }

  /**
   * Idempotent with bounded reads (the port's promise): first a look where a retry of this
   * batch would be (the server would store a retry at the current revision, or one with
   * 'any' it no longer remembers, again), then the append, then the batch's last event
   * read back: its $all position, and whether the events stored are the ones sent (the
   * server acknowledges a stale retry as a success).
   */
  async appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length > 0) {
      const earlier = await this.findRetriedBatch(streamId, events, expectedRevision);
      if (earlier === 'partly') throw new WrongExpectedRevisionError(streamId, expectedRevision, await this.currentRevision(streamId));
      if (earlier) return earlier;
    }
    let appended: EsdbAppendResult;
    try {
      appended = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent({ id: event.eventId, type: event.type, data: event.data as JSONType, metadata: event.metadata as JSONType })),
        { expectedRevision: toEsdbExpectedRevision(expectedRevision) },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another delivery may have stored the batch since we looked: right after the revision it expected too.
      const after = expectedRevision === 'no_stream' ? -1n : typeof expectedRevision === 'bigint' ? expectedRevision : undefined;
      const stored = after === undefined ? undefined : await this.findBatchAt(streamId, events, after + 1n);
      if (stored) return stored;
      throw new WrongExpectedRevisionError(streamId, expectedRevision, error.actualVersion);
    }
    if (events.length === 0) return { nextExpectedRevision: appended.nextExpectedRevision, position: await this.headPosition(), alreadyStored: false };
    return this.locateAppendedBatch(streamId, events, appended);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const read = (fromRevision: bigint, maxCount: number) => this.readMapped(streamId, fromRevision, maxCount);
    return readDecoded(read, options.fromRevision ?? 0n, options.maxCount ?? Number.MAX_SAFE_INTEGER, (record) => record.revision + 1n, this.onSkipped);
  }

  async readStreamRecords(streamId: string, options: ReadStreamOptions = {}): Promise<StoredRecord[]> {
    return this.readMapped(streamId, options.fromRevision ?? 0n, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT;
    const events: StoredEvent[] = [];
    let cursor = options.after;
    for (;;) {
      const page = await this.readAllPage(toReadPosition(cursor), FORWARDS, ALL_PAGE_SIZE);
      for (const { event, position } of page) {
        // Reads from a position include the event at it.
        if ((cursor !== undefined && position <= cursor) || !this.isOurs(event)) continue;
        const decoded = decodeRecord(toStoredRecord(event, position), this.onSkipped);
        if (decoded) events.push(decoded);
        if (events.length === maxCount) return events;
      }
      if (page.length < ALL_PAGE_SIZE) return events;
      cursor = page[page.length - 1]!.position;
    }
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    let below: bigint | undefined;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, HEAD_PAGE_SIZE);
      const older = page.filter(({ position }) => below === undefined || position < below);
      const newestOurs = older.find(({ event }) => this.isOurs(event));
      if (newestOurs) return newestOurs.position;
      if (page.length < HEAD_PAGE_SIZE || older.length === 0) return -1n;
      below = older[older.length - 1]!.position;
      from = toReadPosition(below);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new EsdbSubscription(this.client, options, (finished) => this.subscriptions.delete(finished), {
      streamPrefixes: this.prefixes,
      backoff: this.options.reconnect,
      onSkipped: this.onSkipped,
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The id of the one event of IDENTITY_STREAM, written on first use with no_stream (so two
   * instances starting at once agree on it). A cluster keeps it through restarts and leader
   * changes; a new cluster, or a restore of another one's data, has another.
   */
  identity(): Promise<EventStoreIdentity> {
    this.identityPromise ??= this.readOrCreateIdentity().catch((error: unknown) => {
      this.identityPromise = undefined;
      throw error;
    });
    return this.identityPromise;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async readOrCreateIdentity(): Promise<EventStoreIdentity> {
    const [existing] = await this.readRecorded(IDENTITY_STREAM, 0n, 1);
    if (existing) return { kind: 'esdb', id: existing.id.toLowerCase() };
    const id = randomUUID();
    try {
      await this.client.appendToStream(IDENTITY_STREAM, [jsonEvent({ id, type: IDENTITY_EVENT, data: { createdAt: new Date().toISOString() } })], {
        expectedRevision: toEsdbExpectedRevision('no_stream'),
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    const [stored] = await this.readRecorded(IDENTITY_STREAM, 0n, 1);
    if (!stored) throw new Error(`EventStoreDB: ${IDENTITY_STREAM} is empty after it was written`);
    return { kind: 'esdb', id: stored.id.toLowerCase() };
  }

  private isOurs(event: RecordedEvent): boolean {
    return !isSystemEvent(event) && isOwnStream(event.streamId, this.prefixes);
  }

  /**
   * Where a retry of this batch can already be stored, read with one bounded read: the
   * revisions right after the expected one (a stale retry), and the RETRY_WINDOW events
   * up to it (a retry at the current revision), or the stream's last RETRY_WINDOW events
   * for 'any'. The stored result, 'partly' when only some of the ids are there, or
   * undefined when none is.
   */
  private async findRetriedBatch(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult | 'partly' | undefined> {
    let recorded: RecordedEvent[];
    if (expected === 'any') {
      recorded = (await this.readRecorded(streamId, END, this.retryWindow + events.length, BACKWARDS)).reverse();
    } else {
      const next = expected === 'no_stream' ? 0n : expected + 1n;
      const from = next - BigInt(this.retryWindow) > 0n ? next - BigInt(this.retryWindow) : 0n;
      recorded = await this.readRecorded(streamId, from, Number(next - from) + events.length);
    }
    return matchBatch(recorded, events);
  }

  /** The stored result when exactly this batch starts at `revision`. */
  private async findBatchAt(streamId: string, events: readonly EventToAppend[], revision: bigint): Promise<AppendResult | undefined> {
    const found = matchBatch(await this.readRecorded(streamId, revision, events.length), events);
    return found === 'partly' ? undefined : found;
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const [last] = await this.readRecorded(streamId, END, 1, BACKWARDS);
    return last ? last.revision : 'no_stream';
  }

  /**
   * The append answer's position is the write's commit position, which the server
   * itself calls "not technically correct" for multi-event writes, and an idempotent
   * retry answers with the original write's revision. So we read the batch's last
   * event back: its $all position is the one readAll and subscriptions report, and its
   * data and metadata say whether these events or an earlier delivery's are stored.
   */
  private async locateAppendedBatch(streamId: string, events: readonly EventToAppend[], appended: EsdbAppendResult): Promise<AppendResult> {
    const last = events[events.length - 1]!;
    const [atRevision] = await this.readRecorded(streamId, appended.nextExpectedRevision, 1);
    const position = atRevision && knownPrepare(atRevision);
    if (atRevision && position !== undefined && sameEventId(atRevision.id, last.eventId)) {
      const stored = toStoredRecord(atRevision, position);
      const same = canonicalize({ data: stored.data, metadata: stored.metadata }) === canonicalize({ data: last.data, metadata: last.metadata });
      return { nextExpectedRevision: atRevision.revision, position, alreadyStored: !same };
    }
    throw new Error(`appended to ${streamId} but could not find event ${last.eventId} at revision ${appended.nextExpectedRevision}`);
  }

  /** One page of $all, read to its end (no half-consumed gRPC streams), with each record's position. */
  private async readAllPage(fromPosition: ReadPosition, direction: Direction, maxCount: number): Promise<PositionedEvent[]> {
    const page: PositionedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount, resolveLinkTos: false })) {
      const position = resolved.event && knownPrepare(resolved.event);
      if (resolved.event && position !== undefined) page.push({ event: resolved.event, position });
    }
    return page;
  }

  private async readMapped(streamId: string, fromRevision: bigint, maxCount: number): Promise<StoredRecord[]> {
    const recorded = await this.readRecorded(streamId, fromRevision, maxCount);
    // Servers since 22.6 report the $all position on stream reads too (-1n only if one did not).
    return recorded.map((event) => toStoredRecord(event, knownPrepare(event) ?? -1n));
  }

  private async readRecorded(streamId: string, fromRevision: bigint | typeof END, maxCount: number, direction: Direction = FORWARDS): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision, maxCount, direction })) {
        if (resolved.event) recorded.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return recorded;
  }
}

/**
 * The stored result when `events` are among `recorded` (consecutive revisions, in order)
 * as one run, 'partly' when only some of their ids are there, undefined when none is.
 */
function matchBatch(recorded: readonly RecordedEvent[], events: readonly EventToAppend[]): AppendResult | 'partly' | undefined {
  const ids = events.map((event) => event.eventId.toLowerCase());
  const present = recorded.filter((event) => ids.includes(event.id.toLowerCase()));
  if (present.length === 0) return undefined;
  const start = recorded.findIndex((event) => sameEventId(event.id, ids[0]!));
  const run = start < 0 ? [] : recorded.slice(start, start + ids.length);
  const whole =
    present.length === ids.length &&
    run.length === ids.length &&
    run.every((event, index) => sameEventId(event.id, ids[index]!) && event.revision === run[0]!.revision + BigInt(index));
  const last = run[run.length - 1];
  const position = last && knownPrepare(last);
  if (!whole || !last || position === undefined) return 'partly';
  return { nextExpectedRevision: last.revision, position, alreadyStored: true };
}
