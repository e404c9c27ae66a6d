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
/** The parts of the paths of one call, reused from call to call (this runs for every write of every projection). */
const pathsOfCall: (readonly string[])[] = [];

/**
 * Applies `modifier` to `doc` if every operator and path is one this handles, else
 * leaves `doc` as it was and returns false. With `skipSetOnInsert`, a `$setOnInsert`
 * in the modifier is ignored (the caller applied it, or it does not apply).
 */
export function tryFastUpdate(doc: Doc, modifier: Record<string, unknown>, skipSetOnInsert = false): boolean {
  // Checked first, all against the document as it is, then applied: no path here conflicts with another, so order does not matter.
  // (No closures, entries arrays or per-call arrays: this runs for every write of every projection.)
  pathsOfCall.length = 0;
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
        pathsOfCall.push(parts);
      }
    }
    // Two operators on one path (or a path and its parent) is an error in MongoDB: let mingo report it.
    if (pathsOfCall.length > 1 && conflicting(pathsOfCall)) return false;
    let i = 0;
    for (const op in modifier) {
      if (skipSetOnInsert && op === '$setOnInsert') continue;
      const spec = modifier[op] as Record<string, unknown>;
      for (const path in spec) apply(op, doc, pathsOfCall[i++], spec[path]);
    }
    return true;
  } finally {
    pathsOfCall.length = 0;
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
function conflicting(paths: readonly (readonly string[])[]): boolean {
  for (let i = 1; i < paths.length; i++) {
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
      else if (!list.includes(value)) list.push(value);
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
