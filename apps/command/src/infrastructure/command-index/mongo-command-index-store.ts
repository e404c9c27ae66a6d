import { Binary, MongoBulkWriteError, MongoClient, MongoServerError, type AnyBulkWriteOperation, type Collection, type Db, type UpdateFilter } from 'mongodb';
import type { CheckoutRecord, CheckoutStatus, SessionRecord, SessionStatus } from '@ses/domain';
import type { DenyReason } from '@ses/events';
import type { PoolRef, RecordedResult } from '../lookups/lookups';
import { COMMAND_INDEX_VERSION, type CommandIndexStore, type IndexedSession, type IndexWrite, type Snapshot } from './command-index-store.port';

const DUPLICATE_KEY = 11000;
/** Positions as fixed-width decimal strings: string order is numeric order for the whole unsigned 64-bit range. */
const positionKey = (position: bigint): string => position.toString().padStart(20, '0');

/** Any document of the index: string ids. */
interface IndexDoc {
  _id: string;
  [field: string]: unknown;
}
interface MetaDoc {
  _id: string;
  value: string;
}
interface EntityDoc {
  _id: string;
  accountId: string;
}
interface PoolDoc {
  _id: string;
  accountId: string;
  productId: string;
}
interface SessionDoc {
  _id: string;
  sessionId: string;
  accountId: string;
  productId: string;
  userId: string;
  allowed: boolean;
  denyReason: string | null;
  termLicenseUsage: boolean;
  status: string;
  /** Set while active only (a partial index holds what can fall due). */
  lastActivityMs?: number;
  _pos: string;
}
interface CheckoutDoc {
  _id: string;
  accountId: string;
  productId: string;
  userId: string;
  status: string;
  expiresMs?: number;
  _pos: string;
}
interface ResultDoc {
  _id: string;
  result: string;
  position: string;
  _pos: string;
}
interface SnapshotDoc {
  _id: string;
  stateVersion: number;
  revision: string;
  position: string;
  lastHash: string;
  state: Binary;
}

/**
 * The production command index: collections in a MongoDB database of their own
 * (`<database of SES_READ_STORE>_command_index`), next to the read models' databases,
 * so that every command-app instance shares one index that survives restarts and is
 * kept in step with EventStoreDB's log by whichever instance catches up.
 *
 * MongoDB has no transaction across these writes here, so each is guarded by position
 * as the MongoDB read store's are: a document remembers the position of the last event
 * applied to it (`_pos`) and only a later one changes it; inserts that meet a document
 * already past them fail with a duplicate key and are skipped. Writes go in log order
 * (ordered bulkWrite, resumed after a skipped duplicate) and the checkpoint moves last
 * (`$max`), so a crash in between re-applies the page with no effect, and two instances
 * applying the same page in any interleaving end with the same documents.
 */
