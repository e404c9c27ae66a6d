import { update as mingoUpdate } from 'mingo';
import type { Doc, Update } from '../read-store.port';
import { forgetArraySets, tryFastUpdate } from './fast-update';

type Modifier = Parameters<typeof mingoUpdate>[1];

/**
 * Applies MongoDB update operators to `doc` in place, with mingo. mingo knows no
 * upsert, so `$setOnInsert` is handled here: applied (as a `$set`) only when the
 * document is being created, ignored otherwise, as MongoDB does. Returns false when
 * mingo applied part of it (the document may then hold values JSON cannot, Dates),
 * true when every operator took the fast path (plain JSON values only).
 */
export function applyUpdate(doc: Doc, update: Update, inserting: boolean): boolean {
  const id = doc._id;
  let plain = true;
  const setOnInsert = update.$setOnInsert;
  if (inserting && setOnInsert !== undefined) plain = apply(doc, { $set: setOnInsert }, false);
  // The fast path skips $setOnInsert itself; only mingo needs the update without it.
  if (!tryFastUpdate(doc, update, true)) {
    const { $setOnInsert: _skipped, ...operators } = update;
    if (Object.keys(operators).length > 0) plain = apply(doc, operators, true) && plain;
  }
  if (doc._id !== id) throw new Error(`An update must not change the immutable field _id (${id})`);
  return plain;
}

/** `fastTried`: tryFastUpdate already declined this modifier. */
function apply(doc: Doc, modifier: Update, fastTried: boolean): boolean {
  if (!fastTried && tryFastUpdate(doc, modifier)) return true;
  forgetArraySets();
  // 'deep' so the stored document never shares objects with the caller's update.
  mingoUpdate(doc, modifier as Modifier, undefined, undefined, { cloneMode: 'deep' });
  return false;
}
