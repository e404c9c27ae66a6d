import {
  MongoClient,
  MongoServerError,
  type Collection,
  type Db,
  type Filter as MongoFilter,
  type FindOptions as MongoFindOptions,
  type UpdateFilter,
} from 'mongodb';
import type { Doc, Filter, FindOptions, ReadStore, Update, WriteOp } from '../read-store.port';
import { fromPositionKey, POSITION_FIELD, toPositionKey } from '../position-key';
import { databaseNameFromUrl } from './mongo-url';

const DEFAULT_DATABASE = 'ses';
const CHECKPOINTS = '_checkpoints';
const DUPLICATE_KEY = 11000;
const HIDE_POSITION = { [POSITION_FIELD]: 0 };

interface CheckpointDoc {
  _id: string;
  position: string;
}

/**
 * Read store on MongoDB. Every write is guarded by position: it only touches
 * documents whose `_pos` (a zero-padded position key, see position-key.ts) is
 * missing or lower, and stamps them with its own. The checkpoint is written last,
 * so a crash in between re-applies the batch with no effect.
 */
export class MongoReadStore implements ReadStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects; the database is `dbName`, else the URL's path, else 'ses'. */
  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    const client = new MongoClient(url);
    await client.connect();
    return new MongoReadStore(client, client.db(dbName ?? databaseNameFromUrl(url) ?? DEFAULT_DATABASE));
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    const findOptions: MongoFindOptions = { projection: HIDE_POSITION };
    if (options.sort) findOptions.sort = options.sort;
    if (options.skip) findOptions.skip = options.skip;
    if (options.limit) findOptions.limit = options.limit;
    const docs = await this.collection(collection).find(asMongoFilter(filter), findOptions).toArray();
    return docs as T[];
  }

  async findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null> {
    const doc = await this.collection(collection).findOne(asMongoFilter(filter), { projection: HIDE_POSITION });
    return doc as T | null;
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    return this.collection(collection).countDocuments(asMongoFilter(filter));
  }

  async commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    for (const op of ops) await this.apply(op);
    await this.checkpoints().updateOne({ _id: projection }, { $set: { position: toPositionKey(position) } }, { upsert: true });
  }

  async checkpoint(projection: string): Promise<bigint | null> {
    const doc = await this.checkpoints().findOne({ _id: projection });
    return doc ? fromPositionKey(doc.position) : null;
  }

  async ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void> {
    await this.collection(collection).createIndex(fields);
  }

  async reset(collections: readonly string[], projections: readonly string[]): Promise<void> {
    for (const name of collections) await this.collection(name).deleteMany({});
    await this.checkpoints().deleteMany({ _id: { $in: [...projections] } });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async apply(op: WriteOp): Promise<void> {
    const key = toPositionKey(op.position);
    // Matches documents that have not seen this position: `_pos` missing or lower.
    const notYetApplied = { [POSITION_FIELD]: { $not: { $gte: key } } };
    const collection = this.collection(op.collection);
    switch (op.kind) {
      case 'upsert':
        try {
          await collection.updateOne({ _id: op.id, ...notYetApplied }, stamped(op.update, key), { upsert: true });
        } catch (error) {
          // The guard excluded an existing document, so the upsert tried to insert
          // its _id again: fine exactly when that document already saw this position.
          if (!(isDuplicateKey(error) && (await this.hasSeen(collection, op.id, key)))) throw error;
        }
        return;
      case 'update':
        await collection.updateMany({ $and: [asMongoFilter(op.filter), notYetApplied] }, stamped(op.update, key));
        return;
      case 'delete':
        await collection.deleteMany({ $and: [asMongoFilter(op.filter), notYetApplied] });
        return;
    }
  }

  private async hasSeen(collection: Collection<Doc>, id: string, key: string): Promise<boolean> {
    const seen = await collection.countDocuments({ _id: id, [POSITION_FIELD]: { $gte: key } }, { limit: 1 });
    return seen > 0;
  }

  private collection(name: string): Collection<Doc> {
    return this.db.collection<Doc>(name);
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }
}

/** The update plus `$set: { _pos: key }`, merged into any `$set` it already has. */
function stamped(update: Update, key: string): UpdateFilter<Doc> {
  const set = update.$set ?? {};
  if (set === null || typeof set !== 'object' || Array.isArray(set)) {
    throw new Error('$set must be an object');
  }
  return { ...update, $set: { ...set, [POSITION_FIELD]: key } } as UpdateFilter<Doc>;
}

// The port's filters are untyped MongoDB filters; the driver's types are per schema.
function asMongoFilter(filter: Filter): MongoFilter<Doc> {
  return filter as MongoFilter<Doc>;
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
