import { MongoBulkWriteError, type AnyBulkWriteOperation } from 'mongodb';
import type { Doc, WriteOp } from '../read-store.port';
import { applyBulk, toBulkOperations } from './mongo-bulk';

const key = (position: bigint) => position.toString().padStart(20, '0');
const guard = (position: bigint) => ({ _pos: { $not: { $gte: key(position) } } });

/** The error the driver throws when an ordered bulk write stops at operation `index` (lib/bulk/common.js builds it from the server's reply). */
function stoppedAt(index: number, code: number): MongoBulkWriteError {
  return new MongoBulkWriteError({ message: 'E11000 duplicate key error', code, writeErrors: [{ index, code, errmsg: 'E11000' }] } as never, {} as never);
}

describe('MongoDB commits as ordered bulk writes', () => {
  it('groups a batch by collection, keeps the order within each, and guards every operation by its position', () => {
    const ops: WriteOp[] = [
      { kind: 'upsert', collection: 'a', id: 'x', update: { $inc: { n: 1 } }, position: 5n },
      { kind: 'update', collection: 'b', filter: { status: 'ACTIVE' }, update: { $set: { seen: true } }, position: 5n },
      { kind: 'upsert', collection: 'a', id: 'y', update: { $set: { v: 1 } }, position: 6n },
      { kind: 'delete', collection: 'a', filter: { _id: 'x' }, position: 7n },
    ];
    const bulk = toBulkOperations(ops);
    expect([...bulk.keys()]).toEqual(['a', 'b']);
    expect(bulk.get('a')).toEqual([
      { updateOne: { filter: { _id: 'x', ...guard(5n) }, update: { $inc: { n: 1 }, $set: { _pos: key(5n) } }, upsert: true } },
      { updateOne: { filter: { _id: 'y', ...guard(6n) }, update: { $set: { v: 1, _pos: key(6n) } }, upsert: true } },
      { deleteMany: { filter: { $and: [{ _id: 'x' }, guard(7n)] } } },
    ]);
    expect(bulk.get('b')).toEqual([{ updateMany: { filter: { $and: [{ status: 'ACTIVE' }, guard(5n)] }, update: { $set: { seen: true, _pos: key(5n) } } } }]);
  });

  it('sends one ordered bulk write, and after an upsert that met a newer document goes on with the operations after it', async () => {
    const ops = toBulkOperations([
      { kind: 'upsert', collection: 'a', id: 'x', update: { $inc: { n: 1 } }, position: 5n },
      { kind: 'upsert', collection: 'a', id: 'y', update: { $inc: { n: 1 } }, position: 5n },
      { kind: 'upsert', collection: 'a', id: 'z', update: { $inc: { n: 1 } }, position: 5n },
    ]).get('a')!;
    const sent: AnyBulkWriteOperation<Doc>[][] = [];
    const target = {
      bulkWrite: async (operations: AnyBulkWriteOperation<Doc>[], options: { ordered: true }) => {
        expect(options).toEqual({ ordered: true });
        sent.push(operations);
        if (sent.length === 1) throw stoppedAt(1, 11000);
      },
    };
    const asked: string[] = [];
    await applyBulk(target, ops, async (id, position) => (asked.push(`${id}@${position}`), true));
    expect(sent.map((operations) => operations.length)).toEqual([3, 1]);
    expect(sent[1]![0]).toBe(ops[2]);
    expect(asked).toEqual([`y@${key(5n)}`]);
  });

  it('throws a duplicate the document does not explain, and any other write error', async () => {
    const ops = toBulkOperations([{ kind: 'upsert', collection: 'a', id: 'x', update: { $inc: { n: 1 } }, position: 5n }]).get('a')!;
    const failing = (error: Error) => ({
      bulkWrite: async () => {
        throw error;
      },
    });
    await expect(applyBulk(failing(stoppedAt(0, 11000)), ops, async () => false)).rejects.toBeInstanceOf(MongoBulkWriteError);
    await expect(applyBulk(failing(stoppedAt(0, 121)), ops, async () => true)).rejects.toMatchObject({ code: 121 });
    await expect(applyBulk(failing(new Error('connection reset')), ops, async () => true)).rejects.toThrow('connection reset');
  });
});
