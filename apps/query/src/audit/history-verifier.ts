import { Inject, Injectable } from '@nestjs/common';
import { decodeEvent, firstBrokenLink, streams } from '@ses/events';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ses/event-store';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { ACCOUNT_STREAMS, type AccountStreamDoc } from './account-streams.projection';
import { forEachInStream } from './stream-reader';

export interface HistoryVerificationResult {
  ok: boolean;
  eventsChecked: number;
  /** Smallest global position whose hash does not match; null when ok. */
  firstBrokenPosition: string | null;
}

interface StreamCheck {
  events: number;
  broken: bigint[];
  /** productIds granted in this stream (account stream): their seat pools are the account's too. */
  productIds: Set<string>;
}

/**
 * Recomputes the hash chain of every stream of an account from the EVENT STORE (the
 * system of record), over the data as stored (never upcast). Each link is checked
 * against its predecessor's STORED hash, so an edited event breaks its own link only;
 * every event of every stream is checked and the smallest broken position reported.
 *
 * Which streams: the account stream, the seat pools of every product it ever granted,
 * and whatever else the accountStreams read model lists (e.g. a pool that only saw
 * denied starts of a product never granted).
 */
@Injectable()
export class HistoryVerifier {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async verify(accountId: string): Promise<HistoryVerificationResult> {
    const accountStream = streams.account(accountId);
    const checks = [await this.checkStream(accountStream)];
    const others = new Set<string>([...checks[0].productIds].map((productId) => streams.seatPool(accountId, productId)));
    for (const doc of await this.readStore.find<AccountStreamDoc>(ACCOUNT_STREAMS, { accountId })) others.add(doc._id);
    others.delete(accountStream);
    for (const streamId of [...others].sort()) checks.push(await this.checkStream(streamId));
    const broken = checks.flatMap((c) => c.broken).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      ok: broken.length === 0,
      eventsChecked: checks.reduce((sum, c) => sum + c.events, 0),
      firstBrokenPosition: broken.length ? broken[0].toString() : null,
    };
  }

  private async checkStream(streamId: string): Promise<StreamCheck> {
    const check: StreamCheck = { events: 0, broken: [], productIds: new Set() };
    let previousHash = '';
    await forEachInStream(
      (fromRevision, maxCount) => this.events.readStreamRecords(streamId, { fromRevision, maxCount }),
      (page) => {
        check.events += page.length;
        for (const position of brokenLinks(page, previousHash)) check.broken.push(position);
        previousHash = String(page[page.length - 1].metadata.hash ?? '');
        for (const productId of grantedProducts(page)) check.productIds.add(productId);
      },
    );
    return check;
  }
}

/** Products granted by the records of a page that decode as EntitlementGranted. */
function grantedProducts(page: readonly RecordedEvent[]): string[] {
  return page.flatMap((record) => {
    if (record.type !== 'EntitlementGranted') return [];
    const decoded = decodeEvent(record.type, record.metadata.schemaVersion, record.data);
    return decoded.ok && decoded.event.type === 'EntitlementGranted' ? [decoded.event.data.productId] : [];
  });
}

/** Positions of every broken link of a page whose predecessor's stored hash is `previousHash`. */
function brokenLinks(page: readonly RecordedEvent[], previousHash: string): bigint[] {
  const broken: bigint[] = [];
  let start = 0;
  let previous = previousHash;
  while (start < page.length) {
    const rest = page.slice(start);
    const index = firstBrokenLink(rest, previous);
    if (index < 0) break;
    broken.push(rest[index].position);
    previous = String(rest[index].metadata.hash ?? '');
    start += index + 1;
  }
  return broken;
}
