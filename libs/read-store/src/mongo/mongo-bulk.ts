import { MongoBulkWriteError, type AnyBulkWriteOperation, type Filter as MongoFilter, type UpdateFilter } from 'mongodb';
import { POSITION_FIELD, toPositionKey } from '../position-key';
import type { Doc, Filter, Update, WriteOp } from '../read-store.port';

const DUPLICATE_KEY = 11000;

/** What applyBulk needs of a driver collection (a Collection<Doc> has it). */
export interface BulkTarget {
  bulkWrite(operations: AnyBulkWriteOperation<Doc>[], options: { ordered: true }): Promise<unknown>;
}

/**
 * A commit's writes as one ordered list of bulk operations per collection (collections do
 * not depend on each other; within one, order is kept). Each operation keeps its own
 * position guard: it only touches documents whose `_pos` is missing or lower, and stamps
 * its own, so re-applying a batch (after a crash, or by a second query app) changes nothing.
 */
export function toBulkOperations(ops: readonly WriteOp[]): Map<string, AnyBulkWriteOperation<Doc>[]> {
  const byCollection = new Map<string, AnyBulkWriteOperation<Doc>[]>();
  for (const op of ops) {
    const key = toPositionKey(op.position);
    // Matches documents that have not seen this position: `_pos` missing or lower.
    const notYetApplied = { [POSITION_FIELD]: { $not: { $gte: key } } };
    let operation: AnyBulkWriteOperation<Doc>;
    switch (op.kind) {
      case 'upsert':
        operation = { updateOne: { filter: { _id: op.id, ...notYetApplied }, update: stamped(op.update, key), upsert: true } };
        break;
      case 'update':
        operation = { updateMany: { filter: { $and: [asMongoFilter(op.filter), notYetApplied] }, update: stamped(op.update, key) } };
        break;
      case 'delete':
        operation = { deleteMany: { filter: { $and: [asMongoFilter(op.filter), notYetApplied] } } };
        break;
    }
    const list = byCollection.get(op.collection) ?? [];
    list.push(operation);
    byCollection.set(op.collection, list);
  }
  return byCollection;
}

/**
 * Runs `operations` as ordered bulk writes: one round trip unless an upsert meets a
 * document that already saw a later position (its guard excludes the document, so the
 * server tries to insert the _id again: duplicate key). That is fine exactly when the
 * document has seen the position (`hasSeen`); the rest is then sent on from the next
 * operation. Any other error, or a duplicate that is not explained, is thrown.
 */
export async function applyBulk(
  target: BulkTarget,
  operations: readonly AnyBulkWriteOperation<Doc>[],
  hasSeen: (id: string, key: string) => Promise<boolean>,
): Promise<void> {
  let rest = operations;
  while (rest.length > 0) {
    try {
      await target.bulkWrite([...rest], { ordered: true });
      return;
    } catch (error) {
      const failed = duplicateUpsertAt(error, rest);
      if (!failed || !(await hasSeen(failed.id, failed.key))) throw error;
      rest = rest.slice(failed.index + 1);
    }
  }
}

function duplicateUpsertAt(error: unknown, operations: readonly AnyBulkWriteOperation<Doc>[]): { index: number; id: string; key: string } | undefined {
  if (!(error instanceof MongoBulkWriteError)) return undefined;
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  // Ordered: the server stops at the first failed operation, so there is one.
  if (errors.length !== 1 || errors[0]!.code !== DUPLICATE_KEY) return undefined;
  const index = errors[0]!.index;
  const operation = operations[index];
  if (!operation || !('updateOne' in operation) || !operation.updateOne.upsert) return undefined;
  const filter = operation.updateOne.filter as { _id: string; [POSITION_FIELD]: { $not: { $gte: string } } };
  return { index, id: filter._id, key: filter[POSITION_FIELD].$not.$gte };
}

/** The update plus `$set: { _pos: key }`, merged into any `$set` it already has. */
export function stamped(update: Update, key: string): UpdateFilter<Doc> {
  const set = update.$set ?? {};
  if (set === null || typeof set !== 'object' || Array.isArray(set)) {
    throw new Error('$set must be an object');
  }
  return { ...update, $set: { ...set, [POSITION_FIELD]: key } } as UpdateFilter<Doc>;
}

// The port's filters are untyped MongoDB filters; the driver's types are per schema.
export function asMongoFilter(filter: Filter): MongoFilter<Doc> {
  return filter as MongoFilter<Doc>;
}
