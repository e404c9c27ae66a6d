import type { StoredDoc } from './stored-doc';

/**
 * JSON for document bodies in SQLite. Plain JSON would turn a Date into a string
 * on reopen (MongoDB keeps it a Date), so Dates are tagged as `{ $date: iso }`.
 */
const DATE_TAG = '$date';

export function encodeDocument(doc: StoredDoc): string {
  return JSON.stringify(doc, function replacer(this: Record<string, unknown>, key, value: unknown) {
    // `value` has already been through Date#toJSON; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? { [DATE_TAG]: original.toISOString() } : value;
  });
}

export function decodeDocument(body: string): StoredDoc {
  return JSON.parse(body, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const tagged = (value as Record<string, unknown>)[DATE_TAG];
      if (keys.length === 1 && typeof tagged === 'string') return new Date(tagged);
    }
    return value;
  }) as StoredDoc;
}
