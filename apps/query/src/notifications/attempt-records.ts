import type { ReadStore, WriteOp } from '@ses/read-store';
import { SENDER_CHECKPOINT, type AttemptedDoc } from './notification-docs';

/**
 * Writes what attempts came to onto their records. The store guards every write by a
 * position (a document takes a write only at a position above every write it has seen):
 * a record is created at its event's position P with `rev` P, and each later write goes at
 * `rev + 1` and raises `rev`, so it always applies, and a replay of the creation after a
 * crash (at P) never resets a record that was attempted since. One attempt per record at a
 * time (delivery-lanes.ts), so writes of one record never race in this process.
 *
 * Writes that arrive in the same turn of the event loop (attempts of many lanes ending
 * together) go to the store in one commit: one transaction instead of one each.
 */
export class AttemptRecords {
  private queue: { op: WriteOp; done: (error?: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly store: ReadStore) {}

  write(collection: string, doc: AttemptedDoc, set: Record<string, unknown>, unset: readonly string[] = []): Promise<void> {
    const rev = BigInt(doc.rev) + 1n;
    const update: Record<string, unknown> = { $set: { ...set, rev: rev.toString() } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    return this.enqueue({ kind: 'update', collection, filter: { _id: doc._id }, update, position: rev });
  }

  /** A document only the senders write, once (e.g. a webhook's health): created if missing, left alone if present. */
  create(collection: string, id: string, set: Record<string, unknown>): Promise<void> {
    return this.enqueue({ kind: 'upsert', collection, id, update: { $set: set }, position: 1n });
  }

  private enqueue(op: WriteOp): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const position = batch.reduce((max, { op }) => (op.position > max ? op.position : max), 0n);
    try {
      await this.store.commit(
        SENDER_CHECKPOINT,
        position,
        batch.map(({ op }) => op),
      );
      for (const { done } of batch) done();
    } catch (error) {
      for (const { done } of batch) done(error);
    }
  }
}
