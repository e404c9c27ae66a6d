import type { EventEnvelope } from '@ses/event-store';

const PAGE = 1000;

/**
 * Pages through one stream in revision order with `read` (decoded events, or records as
 * stored); `visit` returns false to stop early. Memory stays one page.
 */
export async function forEachInStream<E extends EventEnvelope>(
  read: (fromRevision: bigint, maxCount: number) => Promise<E[]>,
  visit: (page: E[]) => boolean | void,
): Promise<void> {
  let fromRevision = 0n;
  for (;;) {
    const page = await read(fromRevision, PAGE);
    if (page.length === 0) return;
    if (visit(page) === false) return;
    if (page.length < PAGE) return;
    fromRevision = page[page.length - 1].revision + 1n;
  }
}

/** When the event happened: the command's clock (metadata.occurredAt), else when the store recorded it. */
export function eventTime(event: EventEnvelope): number {
  const occurredAt = event.metadata.occurredAt;
  const parsed = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
  return Number.isNaN(parsed) ? event.recordedAt.getTime() : parsed;
}
