/** A value an index holds and a query can look up: strings and numbers only. */
export type IndexKey = string | number;

export function isIndexKey(value: unknown): value is IndexKey {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Numeric path segments (`items.0`) have positional semantics the index does not model. */
export function isIndexablePath(field: string): boolean {
  return field.split('.').every((segment) => segment !== '' && !/^\d+$/.test(segment));
}

/**
 * Marks "this field holds nothing an index can look up" in the second and later
 * fields of a compound index, so that a document still appears under its first
 * field (a query on a prefix of the index must find it). It is stored as an empty
 * BLOB, which SQLite orders after every number and string: no string or number
 * bound ever selects it.
 */
export const NO_KEY = null;
export type IndexSlot = IndexKey | typeof NO_KEY;

/** The keys one document has in one index: one tuple per combination of array elements. */
export interface DocumentKeys {
  tuples: IndexSlot[][];
  /** Per field: whether the document holds several keys there (the index is then "multikey" on it). */
  multikey: boolean[];
}

/**
 * Index keys of `doc` for an index on `fields`. Like MongoDB, every element of the
 * arrays met along a path is a key, so `{ tags: 'x' }` finds `{ tags: ['x', 'y'] }`;
 * values that are not strings or numbers are not keys (queries on them do not use
 * the index). A document without a key in the first field is not in the index at
 * all. An index only narrows candidates (the query still tests each document), so
 * holding more keys than MongoDB would is safe; holding fewer is not.
 */
export function documentKeys(doc: object, paths: readonly (readonly string[])[]): DocumentKeys {
  const single = singleKeys(doc, paths);
  if (single !== undefined) return { tuples: [single], multikey: noMultikey(paths.length) };
  const perField: IndexSlot[][] = [];
  const multikey: boolean[] = [];
  for (let i = 0; i < paths.length; i++) {
    const single = singleKey(doc, paths[i]);
    if (single !== undefined) {
      // The common case: a plain value on a path without arrays.
      multikey.push(false);
      perField.push([single]);
      continue;
    }
    const keys = new Set<IndexKey>();
    collectKeys(doc, paths[i], 0, keys);
    if (keys.size === 0 && i === 0) return { tuples: [], multikey: paths.map(() => false) };
    multikey.push(keys.size > 1);
    perField.push(keys.size === 0 ? [NO_KEY] : [...keys]);
  }
  if (perField.every((keys) => keys.length === 1)) return { tuples: [perField.map((keys) => keys[0])], multikey };
  let tuples: IndexSlot[][] = [[]];
  for (const keys of perField) tuples = tuples.flatMap((prefix) => keys.map((key) => [...prefix, key]));
  return { tuples, multikey };
}

/**
 * Whether both documents have one plain key in every field of the index, and the same
 * ones: then their entry stays as it is (the usual write, e.g. a day document's
 * `{ pool, day }`). Allocates nothing.
 */
export function sameSingleKeys(a: object, b: object, paths: readonly (readonly string[])[]): boolean {
  for (let i = 0; i < paths.length; i++) {
    const key = singleKey(a, paths[i]);
    if (key === undefined || key !== singleKey(b, paths[i])) return false;
  }
  return true;
}

/** The one tuple of a document with a plain value on every path (no arrays along them), else undefined. */
function singleKeys(doc: object, paths: readonly (readonly string[])[]): IndexSlot[] | undefined {
  let tuple: IndexSlot[] | undefined;
  for (let i = 0; i < paths.length; i++) {
    const key = singleKey(doc, paths[i]);
    if (key === undefined) return undefined;
    (tuple ??= []).push(key);
  }
  return tuple;
}

/** Shared, never written: read by callers only. */
const NO_MULTIKEY: readonly boolean[][] = Array.from({ length: 8 }, (_, n) => Object.freeze(Array.from({ length: n }, () => false)) as boolean[]);
const noMultikey = (fields: number): boolean[] => NO_MULTIKEY[fields] ?? Array.from({ length: fields }, () => false);

/** A string that tells tuples apart (strings from numbers included), to diff old and new keys. */
export function tupleId(tuple: readonly IndexSlot[]): string {
  return JSON.stringify(tuple);
}

/** The key at `path` when no array lies along it and it ends on a string or number; undefined otherwise (the caller walks it). */
function singleKey(doc: object, path: readonly string[]): IndexKey | undefined {
  let node: unknown = doc;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || node instanceof Date) return undefined;
    const record = node as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(record, part)) return undefined;
    node = record[part];
  }
  return isIndexKey(node) ? node : undefined;
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
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    const part = path[depth];
    if (Object.prototype.hasOwnProperty.call(record, part)) collectKeys(record[part], path, depth + 1, out);
  }
}
