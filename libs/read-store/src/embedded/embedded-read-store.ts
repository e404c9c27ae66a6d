import { Query } from 'mingo';
import type { Doc, Filter, FindOptions, ReadStore, Sort, WriteOp } from '../read-store.port';
import { POSITION_FIELD, toPositionKey } from '../position-key';
import { applyUpdate } from './apply-update';
import { CommitStage, type CommittedDocuments } from './commit-stage';
import { defaultReadStoreLogger } from './default-logger';
import { DocumentCache } from './document-cache';
import { deepCopy } from './deep-copy';
import { decodeDocument, markMayHoldDates } from './document-codec';
import { planQuery, type Plan } from './query-plan';
import { SqliteDocumentFile, type DocumentChange, type ReadStoreLogger, type Row, type SqliteIndex } from './sqlite-document-file';
import { toPublicCopy, toPublicView, type StoredDoc } from './stored-doc';

export const DEFAULT_READ_CACHE_BYTES = 128 * 2 ** 20;

export interface EmbeddedReadStoreOptions {
  /** Estimated bytes of decoded documents kept in memory; default 128 MiB; 0 keeps none. */
  cacheBytes?: number;
  /** Where the upgrade of an old file and one-time index builds are logged; default: pino on stdout. */
  logger?: ReadStoreLogger;
}

/**
 * A query that decodes more documents than this caches none of them: a report
 * reading thousands of documents once would otherwise evict what commits and small
 * lookups reuse (the report caches above keep what reports need).
 */
export const CACHE_FILL_PER_QUERY = 256;

/**
 * A commit that writes more documents than this (a rebuild or a long catch-up) caches
 * those it updated but not those it created: most of those are written once and never
 * read again (history: one per event), and keeping them promoted them to the old
 * generation, where the GC paid for them, and evicted the documents the next batches
 * update (measured on a rebuild: about a tenth less CPU time).
 */
export const LARGE_COMMIT_DOCUMENTS = 1000;

/** A document found by a query: `shared` when the cache holds it (callers that may modify it get a copy). */
interface Found {
  doc: StoredDoc;
  shared: boolean;
}

/** The documents one query decoded from the file: cached at its end if they were few. */
class Decoded {
  private readonly fresh: { collection: string; id: string; found: Found; length: number }[] = [];

  constructor(private readonly cache: DocumentCache) {}

  /** The cached document of a row, else the row decoded. */
  resolve(collection: string, row: Row): Found {
    const cached = this.cache.get(collection, row.id);
    if (cached) return { doc: cached, shared: true };
    const found = { doc: decodeDocument(row.body), shared: false };
    if (this.fresh.length <= CACHE_FILL_PER_QUERY) this.fresh.push({ collection, id: row.id, found, length: row.body.length });
    return found;
  }

  /** Caches what was decoded, unless it was too much; cached documents are then shared. */
  finish(): void {
    if (this.fresh.length > CACHE_FILL_PER_QUERY) return;
    for (const { collection, id, found, length } of this.fresh) {
      this.cache.put(collection, id, found.doc, length);
      found.shared = true;
    }
  }
}

/**
 * Read store in one SQLite file. Documents live on disk (JSON bodies), with
 * secondary indexes as SQLite tables kept in the same transactions; memory holds a
 * bounded cache of decoded documents. Queries use the `_id`, or the index that
 * binds most of the filter's leading fields, or scan the collection (see
 * query-plan.ts); mingo then tests every candidate, so an index only changes what a
 * query costs. A commit stages every op (editing in place the cached documents no
 * reader holds, copies of the others), writes the changed documents, their index
 * entries and the checkpoint in one SQLite transaction, and only then publishes
 * them to the cache; if it fails, what it edited in place leaves the cache.
 */
export class EmbeddedReadStore implements ReadStore {
  private closed = false;
  /** Cached documents a reader may still hold (or values inside them): commits copy these before editing. */
  private readonly lent = new WeakSet<StoredDoc>();

  private constructor(
    private readonly file: SqliteDocumentFile,
    private readonly checkpoints: Map<string, bigint>,
    private readonly cache: DocumentCache,
  ) {}

