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

export function tryFastUpdate(doc: Doc, modifier: Record<string, unknown>): boolean {
  const plan: (() => void)[] = [];
  const paths: string[] = [];
  for (const [op, spec] of Object.entries(modifier)) {
    if (!isPlainObject(spec)) return false;
    for (const [path, value] of Object.entries(spec)) {
      if (UNSUPPORTED_PATH.test(path) || path === '_id' || !isJsonValue(value)) return false;
      const parts = path.split('.');
      // Two operators on one path (or a path and its parent) is an error in MongoDB: let mingo report it.
      if (paths.some((other) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`))) return false;
      paths.push(path);
      const step = stepFor(op, doc, parts, value);
      if (!step) return false;
      plan.push(step);
    }
  }
  for (const step of plan) step();
  return true;
}

function stepFor(op: string, doc: Doc, parts: string[], value: unknown): (() => void) | null {
  const current = () => readPath(doc, parts);
  switch (op) {
    case '$set':
      return () => writePath(doc, parts, clone(value));
    case '$unset':
      return () => unsetPath(doc, parts);
    case '$inc':
      if (typeof value !== 'number' || !isNumberOrMissing(current())) return null;
      return () => writePath(doc, parts, ((current() as number | undefined) ?? 0) + value);
    case '$max':
    case '$min': {
      const existing = current();
      if (!isComparable(value) || !(existing === undefined || sameKind(existing, value))) return null;
      return () => {
        const now = current() as number | string | undefined;
        if (now === undefined || (op === '$max' ? value > now : value < now)) writePath(doc, parts, value);
      };
    }
    case '$push':
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) return null;
      if (!isArrayOrMissing(current())) return null;
      // In place: the document is the commit's own (a copy, or one no reader holds).
      return () => {
        const list = current() as unknown[] | undefined;
        if (list) list.push(clone(value));
        else writePath(doc, parts, [clone(value)]);
      };
    case '$addToSet':
      if (!isPrimitive(value) || !isArrayOrMissing(current())) return null;
      return () => {
        const list = current() as unknown[] | undefined;
        if (!list) writePath(doc, parts, [value]);
        else if (!list.includes(value)) list.push(value);
      };
    case '$pull':
      if (!isPrimitive(value) || !isArrayOrMissing(current())) return null;
      return () => {
        const list = current() as unknown[] | undefined;
        if (list)
          writePath(
            doc,
            parts,
            list.filter((item) => item !== value),
          );
      };
    default:
      return null;
  }
}

function readPath(doc: Record<string, unknown>, parts: string[]): unknown {
  let node: unknown = doc;
  for (const part of parts) {
    if (!isPlainObject(node)) return undefined;
    node = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
  }
  return node;
}

function writePath(doc: Record<string, unknown>, parts: string[], value: unknown): void {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function unsetPath(doc: Record<string, unknown>, parts: string[]): void {
  const parent = readPath(doc, parts.slice(0, -1));
  if (isPlainObject(parent)) delete parent[parts[parts.length - 1]];
}

/** Only what JSON can hold: dates and other objects go through mingo, which knows how to store them. */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isPlainObject(value) && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJsonValue);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isPrimitive = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isComparable = (v: unknown): v is number | string => typeof v === 'number' || typeof v === 'string';
const sameKind = (a: unknown, b: unknown) => typeof a === typeof b && isComparable(a);
const isNumberOrMissing = (v: unknown) => v === undefined || typeof v === 'number';
const isArrayOrMissing = (v: unknown) => v === undefined || Array.isArray(v);
const clone = <T>(value: T): T => (typeof value === 'object' && value !== null ? deepCopy(value) : value);
