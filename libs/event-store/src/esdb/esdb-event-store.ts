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
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
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
import { isSystemEvent, knownPrepare, sameEventId, toEsdbExpectedRevision, toReadPosition, toStoredRecord } from './esdb-mapping';
import { toEsdbConnectionString } from './esdb-connection-string';
import { EsdbSubscription } from './esdb-subscription';

const DEFAULT_READ_ALL_MAX_COUNT = 1000;
/** $all holds system events we skip, so reads fetch pages and filter. */
const ALL_PAGE_SIZE = 500;
/** headPosition usually finds a non-system event among the newest few records. */
const HEAD_PAGE_SIZE = 32;

interface PositionedEvent {
  event: RecordedEvent;
  position: bigint;
}

/** The production event store: EventStoreDB / KurrentDB over gRPC. */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EsdbSubscription>();

  private readonly onSkipped: SkipReporter;

  /** `esdb://`, `esdb+discover://`, `kurrentdb://` or `kurrentdb+discover://`; `onSkipped` hears of events reads skip (default: a warning). */
  constructor(connectionString: string, options: { onSkipped?: SkipReporter } = {}) {
    this.onSkipped = options.onSkipped ?? warnOnSkip;
    this.client = EventStoreDBClient.connectionString(toEsdbConnectionString(connectionString));
  }

  async appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    let appended: EsdbAppendResult;
    try {
      appended = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent({ id: event.eventId, type: event.type, data: event.data as JSONType, metadata: event.metadata as JSONType })),
        { expectedRevision: toEsdbExpectedRevision(expectedRevision) },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // A retry of a batch that is already stored succeeds, even when the stream has moved on since.
      const stored = await this.findStoredBatch(streamId, events);
      if (stored) return stored;
      throw new WrongExpectedRevisionError(streamId, expectedRevision, error.actualVersion);
    }
    if (events.length === 0) return { nextExpectedRevision: appended.nextExpectedRevision, position: await this.headPosition() };
    return this.locateAppendedBatch(streamId, events, appended);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const read = (fromRevision: bigint, maxCount: number) => this.readStreamRecords(streamId, { fromRevision, maxCount });
    return readDecoded(read, options.fromRevision ?? 0n, options.maxCount ?? Number.MAX_SAFE_INTEGER, (record) => record.revision + 1n, this.onSkipped);
  }

  async readStreamRecords(streamId: string, options: ReadStreamOptions = {}): Promise<StoredRecord[]> {
    const recorded = await this.readRecorded(streamId, options.fromRevision ?? 0n, options.maxCount ?? Number.MAX_SAFE_INTEGER);
    // Servers since 22.6 report the $all position on stream reads too (-1n only if one did not).
    return recorded.map((event) => toStoredRecord(event, knownPrepare(event) ?? -1n));
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT;
    const events: StoredEvent[] = [];
    let cursor = options.after;
    for (;;) {
      const page = await this.readAllPage(toReadPosition(cursor), FORWARDS, ALL_PAGE_SIZE);
      for (const { event, position } of page) {
        // Reads from a position include the event at it.
        if ((cursor !== undefined && position <= cursor) || isSystemEvent(event)) continue;
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
      const newestOurs = older.find(({ event }) => !isSystemEvent(event));
      if (newestOurs) return newestOurs.position;
      if (page.length < HEAD_PAGE_SIZE || older.length === 0) return -1n;
      below = older[older.length - 1]!.position;
      from = toReadPosition(below);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new EsdbSubscription(this.client, options, (finished) => this.subscriptions.delete(finished), this.onSkipped);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  /**
   * The append answer's position is the write's commit position, which the server
   * itself calls "not technically correct" for multi-event writes, and an idempotent
   * retry answers with the original write's revision. So we read the batch's last
   * event back: its $all position is the one readAll and subscriptions report.
   */
  private async locateAppendedBatch(streamId: string, events: readonly EventToAppend[], appended: EsdbAppendResult): Promise<AppendResult> {
    const lastId = events[events.length - 1]!.eventId;
    const [atRevision] = await this.readRecorded(streamId, appended.nextExpectedRevision, 1);
    const position = atRevision && knownPrepare(atRevision);
    if (atRevision && position !== undefined && sameEventId(atRevision.id, lastId)) {
      return { nextExpectedRevision: atRevision.revision, position };
    }
    const stored = await this.findStoredBatch(streamId, events);
    if (stored) return stored;
    throw new Error(`appended to ${streamId} but could not find event ${lastId} at revision ${appended.nextExpectedRevision}`);
  }

  /** The stored result of this exact batch (same ids, same order, consecutive), if the stream holds it. */
  private async findStoredBatch(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const recorded = await this.readRecorded(streamId, 0n, Number.MAX_SAFE_INTEGER);
    const start = recorded.findIndex((event) => sameEventId(event.id, events[0]!.eventId));
    if (start < 0 || start + events.length > recorded.length) return undefined;
    const batch = recorded.slice(start, start + events.length);
    if (!batch.every((event, index) => sameEventId(event.id, events[index]!.eventId))) return undefined;
    const last = batch[batch.length - 1]!;
    const position = knownPrepare(last);
    if (position === undefined) return undefined;
    return { nextExpectedRevision: last.revision, position };
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

  private async readRecorded(streamId: string, fromRevision: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision, maxCount })) {
        if (resolved.event) recorded.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return recorded;
  }
}
