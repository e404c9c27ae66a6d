import { LRUCache } from 'lru-cache';
import type { StoredDoc } from './stored-doc';

/**
 * Decoded documents kept in memory, least recently used evicted first, bounded by
 * an estimate of their size: a parsed document takes 1.2 to 1.5 times its JSON on
 * the V8 heap (measured on analytics, user and session documents, and on a year of
 * usage analytics after reports), plus the cache's own bookkeeping per entry; twice
 * the JSON plus 300 bytes errs on the safe side. A document larger than the whole
 * cache is not kept. Size 0 keeps nothing.
 */
export class DocumentCache {
  private readonly lru?: LRUCache<string, StoredDoc>;

  constructor(readonly maxBytes: number) {
    if (maxBytes >= 1) this.lru = new LRUCache<string, StoredDoc>({ maxSize: Math.floor(maxBytes) });
  }

  get(collection: string, id: string): StoredDoc | undefined {
    return this.lru?.get(keyOf(collection, id));
  }

  has(collection: string, id: string): boolean {
    return this.lru?.has(keyOf(collection, id)) ?? false;
  }

  /** Keeps `doc`; `jsonLength` is the length of its encoded body. */
  put(collection: string, id: string, doc: StoredDoc, jsonLength: number): void {
    this.lru?.set(keyOf(collection, id), doc, { size: estimateBytes(jsonLength) });
  }

  delete(collection: string, id: string): void {
    this.lru?.delete(keyOf(collection, id));
  }

  clear(): void {
    this.lru?.clear();
  }

  /** Estimated bytes held now. */
  get bytes(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }
}

export const estimateBytes = (jsonLength: number): number => jsonLength * 2 + 300;

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;