  /** Opens (creating or upgrading if needed) the store file at `path`. Reads checkpoints only: documents are decoded when first used. */
  static async open(path: string, options: EmbeddedReadStoreOptions = {}): Promise<EmbeddedReadStore> {
    const file = new SqliteDocumentFile(path, options.logger ?? defaultReadStoreLogger());
    try {
      return new EmbeddedReadStore(file, file.loadCheckpoints(), new DocumentCache(options.cacheBytes ?? DEFAULT_READ_CACHE_BYTES));
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /** What the cache holds now (estimated bytes, documents): for benchmarks and tests. */
  cacheUsage(): { bytes: number; documents: number; maxBytes: number } {
    return { bytes: this.cache.bytes, documents: this.cache.size, maxBytes: this.cache.maxBytes };
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    this.assertOpen();
    const query = new Query(filter);
    const skip = options.skip ?? 0;
    // As in MongoDB, a skip or limit of 0 means none.
    const wanted = options.limit ? skip + options.limit : Infinity;
    const plan = planQuery(filter, this.file.indexesOf(collection));
    const direction = idOrder(options.sort);
    let found: Found[];
    if (plan.kind !== 'ids' && plan.byId && wanted < Infinity && direction !== null) {
      // Candidates come in _id order: stop at the last one needed. (SQLite orders ids by their
      // UTF-8 bytes, as MongoDB does; mingo by UTF-16 units. The two differ only between
      // characters beyond U+FFFF and U+E000-U+FFFF, which ids here do not use.)
      found = [];
      const decoded = new Decoded(this.cache);
      for (const row of this.file.orderedRows(collection, plan, direction ?? 'ASC')) {
        const candidate = decoded.resolve(collection, row);
        if (query.test(candidate.doc)) found.push(candidate);
        if (found.length >= wanted) break;
      }
      decoded.finish();
      found = found.slice(skip);
    } else {
      found = this.candidates(collection, plan).filter(({ doc }) => query.test(doc));
      if (options.sort) found = sortFound(found, options.sort);
      if (skip || wanted < Infinity) found = found.slice(skip, wanted);
    }
    // A cached document handed out as it is stays lent: commits then edit a copy of it, never it (commit-stage.ts).
    return found.map(({ doc, shared }) => {
      if (!shared) return toPublicView<T>(doc);
      if (!options.readOnly) return toPublicCopy<T>(doc);
      this.lent.add(doc);
      return toPublicView<T>(doc);
    });
  }

  async findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null> {
    const [first] = await this.find<T>(collection, filter, { limit: 1 });
    return first ?? null;
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    this.assertOpen();
    if (Object.keys(filter).length === 0) return this.file.countAll(collection);
    const query = new Query(filter);
    return this.candidates(collection, planQuery(filter, this.file.indexesOf(collection))).filter(({ doc }) => query.test(doc)).length;
  }

  async commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    this.assertOpen();
    const stage = new CommitStage(this.committedFor(ops));
    let bodies: (string | null)[];
    let changes: DocumentChange[];
    try {
      for (const op of ops) applyOp(stage, op);
      changes = stage.changes();
      bodies = this.file.save(changes, projection, position);
    } catch (error) {
      // Nothing was written: documents edited in place no longer match the file; the next read decodes them again.
      for (const { collection, id } of stage.editedInPlace()) this.cache.delete(collection, id);
      throw error;
    }
    // Durable now; publish. Nothing below can fail part-way.
    const large = changes.length > LARGE_COMMIT_DOCUMENTS;
    changes.forEach(({ collection, id, doc, before }, i) => {
      if (!doc) this.cache.delete(collection, id);
      else if (!large || before) this.cache.put(collection, id, doc, bodies[i]!.length);
    });
    this.checkpoints.set(projection, position);
  }

  async checkpoint(projection: string): Promise<bigint | null> {
    this.assertOpen();
    return this.checkpoints.get(projection) ?? null;
  }

  /**
   * An index on the fields in order (directions do not matter: SQLite walks an index
   * both ways). Built from the stored documents the first time it is declared, then
   * kept in step by every commit. Paths with numeric segments are not indexed.
   */
  async ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void> {
    this.assertOpen();
    this.file.ensureIndex(collection, Object.keys(fields), (row) => this.cache.get(collection, row.id) ?? decodeDocument(row.body));
  }

  async reset(collections: readonly string[], projections: readonly string[]): Promise<void> {
    this.assertOpen();
    this.file.clear(collections, projections);
    this.cache.clear();
    for (const projection of projections) this.checkpoints.delete(projection);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.file.close();
  }

  /**
   * The committed state a commit reads. The documents its upserts name are looked up
   * once each before staging: in the cache, then those it lacks in the file together
   * (a batch of projection writes mostly creates documents or touches cached ones),
   * except ids after every id on file, which are new; other documents one by one as
   * ops ask.
   */
  private committedFor(ops: readonly WriteOp[]): CommittedDocuments {
    // Per collection: id -> the committed document, or null when it is known to be absent.
    const named = new Map<string, Map<string, StoredDoc | null>>();
    let missing: Map<string, string[]> | undefined;
    for (const op of ops) {
      if (op.kind !== 'upsert') continue;
      let docs = named.get(op.collection);
      if (!docs) named.set(op.collection, (docs = new Map()));
      // A batch writes the same few documents many times.
      if (docs.has(op.id)) continue;
      // An id after every id on file is new (a rebuild's history: one per event): nothing to look up, not even
      // in the cache (it holds only what is on file).
      const onFile = this.file.mayHold(op.collection, op.id);
      const cached = onFile ? this.cache.get(op.collection, op.id) : undefined;
      docs.set(op.id, cached ?? null);
      if (cached || !onFile) continue;
      missing ??= new Map();
      let ids = missing.get(op.collection);
      if (!ids) missing.set(op.collection, (ids = []));
      ids.push(op.id);
    }
    for (const [collection, ids] of missing ?? []) {
      const docs = named.get(collection)!;
      for (const [id, body] of this.file.bodies(collection, ids)) {
        const doc = decodeDocument(body);
        this.cache.put(collection, id, doc, body.length);
        docs.set(id, doc);
      }
    }
    return {
      get: (collection, id) => {
        const doc = named.get(collection)?.get(id);
        return doc === undefined ? this.get(collection, id) : (doc ?? undefined);
      },
      candidates: (collection, filter) => this.candidates(collection, planQuery(filter, this.file.indexesOf(collection))).map(({ doc }) => doc),
      lent: (doc) => this.lent.has(doc),
      indexedFields: (collection, doc) => indexedFields(doc, this.file.indexesOf(collection)),
    };
  }

  /** One committed document, from the cache or the file (then cached). */
  private get(collection: string, id: string): StoredDoc | undefined {
    const cached = this.cache.get(collection, id);
    if (cached) return cached;
    const body = this.file.body(collection, id);
    if (body === undefined) return undefined;
    const doc = decodeDocument(body);
    this.cache.put(collection, id, doc, body.length);
    return doc;
  }

  /** Committed documents that may match the planned filter, each once. */
  private candidates(collection: string, plan: Plan<SqliteIndex>): Found[] {
    const found: Found[] = [];
    const seen = new Set<string>();
    const decoded = new Decoded(this.cache);
    for (const row of this.file.rows(collection, plan)) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      found.push(decoded.resolve(collection, row));
    }
    decoded.finish();
    return found;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The embedded read store is closed');
  }
}

