import { MongoClient, MongoServerError, type Collection, type Db, type FindOptions as MongoFindOptions } from 'mongodb';
import type { Doc, Filter, FindOptions, ReadStore, WriteOp } from '../read-store.port';
import { fromPositionKey, POSITION_FIELD, toPositionKey } from '../position-key';
import { applyBulk, asMongoFilter, toBulkOperations } from './mongo-bulk';
import { databaseNameFromUrl } from './mongo-url';

const DEFAULT_DATABASE = 'ses';
const CHECKPOINTS = '_checkpoints';
const DUPLICATE_KEY = 11000;
const HIDE_POSITION = { [POSITION_FIELD]: 0 };

const LEASES = '_leases';

interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

interface CheckpointDoc {
  _id: string;
  position: string;
}

/**
 * Read store on MongoDB. Every write is guarded by position: it only touches
 * documents whose `_pos` (a zero-padded position key, see position-key.ts) is
 * missing or lower, and stamps them with its own. The checkpoint is written last,
 * so a crash in between re-applies the batch with no effect. Writes go as ordered
 * bulk writes (mongo-bulk.ts); several query apps take turns through a lease.
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

  /**
   * One ordered bulk write per collection the batch touches (not a round trip per write),
   * then the checkpoint, which only ever moves forward ($max): a second query app that is
   * behind never sets it back. A crash or a failed round trip in between leaves writes
   * whose re-application the position guards make harmless.
   */
  async commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    const byCollection = toBulkOperations(ops);
    await Promise.all(
      [...byCollection].map(([name, operations]) => applyBulk(this.collection(name), operations, (id, key) => this.hasSeen(this.collection(name), id, key))),
    );
    await this.checkpoints().updateOne({ _id: projection }, { $max: { position: toPositionKey(position) } }, { upsert: true });
  }

  async checkpoint(projection: string): Promise<bigint | null> {
    const doc = await this.checkpoints().findOne({ _id: projection });
    return doc ? fromPositionKey(doc.position) : null;
  }

  /**
   * The lease document `_leases/<name>`: taken when free or expired, renewed by its owner.
   * Expiry is computed by the server ($$NOW), so the hosts' clocks do not matter. A holder
   * taken over by another fails its insert on the _id (duplicate key): not the owner.
   */
  async claimLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    try {
      const lease = await this.leases().findOneAndUpdate(
        { _id: name, $or: [{ owner }, { $expr: { $lt: ['$expiresAt', '$$NOW'] } }] },
        [{ $set: { owner, expiresAt: { $add: ['$$NOW', ttlMs] } } }],
        { upsert: true, returnDocument: 'after' },
      );
      return lease?.owner === owner;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
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

  private async hasSeen(collection: Collection<Doc>, id: string, key: string): Promise<boolean> {
    const seen = await collection.countDocuments({ _id: id, [POSITION_FIELD]: { $gte: key } }, { limit: 1 });
    return seen > 0;
  }

  private collection(name: string): Collection<Doc> {
    return this.db.collection<Doc>(name);
  }

  private leases(): Collection<LeaseDoc> {
    return this.db.collection<LeaseDoc>(LEASES);
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
