import type { Doc } from '../read-store.port';
import { deepCopy } from './deep-copy';

/**
 * The update operators projections use on every event ($set $unset $inc $max $min
 * $push $addToSet $pull with plain values), applied directly. mingo builds a fresh
 * operator context on every update() call, which made it the bottleneck of
 * projecting (thousands of events per second instead of tens of thousands). Anything
 * this cannot do exactly like MongoDB returns false, and the caller uses mingo.
 */
/**
 * An empty segment or a segment starting with `$`. A numeric segment is a key of an object
 * (MongoDB creates an object where the path is missing: `{ $max: { 'p.20': 1 } }` on `{}` gives
 * `{ p: { '20': 1 } }`) and a position in an array: the fast path takes it only where every
 * existing part of the path is a plain object (parentOf), so never as a position.
 */
const UNSUPPORTED_PATH = /(?:^|\.)(?:$|\.|\$)/;

/** Parsed update paths (projections use the same few thousand again and again): parts, or null for a path this cannot apply. */
const parsedPaths = new Map<string, readonly string[] | null>();
const MAX_PARSED_PATHS = 100_000;
/**
 * The operators, parts of the paths and values of one call, in arrays reused from call
 * to call and never shortened (setting an array's length to 0 drops its storage, which
 * the next call would allocate again): this runs for every write of every projection.
 */
const opsOfCall: string[] = [];
const pathsOfCall: (readonly string[])[] = [];
const valuesOfCall: unknown[] = [];
/** The object each path's last part is in, where the document has it already (else undefined): found once, read and written there. */
const parentsOfCall: (Record<string, unknown> | undefined)[] = [];

/**
 * Applies `modifier` to `doc` if every operator and path is one this handles, else
 * leaves `doc` as it was and returns false. With `skipSetOnInsert`, a `$setOnInsert`
 * in the modifier is ignored (the caller applied it, or it does not apply).
 */
export function tryFastUpdate(doc: Doc, modifier: Record<string, unknown>, skipSetOnInsert = false): boolean {
  // Checked first, all against the document as it is, then applied: no path here conflicts with another, so order does not matter.
  // (No closures, entries arrays or per-call arrays, and the modifier walked once.)
  let count = 0;
  try {
    for (const op in modifier) {
      if (skipSetOnInsert && op === '$setOnInsert') continue;
      const spec = modifier[op];
      if (!isPlainObject(spec)) return false;
      for (const path in spec) {
        const value = spec[path];
        const parts = parsePath(path);
        if (parts === null || !isJsonValue(value)) return false;
        const found = parentOf(doc, parts);
        if (found === BLOCKED) return false;
        const parent = found === MISSING ? undefined : found;
        if (!supported(op, parent && leafOf(parent, parts), value)) return false;
        opsOfCall[count] = op;
        pathsOfCall[count] = parts;
        valuesOfCall[count] = value;
        parentsOfCall[count] = parent;
        count++;
      }
    }
    // Two operators on one path (or a path and its parent) is an error in MongoDB: let mingo report it.
    if (count > 1 && conflicting(pathsOfCall, count)) return false;
    for (let i = 0; i < count; i++) apply(opsOfCall[i], doc, pathsOfCall[i], valuesOfCall[i], parentsOfCall[i]);
    return true;
  } finally {
    // The values and documents are the caller's: not kept alive here.
    for (let i = 0; i < count; i++) {
      valuesOfCall[i] = undefined;
      parentsOfCall[i] = undefined;
    }
  }
}

function parsePath(path: string): readonly string[] | null {
  let parts = parsedPaths.get(path);
  if (parts === undefined) {
    parts = path === '_id' || UNSUPPORTED_PATH.test(path) ? null : splitPath(path);
    if (parsedPaths.size >= MAX_PARSED_PATHS) parsedPaths.clear();
    parsedPaths.set(path, parts);
  }
  return parts;
}

/** `path.split('.')`, 2 to 3 times faster on the concatenated strings projections build (measured). */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', start)) {
    parts.push(path.slice(start, dot));
    start = dot + 1;
  }
  parts.push(path.slice(start));
  return parts;
}

/** Whether two paths are equal or one is the parent of the other (compared by parts: no strings built). */
function conflicting(paths: readonly (readonly string[])[], count: number): boolean {
  for (let i = 1; i < count; i++) {
    for (let j = 0; j < i; j++) {
      // Most pairs differ at the first field (history's $set names eight).
      if (paths[i][0] !== paths[j][0]) continue;
      if (startsWith(paths[i], paths[j]) || startsWith(paths[j], paths[i])) return true;
    }
  }
  return false;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let k = 0; k < prefix.length; k++) if (path[k] !== prefix[k]) return false;
  return true;
}

/** Whether the fast path does `op` exactly as MongoDB would, given the value now at the path (`current`). */
function supported(op: string, current: unknown, value: unknown): boolean {
  switch (op) {
    case '$set':
    case '$unset':
      return true;
    case '$inc':
      return typeof value === 'number' && isNumberOrMissing(current);
    case '$max':
    case '$min':
      return isComparable(value) && (current === undefined || sameKind(current, value));
    case '$push':
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) return false;
      return isArrayOrMissing(current);
    case '$addToSet':
    case '$pull':
      return isPrimitive(value) && isArrayOrMissing(current);
    default:
      return false;
  }
}