/** 'ASC' / 'DESC' for a sort on `_id` alone, undefined for no sort, null for any other sort. */
function idOrder(sort: Sort | undefined): 'ASC' | 'DESC' | undefined | null {
  if (!sort) return undefined;
  const keys = Object.keys(sort);
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  return sort._id === -1 ? 'DESC' : 'ASC';
}

/** Sorted as MongoDB (mingo) sorts documents. */
function sortFound(found: Found[], sort: Sort): Found[] {
  const byDoc = new Map(found.map((entry) => [entry.doc, entry]));
  return new Query({})
    .find<StoredDoc>(found.map(({ doc }) => doc))
    .sort(sort)
    .all()
    .map((doc) => byDoc.get(doc)!);
}

/** A copy of the top-level fields the indexes read (their first path segments), with the _id and position. */
function indexedFields(doc: StoredDoc, indexes: readonly SqliteIndex[]): StoredDoc {
  const fields: StoredDoc = { _id: doc._id, [POSITION_FIELD]: doc[POSITION_FIELD] };
  for (const index of indexes) {
    for (const [field] of index.paths) if (hasOwn(doc, field) && !hasOwn(fields, field)) fields[field] = deepCopy(doc[field]);
  }
  return fields;
}

const hasOwn = (doc: object, field: string): boolean => Object.prototype.hasOwnProperty.call(doc, field);

/** The position key of the ops of one event (they share a position): formatted once, not once per op. */
let lastPosition: bigint | undefined;
let lastPositionKey = '';
function positionKeyOf(position: bigint): string {
  if (position !== lastPosition) {
    lastPositionKey = toPositionKey(position);
    lastPosition = position;
  }
  return lastPositionKey;
}

/** Applies one op to the stage, skipping every document that already saw its position. */
function applyOp(stage: CommitStage, op: WriteOp): void {
  const key = positionKeyOf(op.position);
  switch (op.kind) {
    case 'upsert': {
      const current = stage.read(op.collection, op.id);
      if (current && current[POSITION_FIELD] >= key) return;
      const doc = current ? stage.editable(op.collection, current) : { _id: op.id, [POSITION_FIELD]: key };
      if (!applyUpdate(doc, op.update, !current)) markMayHoldDates(doc);
      doc[POSITION_FIELD] = key;
      if (!current) stage.insert(op.collection, doc);
      return;
    }
    case 'update':
      for (const current of stage.matching(op.collection, op.filter)) {
        if (current[POSITION_FIELD] >= key) continue;
        const doc = stage.editable(op.collection, current);
        if (!applyUpdate(doc, op.update, false)) markMayHoldDates(doc);
        doc[POSITION_FIELD] = key;
      }
      return;
    case 'delete':
      for (const doc of stage.matching(op.collection, op.filter)) {
        if (doc[POSITION_FIELD] < key) stage.remove(op.collection, doc);
      }
      return;
  }
}
