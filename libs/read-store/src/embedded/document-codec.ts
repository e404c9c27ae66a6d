import type { StoredDoc } from './stored-doc';

/**
 * JSON for document bodies in SQLite. Plain JSON would turn a Date into a string
 * on reopen (MongoDB keeps it a Date), so Dates are tagged as `{ $date: iso }`.
 */
const DATE_TAG = '$date';

/**
 * Documents that may hold a Date: decoded from a body with a tag, or updated by
 * mingo (apply-update.ts; the fast path stores plain JSON values only). Every other
 * document the store holds was decoded from plain JSON or only ever updated through
 * the fast path, so its encoding skips the walk that looks for Dates (a tenth of a
 * commit's time on large documents). A set of the few, not of the many: a WeakSet of
 * every document would cost the GC more than the walk saves.
 */
const datedDocs = new WeakSet<object>();

/** Whoever may put a Date into a document the store holds marks it. */
export function markMayHoldDates(doc: StoredDoc): void {
  datedDocs.add(doc);
}

export function mayHoldDates(doc: StoredDoc): boolean {
  return datedDocs.has(doc);
}

/** The body of a document the store holds (decoded or committed by it: see datedDocs). */
export function encodeStoredDocument(doc: StoredDoc): string {
  return datedDocs.has(doc) ? encodeDocument(doc) : JSON.stringify(doc);
}

export function encodeDocument(doc: StoredDoc): string {
  // A replacer is called for every value (most of the encoding time on large documents); only documents with a Date need it.
  if (!containsDate(doc)) return JSON.stringify(doc);
  return JSON.stringify(doc, function replacer(this: Record<string, unknown>, key, value: unknown) {
    // `value` has already been through Date#toJSON; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? { [DATE_TAG]: original.toISOString() } : value;
  });
}

function containsDate(value: object): boolean {
  if (value instanceof Date) return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (typeof item === 'object' && item !== null && containsDate(item)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null && containsDate(item)) return true;
  }
  return false;
}

export function decodeDocument(body: string): StoredDoc {
  const doc = JSON.parse(body) as StoredDoc;
  // A reviver would visit every value of every document on load; only bodies with a tag need the walk.
  if (!body.includes(`"${DATE_TAG}"`)) return doc;
  datedDocs.add(doc);
  return reviveDates(doc) as StoredDoc;
}

function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === DATE_TAG && typeof record[DATE_TAG] === 'string') return new Date(record[DATE_TAG]);
  for (const key of keys) record[key] = reviveDates(record[key]);
  return record;
}
