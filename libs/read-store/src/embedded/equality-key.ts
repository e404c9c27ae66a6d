import type { Filter } from '../read-store.port';
import { isIndexKey, type IndexKey } from './hash-index';

/**
 * The value a filter requires `field` to equal, when it is a plain top-level
 * equality (`{ f: v }` or `{ f: { $eq: v } }`) on a string or number; otherwise
 * undefined (the caller must then scan).
 */
export function equalityKey(filter: Filter, field: string): IndexKey | undefined {
  if (!Object.prototype.hasOwnProperty.call(filter, field)) return undefined;
  const condition = filter[field];
  if (isIndexKey(condition)) return condition;
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length === 1 && keys[0] === '$eq' && isIndexKey(condition.$eq)) return condition.$eq;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}
