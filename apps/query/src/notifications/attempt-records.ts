import type { ReadStore } from '@ses/read-store';
import { SENDER_CHECKPOINT, type AttemptedDoc } from './notification-docs';

/**
 * Writes what an attempt came to onto its record. The store guards every write by a
 * position (a document takes a write only at a position above every write it has seen):
 * a record is created at its event's position P with `rev` P, and each later write goes at
 * `rev + 1` and raises `rev`, so it always applies, and a replay of the creation after a
 * crash (at P) never resets a record that was attempted since. One attempt per record at a
 * time (delivery-lanes.ts), so writes of one record never race in this process.
 */
export async function recordAttempt(
  store: ReadStore,
  collection: string,
  doc: AttemptedDoc,
  set: Record<string, unknown>,
  unset: readonly string[] = [],
): Promise<void> {
  const rev = BigInt(doc.rev) + 1n;
  const update: Record<string, unknown> = { $set: { ...set, rev: rev.toString() } };
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
  await store.commit(SENDER_CHECKPOINT, rev, [{ kind: 'update', collection, filter: { _id: doc._id }, update, position: rev }]);
}
