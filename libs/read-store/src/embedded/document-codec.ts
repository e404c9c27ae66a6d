import type { StoredDoc } from './stored-doc';

/**
 * JSON for document bodies in SQLite. Plain JSON would turn a Date into a string
 * on reopen (MongoDB keeps it a Date), so Dates are tagged as `{ $date: iso }`.
 */
const DATE_TAG = '$date';

/**
 * Documents known to hold plain JSON values only (no Date): decoded from a body
 * without a tag, or created and updated through the fast path only (fast-update.ts
 * stores nothing else). Their encoding skips the walk that looks for Dates (a tenth
 * of a commit's time on large documents). Whoever may put a Date into one unmarks it.
 */
const plainDocs = new WeakSet<object>();

export function markPlain(doc: StoredDoc): void {
  plainDocs.add(doc);
}

export function unmarkPlain(doc: StoredDoc): void {
  plainDocs.delete(doc);
}

export function isMarkedPlain(doc: StoredDoc): boolean {
  return plainDocs.has(doc);
}

export function encodeDocument(doc: StoredDoc): string {
  // A replacer is called for every value (most of the encoding time on large documents); only documents with a Date need it.
  if (plainDocs.has(doc) || !containsDate(doc)) return JSON.stringify(doc);
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
  if (body.includes(`"${DATE_TAG}"`)) return reviveDates(doc) as StoredDoc;
  plainDocs.add(doc);
  return doc;
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