/**
 * One operator on one path, already checked by supported(); `parent`: where the path's
 * last part is, if the document had it when checked (no other path of the call can have
 * replaced it: they would conflict). Arrays are edited in place: the document is the
 * commit's own (a copy, or one no reader holds).
 */
function apply(op: string, doc: Doc, parts: readonly string[], value: unknown, parent: Record<string, unknown> | undefined): void {
  const now = parent && leafOf(parent, parts);
  switch (op) {
    case '$set':
      return put(doc, parent, parts, clone(value));
    case '$unset':
      if (parent) delete parent[parts[parts.length - 1]];
      return;
    case '$inc':
      return put(doc, parent, parts, ((now as number | undefined) ?? 0) + (value as number));
    case '$max':
    case '$min': {
      const candidate = value as number | string;
      if (now === undefined || (op === '$max' ? candidate > (now as number | string) : candidate < (now as number | string)))
        put(doc, parent, parts, candidate);
      return;
    }
    case '$push': {
      const list = now as unknown[] | undefined;
      if (list) list.push(clone(value));
      else put(doc, parent, parts, [clone(value)]);
      return;
    }
    case '$addToSet': {
      const list = now as unknown[] | undefined;
      if (!list) put(doc, parent, parts, [value]);
      else addToSet(list, value);
      return;
    }
    case '$pull': {
      const list = now as unknown[] | undefined;
      if (list)
        put(
          doc,
          parent,
          parts,
          list.filter((item) => item !== value),
        );
      return;
    }
  }
}

/** A part before the last is missing, every one before it a plain object: writePath creates the rest. */
const MISSING = Symbol('missing');
/** An array (a numeric part would be a position) or a scalar (an error in MongoDB) stands in the way: mingo decides. */
const BLOCKED = Symbol('blocked');

/** The object that holds the path's last part when every part before it names a plain object of `doc`; else why not, in one walk. */
function parentOf(doc: Record<string, unknown>, parts: readonly string[]): Record<string, unknown> | typeof MISSING | typeof BLOCKED {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = Object.prototype.hasOwnProperty.call(node, parts[i]) ? node[parts[i]] : undefined;
    if (next === undefined) return MISSING;
    if (!isPlainObject(next)) return BLOCKED;
    node = next;
  }
  return node;
}

function leafOf(parent: Record<string, unknown>, parts: readonly string[]): unknown {
  const leaf = parts[parts.length - 1];
  return Object.prototype.hasOwnProperty.call(parent, leaf) ? parent[leaf] : undefined;
}

/** Writes the value at the path: into `parent` when known, else creating the objects along it. */
function put(doc: Record<string, unknown>, parent: Record<string, unknown> | undefined, parts: readonly string[], value: unknown): void {
  if (parent) parent[parts[parts.length - 1]] = value;
  else writePath(doc, parts, value);
}

/** Arrays this long or longer get a Set of their values for $addToSet (a scan per add grew with the array: a day's users). */
const SET_FROM_LENGTH = 32;
/** Sets of the long arrays $addToSet met last (a few: the documents a batch touches), with the length each was built at. */
const arraySets = new Map<unknown[], { values: Set<unknown>; length: number }>();
const MAX_ARRAY_SETS = 256;

/**
 * Appends `value` unless the array holds it. A Set kept beside a long array is trusted
 * only while the array has the length it had when the Set last saw it (a $push since, or
 * anything else that appends, rebuilds it) and until mingo next updates a document
 * (forgetArraySets: it may rewrite elements in place).
 */
function addToSet(list: unknown[], value: unknown): void {
  if (list.length < SET_FROM_LENGTH) {
    if (!list.includes(value)) list.push(value);
    return;
  }
  let known = arraySets.get(list);
  if (known === undefined || known.length !== list.length) {
    if (known === undefined && arraySets.size >= MAX_ARRAY_SETS) arraySets.delete(arraySets.keys().next().value as unknown[]);
    known = { values: new Set(list), length: list.length };
    arraySets.set(list, known);
  }
  if (known.values.has(value)) return;
  list.push(value);
  known.values.add(value);
  known.length = list.length;
}

/** Called before mingo updates a document: it may change array elements in place, which the Sets would not see. */
export function forgetArraySets(): void {
  arraySets.clear();
}

function writePath(doc: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Only what JSON can hold: dates and other objects go through mingo, which knows how to store them. */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!isJsonValue(item)) return false;
    return true;
  }
  if (!isPlainObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!isJsonValue(value[key])) return false;
  return true;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isPrimitive = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isComparable = (v: unknown): v is number | string => typeof v === 'number' || typeof v === 'string';
const sameKind = (a: unknown, b: unknown) => typeof a === typeof b && isComparable(a);
const isNumberOrMissing = (v: unknown) => v === undefined || typeof v === 'number';
const isArrayOrMissing = (v: unknown) => v === undefined || Array.isArray(v);
const clone = <T>(value: T): T => (typeof value === 'object' && value !== null ? deepCopy(value) : value);
