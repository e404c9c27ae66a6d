/** A value an equality lookup can use as a hash key. */
export type IndexKey = string | number;

export function isIndexKey(value: unknown): value is IndexKey {
  return typeof value === 'string' || typeof value === 'number';
}

/** Numeric path segments (`items.0`) have positional semantics the index does not model. */
export function isIndexablePath(field: string): boolean {
  return field.split('.').every((segment) => segment !== '' && !/^\d+$/.test(segment));
}

/**
 * In-memory hash index on one (possibly dotted) field: key -> ids of documents
 * holding that key. Like MongoDB it indexes every element of arrays met along the
 * path, so `{ tags: 'x' }` finds `{ tags: ['x', 'y'] }`. It only narrows
 * candidates; the query still tests each one, so a superset is always safe.
 */
export class HashIndex {
  private readonly idsByKey = new Map<IndexKey, Set<string>>();
  private readonly path: readonly string[];

  constructor(readonly field: string) {
    if (!isIndexablePath(field)) throw new Error(`Cannot hash-index field path "${field}"`);
    this.path = field.split('.');
  }

  add(id: string, doc: object): void {
    for (const key of this.keysOf(doc)) {
      let ids = this.idsByKey.get(key);
      if (!ids) this.idsByKey.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  remove(id: string, doc: object): void {
    for (const key of this.keysOf(doc)) {
      const ids = this.idsByKey.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.idsByKey.delete(key);
    }
  }

  lookup(key: IndexKey): ReadonlySet<string> {
    return this.idsByKey.get(key) ?? new Set();
  }

  clear(): void {
    this.idsByKey.clear();
  }

  keysOf(doc: object): Set<IndexKey> {
    const keys = new Set<IndexKey>();
    collectKeys(doc, this.path, 0, keys);
    return keys;
  }
}

function collectKeys(value: unknown, path: readonly string[], depth: number, out: Set<IndexKey>): void {
  if (Array.isArray(value)) {
    for (const element of value) {
      if (depth === path.length) {
        if (isIndexKey(element)) out.add(element);
      } else {
        collectKeys(element, path, depth, out);
      }
    }
    return;
  }
  if (depth === path.length) {
    if (isIndexKey(value)) out.add(value);
    return;
  }
  if (value !== null && typeof value === 'object') {
    collectKeys((value as Record<string, unknown>)[path[depth]], path, depth + 1, out);
  }
}
