import type { Filter } from '../read-store.port';
import { isIndexKey, type IndexKey } from './index-keys';

/** An index as the planner sees it. */
export interface PlannableIndex {
  fields: readonly string[];
  /** Per field: some document held several keys there (both bounds of a range cannot then be applied together). */
  multikey: readonly boolean[];
}

export interface Bound {
  value: IndexKey;
  inclusive: boolean;
}

/** A range of one type: MongoDB compares strings with strings and numbers with numbers only. */
export interface Range {
  type: 'string' | 'number';
  lower?: Bound;
  upper?: Bound;
}

/**
 * How to find the candidates of a filter. Every plan yields a superset of the
 * matching documents; the query still tests each candidate, so a plan can never
 * change an answer, only its cost.
 *  - ids: the filter names the `_id`s (equality or `$in` of strings).
 *  - index: `prefixes` are the values of the index's first fields (one tuple per
 *    combination of `$in` values), then optionally a range on the next field, or,
 *    when every field is bound, a range on `_id` (index entries end with the id).
 *  - scan: every document of the collection, optionally only an `_id` range.
 * `byId`: the candidates come in `_id` order (one prefix, nothing between it and
 * the id), so a find sorted by `_id` with a limit can stop early.
 */
export type Plan<I extends PlannableIndex = PlannableIndex> =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'index'; index: I; prefixes: IndexKey[][]; range?: Range; idRange?: Range; byId: boolean }
  | { kind: 'scan'; idRange?: Range; byId: true };

/** Combinations of `$in` values tried at most in one plan; beyond, fewer fields narrow the lookup. */
const MAX_PREFIXES = 1000;

interface Condition {
  /** Equality with one of these (one value for `f: v` / `$eq`, several for `$in`). */
  values?: IndexKey[];
  range?: Range;
}

export function planQuery<I extends PlannableIndex>(filter: Filter, indexes: readonly I[]): Plan<I> {
  const id = conditionOf(filter, '_id');
  if (id?.values && id.values.every((value) => typeof value === 'string')) return { kind: 'ids', ids: [...new Set(id.values as string[])] };
  const idRange = id?.range?.type === 'string' ? id.range : undefined;

  let best: { plan: Plan<I>; score: number } | undefined;
  for (const index of indexes) {
    const prefixes: IndexKey[][] = [[]];
    let current = prefixes;
    let range: Range | undefined;
    let bound = 0;
    for (const [i, field] of index.fields.entries()) {
      const condition = conditionOf(filter, field);
      if (condition?.values && current.length * condition.values.length <= MAX_PREFIXES) {
        current = current.flatMap((prefix) => condition.values!.map((value) => [...prefix, value]));
        bound++;
        continue;
      }
      if (condition?.range) range = usableRange(condition.range, index.multikey[i]);
      break;
    }
    if (bound === 0 && !range) continue;
    const allBound = bound === index.fields.length;
    const useIdRange = allBound && idRange !== undefined;
    const score = bound * 4 + (range ? 2 : 0) + (useIdRange ? 1 : 0) - (current.length > 1 ? 1 : 0);
    if (!best || score > best.score) {
      best = {
        score,
        plan: {
          kind: 'index',
          index,
          prefixes: current,
          ...(range ? { range } : {}),
          ...(useIdRange ? { idRange } : {}),
          byId: allBound && current.length === 1,
        },
      };
    }
  }
  if (best) return best.plan;
  return idRange ? { kind: 'scan', idRange, byId: true } : { kind: 'scan', byId: true };
}

/**
 * The equality or range a filter puts on a top-level field, when the index can serve
 * it. Other top-level operators (`$or`, `$nor`...) are ANDed with the fields, so
 * narrowing by a field alone still yields a superset.
 */
function conditionOf(filter: Filter, field: string): Condition | undefined {
  if (!Object.prototype.hasOwnProperty.call(filter, field)) return undefined;
  const value = filter[field];
  if (isIndexKey(value)) return { values: [value] };
  if (!isPlainObject(value)) return undefined;
  const operators = Object.keys(value);
  if (operators.length === 0 || !operators.every((op) => op.startsWith('$'))) return undefined;
  if (isIndexKey(value.$eq)) return { values: [value.$eq] };
  if (Array.isArray(value.$in) && value.$in.every(isIndexKey)) return { values: [...new Set(value.$in as IndexKey[])] };
  let range: Range | undefined;
  for (const [op, inclusive, side] of [
    ['$gt', false, 'lower'],
    ['$gte', true, 'lower'],
    ['$lt', false, 'upper'],
    ['$lte', true, 'upper'],
  ] as const) {
    const bound = value[op];
    if (!isIndexKey(bound)) continue;
    const type = typeof bound === 'string' ? 'string' : 'number';
    // Bounds of two types match nothing in MongoDB; keeping those of one type is a superset.
    if (range && range.type !== type) continue;
    range ??= { type };
    const existing = range[side];
    // Two bounds on one side (`$gt` and `$gte`) must both hold: keeping the first is a superset.
    if (!existing) range[side] = { value: bound, inclusive };
  }
  return range ? { range } : undefined;
}

/** On a multikey field `{ $gt: 5, $lt: 6 }` matches `[1, 7]` (each bound by another element): use one bound only. */
function usableRange(range: Range, multikey: boolean | undefined): Range {
  if (!multikey || !range.lower || !range.upper) return range;
  return { type: range.type, lower: range.lower };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}
