import { Query } from 'mingo';
import type { Doc, Filter, FindOptions, ReadStore, WriteOp } from '../read-store.port';
import { POSITION_FIELD, toPositionKey } from '../position-key';
import { applyUpdate } from './apply-update';
import { CommitStage } from './commit-stage';
import { DocumentCollection } from './document-collection';
import { SqliteDocumentFile } from './sqlite-document-file';
import { toPublicCopy, toPublicView, type StoredDoc } from './stored-doc';

/**
 * Read store held in memory (queried with mingo) and persisted in one SQLite
 * file. A commit stages every op on private copies, writes the changed documents
 * and the checkpoint in one SQLite transaction, and only then publishes them.
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, DocumentCollection>();
  private closed = false;

  private constructor(
    private readonly file: SqliteDocumentFile,
    private readonly checkpoints: Map<string, bigint>,
  ) {}

  /** Opens (creating if needed) the store file at `path` and loads everything into memory. */
  static async open(path: string): Promise<EmbeddedReadStore> {
    const file = new SqliteDocumentFile(path);
    try {
      const store = new EmbeddedReadStore(file, file.loadCheckpoints());
      for (const { collection, doc } of file.loadDocuments()) store.collection(collection).put(doc);
      return store;
    } catch (error) {
      file.close();
      throw error;
    }
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    this.assertOpen();
    const candidates = this.collections.get(collection)?.candidates(filter) ?? [];
    let cursor = new Query(filter).find<StoredDoc>(candidates);
    if (options.sort) cursor = cursor.sort(options.sort);
    // As in MongoDB, a skip or limit of 0 means none.
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    // Committed documents are never edited in place (a commit edits copies and replaces them), so sharing is safe for readers.
    return cursor.all().map((doc) => (options.readOnly ? toPublicView<T>(doc) : toPublicCopy<T>(doc)));
  }

  async findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null> {
    const [first] = await this.find<T>(collection, filter, { limit: 1 });
    return first ?? null;
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    this.assertOpen();
    const query = new Query(filter);
    const candidates = this.collections.get(collection)?.candidates(filter) ?? [];
    return candidates.filter((doc) => query.test(doc)).length;
  }

  async commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    this.assertOpen();
    const stage = new CommitStage((name) => this.collections.get(name));
    for (const op of ops) applyOp(stage, op);
    const changes = stage.changes();
    this.file.save(changes, projection, position);
    // Durable now; publish. Nothing below can fail part-way.
    for (const { collection, id, doc } of changes) {
      if (doc) this.collection(collection).put(doc);
      else this.collections.get(collection)?.delete(id);
    }
    this.checkpoints.set(projection, position);
  }

  async checkpoint(projection: string): Promise<bigint | null> {
    this.assertOpen();
    return this.checkpoints.get(projection) ?? null;
  }

  /** Hash-indexes the first field for equality lookups (the only kind that narrows). */
  async ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void> {
    this.assertOpen();
    const [first] = Object.keys(fields);
    if (first !== undefined) this.collection(collection).ensureIndex(first);
  }

  async reset(collections: readonly string[], projections: readonly string[]): Promise<void> {
    this.assertOpen();
    this.file.clear(collections, projections);
    for (const name of collections) this.collections.get(name)?.clear();
    for (const projection of projections) this.checkpoints.delete(projection);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.file.close();
  }

  private collection(name: string): DocumentCollection {
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new DocumentCollection()));
    return collection;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The embedded read store is closed');
  }
}

/** Applies one op to the stage, skipping every document that already saw its position. */
function applyOp(stage: CommitStage, op: WriteOp): void {
  const key = toPositionKey(op.position);
  const isBehind = (doc: StoredDoc): boolean => doc[POSITION_FIELD] < key;
  switch (op.kind) {
    case 'upsert': {
      const current = stage.read(op.collection, op.id);
      if (current && !isBehind(current)) return;
      const doc = current ? stage.editable(op.collection, op.id) : { _id: op.id, [POSITION_FIELD]: key };
      applyUpdate(doc, op.update, !current);
      doc[POSITION_FIELD] = key;
      if (!current) stage.insert(op.collection, doc);
      return;
    }
    case 'update':
      for (const current of stage.matching(op.collection, op.filter).filter(isBehind)) {
        const doc = stage.editable(op.collection, current._id);
        applyUpdate(doc, op.update, false);
        doc[POSITION_FIELD] = key;
      }
      return;
    case 'delete':
      for (const doc of stage.matching(op.collection, op.filter).filter(isBehind)) {
        stage.remove(op.collection, doc._id);
      }
      return;
  }
}
