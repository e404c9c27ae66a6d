import type { EventStore, StoredEvent } from '@ses/event-store';

const PAGE = 1000;

/** Pages through one stream in revision order; `visit` returns false to stop early. Memory stays one page. */
export async function forEachInStream(store: EventStore, streamId: string, visit: (page: StoredEvent[]) => boolean | void): Promise<void> {
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, maxCount: PAGE });
    if (page.length === 0) return;
    if (visit(page) === false) return;
    if (page.length < PAGE) return;
    fromRevision = page[page.length - 1].revision + 1n;
  }
}

/** When the event happened: the command's clock (metadata.occurredAt), else when the store recorded it. */
export function eventTime(event: StoredEvent): number {
  const occurredAt = event.metadata.occurredAt;
  const parsed = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
  return Number.isNaN(parsed) ? event.recordedAt.getTime() : parsed;
}
