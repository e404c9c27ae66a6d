import type { Doc } from '../read-store.port';
import { deepCopy } from './deep-copy';

/**
 * The update operators projections use on every event ($set $unset $inc $max $min
 * $push $addToSet $pull with plain values), applied directly. mingo builds a fresh
 * operator context on every update() call, which made it the bottleneck of
 * projecting (thousands of events per second instead of tens of thousands). Anything
 * this cannot do exactly like MongoDB returns false, and the caller uses mingo.
 */
/** An empty segment, a segment starting with `$`, or a numeric segment (positional in MongoDB). */
const UNSUPPORTED_PATH = /(?:^|\.)(?:$|\.|\$|\d+(?:\.|$))/;

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
        if (!supported(op, doc, parts, value)) return false;
        opsOfCall[count] = op;
        pathsOfCall[count] = parts;
        valuesOfCall[count] = value;
        count++;
      }
    }
    // Two operators on one path (or a path and its parent) is an error in MongoDB: let mingo report it.
    if (count > 1 && conflicting(pathsOfCall, count)) return false;
    for (let i = 0; i < count; i++) apply(opsOfCall[i], doc, pathsOfCall[i], valuesOfCall[i]);
    return true;
  } finally {
    // The values are the caller's: not kept alive here.
    for (let i = 0; i < count; i++) valuesOfCall[i] = undefined;
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

function supported(op: string, doc: Doc, parts: readonly string[], value: unknown): boolean {
  switch (op) {
    case '$set':
    case '$unset':
      return true;
    case '$inc':
      return typeof value === 'number' && isNumberOrMissing(readPath(doc, parts));
    case '$max':
    case '$min': {
      const existing = readPath(doc, parts);
      return isComparable(value) && (existing === undefined || sameKind(existing, value));
    }
    case '$push':
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) return false;
      return isArrayOrMissing(readPath(doc, parts));
    case '$addToSet':
    case '$pull':
      return isPrimitive(value) && isArrayOrMissing(readPath(doc, parts));
    default:
      return false;
  }
}

/** One operator on one path, already checked by supported(). Arrays are edited in place: the document is the commit's own (a copy, or one no reader holds). */
function apply(op: string, doc: Doc, parts: readonly string[], value: unknown): void {
  switch (op) {
    case '$set':
      return writePath(doc, parts, clone(value));
    case '$unset':
      return unsetPath(doc, parts);
    case '$inc':
      return writePath(doc, parts, ((readPath(doc, parts) as number | undefined) ?? 0) + (value as number));
    case '$max':
    case '$min': {
      const now = readPath(doc, parts) as number | string | undefined;
      const candidate = value as number | string;
      if (now === undefined || (op === '$max' ? candidate > now : candidate < now)) writePath(doc, parts, candidate);
      return;
    }
    case '$push': {
      const list = readPath(doc, parts) as unknown[] | undefined;
      if (list) list.push(clone(value));
      else writePath(doc, parts, [clone(value)]);
      return;
    }
    case '$addToSet': {
      const list = readPath(doc, parts) as unknown[] | undefined;
      if (!list) writePath(doc, parts, [value]);
      else addToSet(list, value);
      return;
    }
    case '$pull': {
      const list = readPath(doc, parts) as unknown[] | undefined;
      if (list)
        writePath(
          doc,
          parts,
          list.filter((item) => item !== value),
        );
      return;
    }
  }
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

function readPath(doc: Record<string, unknown>, parts: readonly string[]): unknown {
  let node: unknown = doc;
  for (const part of parts) {
    if (!isPlainObject(node)) return undefined;
    node = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
  }
  return node;
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

function unsetPath(doc: Record<string, unknown>, parts: readonly string[]): void {
  const parent = readPath(doc, parts.slice(0, -1));
  if (isPlainObject(parent)) delete parent[parts[parts.length - 1]];
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
