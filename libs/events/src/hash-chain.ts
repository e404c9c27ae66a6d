import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { UnhashedMetadata } from './metadata';

/**
 * Tamper evidence: SHA-256 (hex) over the previous event's hash in the same stream
 * ('' for the first) and the RFC 8785 canonical JSON of this event's type, data and
 * metadata without `hash`.
 */
export function chainHash(previousHash: string, type: string, data: unknown, metadata: UnhashedMetadata | Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = metadata as Record<string, unknown>;
  const encoded = canonicalize({ type, data, metadata: rest }) ?? '';
  return createHash('sha256').update(previousHash).update('\n').update(encoded).digest('hex');
}

export interface ChainLink {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Recomputes a stream's chain; returns the index of the first broken link, or -1.
 * `previousHash`: the stored hash of the event before `events[0]` ('' when `events`
 * starts the stream), so a long stream can be checked page by page.
 */
export function firstBrokenLink(events: readonly ChainLink[], previousHash = ''): number {
  let previous = previousHash;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const expected = chainHash(previous, e.type, e.data, e.metadata);
    if (e.metadata.hash !== expected) return i;
    previous = expected;
  }
  return -1;
}