export class MongoCommandIndexStore implements CommandIndexStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects, creates the indexes, and starts empty when the stored index has another COMMAND_INDEX_VERSION. */
  static async connect(url: string, dbName?: string): Promise<MongoCommandIndexStore> {
    const client = new MongoClient(url);
    await client.connect();
    const store = new MongoCommandIndexStore(client, client.db(dbName ?? `${databaseOf(url)}_command_index`));
    await store.prepare();
    return store;
  }

  async checkpoint(): Promise<bigint | null> {
    const doc = await this.meta().findOne({ _id: 'checkpoint' });
    return doc ? BigInt(doc.value) : null;
  }

  async apply(writes: readonly IndexWrite[], upTo: bigint): Promise<void> {
    const stored = await this.checkpoint();
    const pending = writes.filter((write) => stored === null || write.position > stored);
    const byCollection = new Map<string, AnyBulkWriteOperation<IndexDoc>[]>();
    for (const write of pending) {
      for (const [collection, op] of toOperations(write)) {
        const ops = byCollection.get(collection) ?? [];
        ops.push(op);
        byCollection.set(collection, ops);
      }
    }
    // Collections are independent (each document is guarded by its own _pos); within one, log order.
    await Promise.all([...byCollection].map(([collection, ops]) => bulkWriteSkippingDuplicates(this.db.collection<IndexDoc>(collection), ops)));
    // `$max` on fixed-width strings: the checkpoint never moves back, whoever writes last.
    // ('-1', an index of an empty log, sorts below every position key.)
    await this.meta().updateOne({ _id: 'checkpoint' }, { $max: { value: upTo < 0n ? '-1' : positionKey(upTo) } }, { upsert: true });
  }

  async reset(): Promise<void> {
    for (const name of ['entities', 'pools', 'sessions', 'checkouts', 'results', 'snapshots']) await this.db.collection(name).deleteMany({});
    await this.meta().deleteOne({ _id: 'checkpoint' });
  }

  async accountOf(entityId: string): Promise<string | undefined> {
    return (await this.db.collection<EntityDoc>('entities').findOne({ _id: entityId }))?.accountId;
  }

  async sessions(sessionId: string): Promise<IndexedSession[]> {
    return (await this.sessionDocs().find({ sessionId }).toArray()).map(toIndexedSession);
  }

  async session(pool: PoolRef, sessionId: string): Promise<SessionRecord | null> {
    const doc = await this.sessionDocs().findOne({ _id: sessionKey(pool, sessionId) });
    return doc ? toIndexedSession(doc) : null;
  }

  async checkout(checkoutId: string): Promise<(CheckoutRecord & { pool: PoolRef }) | null> {
    const doc = await this.db.collection<CheckoutDoc>('checkouts').findOne({ _id: checkoutId });
    return doc ? { userId: doc.userId, status: doc.status as CheckoutStatus, pool: { accountId: doc.accountId, productId: doc.productId } } : null;
  }

  async result(idempotencyKey: string): Promise<RecordedResult | undefined> {
    const doc = await this.db.collection<ResultDoc>('results').findOne({ _id: idempotencyKey });
    return doc ? { result: JSON.parse(doc.result) as unknown, position: BigInt(doc.position) } : undefined;
  }

  async pools(): Promise<PoolRef[]> {
    return (await this.db.collection<PoolDoc>('pools').find().toArray()).map(({ accountId, productId }) => ({ accountId, productId }));
  }

  async duePools(nowMs: number, ttlMs: number, limit: number): Promise<PoolRef[]> {
    const [sessions, checkouts] = await Promise.all([
      this.sessionDocs()
        .find({ lastActivityMs: { $lte: nowMs - ttlMs } }, { projection: { accountId: 1, productId: 1, lastActivityMs: 1 } })
        .sort({ lastActivityMs: 1 })
        .limit(limit)
        .toArray(),
      this.db
        .collection<CheckoutDoc>('checkouts')
        .find({ expiresMs: { $lte: nowMs } }, { projection: { accountId: 1, productId: 1, expiresMs: 1 } })
        .sort({ expiresMs: 1 })
        .limit(limit)
        .toArray(),
    ]);
    const due = [
      ...sessions.map((doc) => ({ accountId: doc.accountId, productId: doc.productId, due: (doc.lastActivityMs ?? 0) + ttlMs })),
      ...checkouts.map((doc) => ({ accountId: doc.accountId, productId: doc.productId, due: doc.expiresMs ?? 0 })),
    ].sort((a, b) => a.due - b.due);
    const pools = new Map<string, PoolRef>();
    for (const { accountId, productId } of due) {
      if (pools.size === limit) break;
      pools.set(JSON.stringify([accountId, productId]), { accountId, productId });
    }
    return [...pools.values()];
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const doc = await this.db.collection<SnapshotDoc>('snapshots').findOne({ _id: streamId });
    if (!doc) return undefined;
    return {
      streamId,
      stateVersion: doc.stateVersion,
      revision: BigInt(doc.revision),
      position: BigInt(doc.position),
      lastHash: doc.lastHash,
      state: new Uint8Array(doc.state.buffer),
    };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const revision = positionKey(snapshot.revision);
    const doc = {
      stateVersion: snapshot.stateVersion,
      revision,
      position: positionKey(snapshot.position),
      lastHash: snapshot.lastHash,
      state: new Binary(Buffer.from(snapshot.state)),
    };
    try {
      // Replaces an older revision, or any revision of another state version.
      await this.db
        .collection<SnapshotDoc>('snapshots')
        .updateOne(
          { _id: snapshot.streamId, $or: [{ revision: { $lt: revision } }, { stateVersion: { $ne: snapshot.stateVersion } }] },
          { $set: doc },
          { upsert: true },
        );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // a later snapshot of this version is stored: keep it
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async prepare(): Promise<void> {
    const version = await this.meta().findOne({ _id: 'version' });
    if (version?.value !== String(COMMAND_INDEX_VERSION)) {
      await this.reset();
      await this.meta().updateOne({ _id: 'version' }, { $set: { value: String(COMMAND_INDEX_VERSION) } }, { upsert: true });
    }
    await this.sessionDocs().createIndex({ sessionId: 1 });
    await this.sessionDocs().createIndex({ lastActivityMs: 1 }, { partialFilterExpression: { lastActivityMs: { $exists: true } } });
    await this.db.collection<CheckoutDoc>('checkouts').createIndex({ expiresMs: 1 }, { partialFilterExpression: { expiresMs: { $exists: true } } });
  }

  private meta(): Collection<MetaDoc> {
    return this.db.collection<MetaDoc>('meta');
  }

  private sessionDocs(): Collection<SessionDoc> {
    return this.db.collection<SessionDoc>('sessions');
  }
}

/** The database named in the URL's path, else `ses` (as the MongoDB read store). */
function databaseOf(url: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?#]*(?:\/([^?#]*))?/i.exec(url)?.[1];
  return path ? decodeURIComponent(path) : 'ses';
}

const sessionKey = (pool: PoolRef, sessionId: string) => JSON.stringify([sessionId, pool.accountId, pool.productId]);

/** A document's guard: only events later than what it has seen change it. */
const before = (key: string) => ({ $or: [{ _pos: { $exists: false } }, { _pos: { $lt: key } }] });

function toOperations(write: IndexWrite): [string, AnyBulkWriteOperation<IndexDoc>][] {
  const key = positionKey(write.position);
  switch (write.kind) {
    case 'entity':
      return [['entities', { updateOne: { filter: { _id: write.entityId }, update: { $setOnInsert: { accountId: write.accountId } }, upsert: true } }]];
    case 'session': {
      const { pool, sessionId, record } = write;
      const fields: Record<string, unknown> = { sessionId, ...pool, ...record, _pos: key };
      const update: UpdateFilter<IndexDoc> =
        write.lastActivityMs === null
          ? { $set: fields, $unset: { lastActivityMs: '' as const } }
          : { $set: { ...fields, lastActivityMs: write.lastActivityMs } };
      return [poolOp(pool), ['sessions', { updateOne: { filter: { _id: sessionKey(pool, sessionId), ...before(key) }, update, upsert: true } }]];
    }
    case 'sessionActivity':
      return [
        [
          'sessions',
          {
            updateOne: {
              filter: { _id: sessionKey(write.pool, write.sessionId), lastActivityMs: { $exists: true }, ...before(key) },
              update: { $set: { lastActivityMs: write.lastActivityMs, _pos: key } },
            },
          },
        ],
      ];
    case 'sessionClosed':
      return [
        [
          'sessions',
          {
            updateOne: {
              filter: { _id: sessionKey(write.pool, write.sessionId), ...before(key) },
              update: { $set: { status: write.status, _pos: key }, $unset: { lastActivityMs: '' } },
            },
          },
        ],
      ];
    case 'checkout': {
      const { pool, checkoutId, userId, expiresMs } = write;
      return [
        poolOp(pool),
        [
          'checkouts',
          {
            updateOne: {
              filter: { _id: checkoutId, ...before(key) },
              update: { $set: { ...pool, userId, status: 'ACTIVE', expiresMs, _pos: key } },
              upsert: true,
            },
          },
        ],
      ];
    }
    case 'checkoutClosed':
      return [
        [
          'checkouts',
          {
            updateOne: { filter: { _id: write.checkoutId, ...before(key) }, update: { $set: { status: write.status, _pos: key }, $unset: { expiresMs: '' } } },
          },
        ],
      ];
    case 'result':
      return [
        [
          'results',
          {
            updateOne: {
              filter: { _id: write.key, ...before(key) },
              update: { $set: { result: JSON.stringify(write.result ?? null), position: key, _pos: key } },
              upsert: true,
            },
          },
        ],
      ];
  }
}

function poolOp(pool: PoolRef): [string, AnyBulkWriteOperation<IndexDoc>] {
  return [
    'pools',
    {
      updateOne: {
        filter: { _id: JSON.stringify([pool.accountId, pool.productId]) },
        update: { $setOnInsert: { accountId: pool.accountId, productId: pool.productId } },
        upsert: true,
      },
    },
  ];
}

/**
 * Ordered bulkWrite that skips an upsert excluded by its position guard (the document is
 * already past it: the insert fails with a duplicate key) and goes on with the rest.
 */
async function bulkWriteSkippingDuplicates(collection: Collection<IndexDoc>, ops: AnyBulkWriteOperation<IndexDoc>[]): Promise<void> {
  let from = 0;
  while (from < ops.length) {
    try {
      await collection.bulkWrite(ops.slice(from), { ordered: true });
      return;
    } catch (error) {
      const failed = error instanceof MongoBulkWriteError ? error.writeErrors : undefined;
      const first = Array.isArray(failed) ? failed[0] : failed;
      if (!first || first.code !== DUPLICATE_KEY) throw error;
      from += first.index + 1;
    }
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

function toIndexedSession(doc: SessionDoc): IndexedSession {
  return {
    sessionId: doc.sessionId,
    accountId: doc.accountId,
    productId: doc.productId,
    userId: doc.userId,
    allowed: doc.allowed,
    denyReason: doc.denyReason as DenyReason | null,
    termLicenseUsage: doc.termLicenseUsage,
    status: doc.status as SessionStatus,
  };
}
