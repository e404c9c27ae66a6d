import type { Filter } from '../read-store.port';
import { equalityKey } from './equality-key';
import { HashIndex, isIndexablePath } from './hash-index';
import type { StoredDoc } from './stored-doc';

/** One collection's committed documents (id -> doc) and its hash indexes, kept in step. */
export class DocumentCollection {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly indexes = new Map<string, HashIndex>();

  get size(): number {
    return this.docs.size;
  }

  get(id: string): StoredDoc | undefined {
    return this.docs.get(id);
  }

  ids(): IterableIterator<string> {
    return this.docs.keys();
  }

  /** Builds a hash index on `field` unless one exists or the path cannot be hashed. */
  ensureIndex(field: string): void {
    if (this.indexes.has(field) || !isIndexablePath(field)) return;
    const index = new HashIndex(field);
    for (const [id, doc] of this.docs) index.add(id, doc);
    this.indexes.set(field, index);
  }

  put(doc: StoredDoc): void {
    const previous = this.docs.get(doc._id);
    if (previous) for (const index of this.indexes.values()) index.remove(doc._id, previous);
    this.docs.set(doc._id, doc);
    for (const index of this.indexes.values()) index.add(doc._id, doc);
  }

  delete(id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    for (const index of this.indexes.values()) index.remove(id, previous);
    this.docs.delete(id);
  }

  clear(): void {
    this.docs.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  /**
   * Ids of every document that might match `filter`: one for a string `_id`
   * equality, an index bucket for an equality on an indexed field, else all.
   */
  candidateIds(filter: Filter): Iterable<string> {
    const id = equalityKey(filter, '_id');
    if (id !== undefined) return typeof id === 'string' && this.docs.has(id) ? [id] : [];
    for (const [field, index] of this.indexes) {
      const key = equalityKey(filter, field);
      if (key !== undefined) return index.lookup(key);
    }
    return this.docs.keys();
  }

  candidates(filter: Filter): StoredDoc[] {
    const docs: StoredDoc[] = [];
    for (const id of this.candidateIds(filter)) {
      const doc = this.docs.get(id);
      if (doc) docs.push(doc);
    }
    return docs;
  }
}
