import { update as mingoUpdate } from 'mingo';
import type { Doc, Update } from '../read-store.port';
import { tryFastUpdate } from './fast-update';

type Modifier = Parameters<typeof mingoUpdate>[1];

/**
 * Applies MongoDB update operators to `doc` in place, with mingo. mingo knows no
 * upsert, so `$setOnInsert` is handled here: applied (as a `$set`) only when the
 * document is being created, ignored otherwise, as MongoDB does.
 */
export function applyUpdate(doc: Doc, update: Update, inserting: boolean): void {
  const id = doc._id;
  const { $setOnInsert, ...operators } = update;
  if (inserting && $setOnInsert !== undefined) apply(doc, { $set: $setOnInsert });
  if (Object.keys(operators).length > 0) apply(doc, operators);
  if (doc._id !== id) throw new Error(`An update must not change the immutable field _id (${id})`);
}

function apply(doc: Doc, modifier: Update): void {
  if (tryFastUpdate(doc, modifier)) return;
  // 'deep' so the stored document never shares objects with the caller's update.
  mingoUpdate(doc, modifier as Modifier, undefined, undefined, { cloneMode: 'deep' });
}
