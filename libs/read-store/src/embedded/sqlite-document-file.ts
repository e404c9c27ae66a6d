import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { enableWalMode } from '@ses/sqlite';
import { encodeStoredDocument } from './document-codec';
import { BatchedInsert, prepareInsert, type InsertStatements } from './batched-insert';
import { afterInFileOrder } from './id-order';
import { documentKeys, isIndexablePath, NO_KEY, sameSingleKeys, tupleId, type DocumentKeys, type IndexSlot } from './index-keys';
import type { Plan, PlannableIndex, Range } from './query-plan';
import type { StoredDoc } from './stored-doc';

/**
 * Format of the file. 1: `docs` and `checkpoints` only (documents were all loaded
 * into memory at open). 2: the same two tables, unchanged, plus `store_meta` and
 * the secondary indexes (`doc_indexes` and one `ix_<n>` table per index). A format 1
 * file is upgraded in place at its first open; its indexes are built once, when a
 * projection first declares them.
 */
export const FILE_FORMAT = 2;

/** What the store logs: pino's `info(details, message)` fits. */
export interface ReadStoreLogger {
  info(details: object, message: string): void;
}

export interface DocumentChange {
  collection: string;
  id: string;
  /** The new body, or null to delete the document. */
  doc: StoredDoc | null;
  /** The committed document this change replaces, if any (its index keys are removed). */
  before: StoredDoc | undefined;
}

/** A secondary index: rows `(k0, .., kn-1, id)` of table `ix_<id>`, in key order. */
export interface SqliteIndex extends PlannableIndex {
  id: number;
  collection: string;
  fields: string[];
  paths: string[][];
  multikey: boolean[];
  table: string;
}

export interface Row {
  id: string;
  body: string;
}

type Statement = Database.Statement<unknown[], Row>;

interface EntryStatements {
  insert: Statement;
  /** The same insert, several rows at a time. */
  inserts: InsertStatements;
  remove: Statement;
  /** Replaces one entry's key tuple: parameters new keys, old keys, id. */
  move: Statement;
}

interface EntryChange {
  index: SqliteIndex;
  id: string;
  removed: readonly IndexSlot[][];
  added: readonly IndexSlot[][];
  several: boolean[];
}

const NO_TUPLES: IndexSlot[][] = [];
const NO_KEYS: DocumentKeys = { tuples: [], multikey: [] };

function sameTuple(a: readonly IndexSlot[], b: readonly IndexSlot[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs an entry statement with the tuple's slots (then `old`'s, for a move) and the id, without building argument arrays for one or two keys; answers the rows changed. */
function runEntry(statement: Statement, tuple: readonly IndexSlot[], id: string, old?: readonly IndexSlot[]): number {
  if (old === undefined) {
    if (tuple.length === 1) return statement.run(bindSlot(tuple[0]), id).changes;
    if (tuple.length === 2) return statement.run(bindSlot(tuple[0]), bindSlot(tuple[1]), id).changes;
    return statement.run(...tuple.map(bindSlot), id).changes;
  }
  if (tuple.length === 1) return statement.run(bindSlot(tuple[0]), bindSlot(old[0]), id).changes;
  if (tuple.length === 2) return statement.run(bindSlot(tuple[0]), bindSlot(tuple[1]), bindSlot(old[0]), bindSlot(old[1]), id).changes;
  return statement.run(...tuple.map(bindSlot), ...old.map(bindSlot), id).changes;
}

/** SQLite orders an empty BLOB after every number and string: the slot of a field without a key. */
const EMPTY = Buffer.alloc(0);
const bindSlot = (slot: IndexSlot): string | number | Buffer => (slot === NO_KEY ? EMPTY : slot);
/** Rows read per statement when a whole collection is walked while writing (an open iterator blocks other statements). */
const PAGE = 2000;

/**
 * The embedded read store's SQLite file: document bodies, projection checkpoints and
 * secondary indexes. Queries run here; the store above keeps a bounded cache of
 * decoded documents.
 */
export class SqliteDocumentFile {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly indexes = new Map<string, SqliteIndex[]>();
  private readonly cachedStatements = new Map<string, Statement>();
  private readonly entryStatementsByIndex = new Map<number, EntryStatements>();
  /** Per collection, an id no document's id comes after in the file's order (null: the collection is empty); read at first use, raised by save(). */
  private readonly idBounds = new Map<string, string | null>();
  private docInserts?: InsertStatements;
  private readonly name: string;

  constructor(
    path: string,
    private readonly logger: ReadStoreLogger,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.name = basename(path);
    this.db = new Database(path);
    enableWalMode(this.db);
    // Docs, index entries and checkpoint share one transaction, so losing the last
    // commits on power failure only makes the projection replay them; NORMAL is enough.
    this.db.pragma('synchronous = NORMAL');
    // SQLite's own page cache (the decoded documents are cached above): 16 MB.
    this.db.pragma('cache_size = -16000');
    // Checkpoint the WAL every ~40 MB instead of ~4 MB: pages rewritten by consecutive
    // commits (documents and their index entries) reach the file once (measured: less system time).
    this.db.pragma('wal_autocheckpoint = 10000');
    // Reads of the file's first GiB through memory-mapped I/O rather than a read() call per page:
    // a cold year's report reads 13 MB of documents in 80 ms instead of 112 (measured on 1M
    // sessions). The mapped pages are the OS page cache's (they count in RSS once touched, and
    // the OS reclaims them as it would the cache). Writes still go through the WAL.
    this.db.pragma('mmap_size = 1073741824');
    this.migrate();
    this.statements = {
      body: this.db.prepare<[string, string], string>('SELECT body FROM docs WHERE collection = ? AND id = ?').pluck(),
      allCheckpoints: this.db.prepare<[], { projection: string; position: string }>('SELECT projection, position FROM checkpoints'),
      putDoc: this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO docs (collection, id, body) VALUES (?, ?, ?)'),
      // A document the file holds keeps its row: REPLACE would delete the row and its primary-key entry and insert both again.
      updateDoc: this.db.prepare<[string, string, string]>('UPDATE docs SET body = ? WHERE collection = ? AND id = ?'),
      deleteDoc: this.db.prepare<[string, string]>('DELETE FROM docs WHERE collection = ? AND id = ?'),
      clearCollection: this.db.prepare<[string]>('DELETE FROM docs WHERE collection = ?'),
      putCheckpoint: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO checkpoints (projection, position) VALUES (?, ?)'),
      deleteCheckpoint: this.db.prepare<[string]>('DELETE FROM checkpoints WHERE projection = ?'),
      page: this.db.prepare<[string, string], Row>('SELECT id, body FROM docs WHERE collection = ? AND id > ? ORDER BY id LIMIT ' + PAGE),
      bodies: this.db.prepare<[string, string], Row>(
        'SELECT d.id AS id, d.body AS body FROM json_each(?) j CROSS JOIN docs d ON d.collection = ? AND d.id = j.value',
      ),
      count: this.db.prepare<[string], number>('SELECT count(*) FROM docs WHERE collection = ?').pluck(),
      greatestId: this.db.prepare<[string], string>('SELECT id FROM docs WHERE collection = ? ORDER BY id DESC LIMIT 1').pluck(),
      setMultikey: this.db.prepare<[string, number]>('UPDATE doc_indexes SET multikey = ? WHERE id = ?'),
    };
    for (const row of this.db
      .prepare<[], { id: number; collection: string; fields: string; multikey: string }>('SELECT id, collection, fields, multikey FROM doc_indexes ORDER BY id')
      .all()) {
      const index = toIndex(row.id, row.collection, JSON.parse(row.fields) as string[], JSON.parse(row.multikey) as boolean[]);
      this.indexes.set(row.collection, [...this.indexesOf(row.collection), index]);
    }
  }

  /** Creates what this format needs; a format 1 file gets the new tables (its own stay as they are). */
  private migrate(): void {
    const tables = new Set(this.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
    const format = tables.has('store_meta')
      ? Number(this.db.prepare<[], string>("SELECT value FROM store_meta WHERE key = 'format'").pluck().get() ?? FILE_FORMAT)
      : tables.has('docs')
        ? 1
        : FILE_FORMAT;
    if (format > FILE_FORMAT) throw new Error(`${this.name} has read-store format ${format}; this version reads up to ${FILE_FORMAT}`);
    this.db.transaction(() => {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS docs (
          collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
          PRIMARY KEY (collection, id)
        );
        CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS doc_indexes (
          id INTEGER PRIMARY KEY, collection TEXT NOT NULL, fields TEXT NOT NULL, multikey TEXT NOT NULL,
          UNIQUE (collection, fields)
        );
      `);
      this.db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('format', ?)").run(String(FILE_FORMAT));
    })();
    if (format < FILE_FORMAT) {
      const documents = this.db.prepare<[], number>('SELECT count(*) FROM docs').pluck().get() ?? 0;
      this.logger.info(
        { file: this.name, from: format, to: FILE_FORMAT, documents },
        'read store file upgraded: documents stay on disk; each declared index is built once, at its first ensureIndex',
      );
    }
  }

  body(collection: string, id: string): string | undefined {
    return this.statements.body.get(collection, id);
  }

  /** The bodies of those of `ids` that exist: one statement per 500 ids (a lookup per id costs more in calls than in SQLite). */
  bodies(collection: string, ids: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of this.statements.bodies.all(JSON.stringify(ids.slice(i, i + 500)), collection)) found.set(row.id, row.body);
    }
    return found;
  }

  /**
   * False when the file surely holds no document `id` in `collection`: its id comes after
   * every id there (ids that grow, as history's positions do, need no look-up when new).
   */
  mayHold(collection: string, id: string): boolean {
    let bound = this.idBounds.get(collection);
    if (bound === undefined) this.idBounds.set(collection, (bound = this.statements.greatestId.get(collection) ?? null));
    return bound !== null && !afterInFileOrder(id, bound);
  }

  countAll(collection: string): number {
    return this.statements.count.get(collection) ?? 0;
  }

  indexesOf(collection: string): readonly SqliteIndex[] {
    return this.indexes.get(collection) ?? [];
  }

  loadCheckpoints(): Map<string, bigint> {
    const checkpoints = new Map<string, bigint>();
    for (const row of this.statements.allCheckpoints.iterate()) checkpoints.set(row.projection, BigInt(row.position));
    return checkpoints;
  }

  /** The rows of a plan's candidates (an `ids` plan: only those that exist). May repeat an id when the plan has several prefixes or a multikey range. */
  rows(collection: string, plan: Plan<SqliteIndex>): Row[] {
    if (plan.kind === 'ids') {
      const rows: Row[] = [];
      for (const id of plan.ids) {
        const body = this.body(collection, id);
        if (body !== undefined) rows.push({ id, body });
      }
      return rows;
    }
    if (plan.kind === 'scan') {
      const { sql, params } = scanQuery(collection, plan.idRange, 'ASC');
      return this.statement(sql).all(...params);
    }
    const rows: Row[] = [];
    for (const prefix of plan.prefixes) {
      const { sql, params } = indexQuery(collection, plan.index, prefix, plan.range, plan.idRange, null);
      rows.push(...this.statement(sql).all(...params));
    }
    return rows;
  }

  /** The rows of a `byId` plan lazily, in `_id` order: the caller may stop early. */
  orderedRows(collection: string, plan: Plan<SqliteIndex>, direction: 'ASC' | 'DESC'): IterableIterator<Row> {
    if (plan.kind === 'scan') {
      const { sql, params } = scanQuery(collection, plan.idRange, direction);
      return this.statement(sql).iterate(...params);
    }
    if (plan.kind !== 'index' || !plan.byId) throw new Error('orderedRows needs a plan in _id order');
    const { sql, params } = indexQuery(collection, plan.index, plan.prefixes[0], plan.range, plan.idRange, direction);
    return this.statement(sql).iterate(...params);
  }

  /**
   * Creates the index unless it exists, filling it from the documents already
   * there (once; logged). `decode` turns a row into a document (the caller may have
   * it cached). Returns false when a field path cannot be indexed.
   */
  ensureIndex(collection: string, fields: readonly string[], decode: (row: Row) => StoredDoc): boolean {
    if (fields.length === 0 || !fields.every(isIndexablePath)) return false;
    const key = JSON.stringify(fields);
    if (this.indexesOf(collection).some((index) => JSON.stringify(index.fields) === key)) return true;
    const started = performance.now();
    let documents = 0;
    const build = this.db.transaction(() => {
      const multikey = fields.map(() => false);
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO doc_indexes (collection, fields, multikey) VALUES (?, ?, ?)')
        .run(collection, key, JSON.stringify(multikey));
      const created = toIndex(Number(lastInsertRowid), collection, [...fields], multikey);
      const columns = fields.map((_field, i) => `k${i}`);
      this.db.exec(`CREATE TABLE ${created.table} (${columns.join(', ')}, id TEXT NOT NULL, PRIMARY KEY (${columns.join(', ')}, id)) WITHOUT ROWID`);
      const insert = this.insertEntry(created);
      for (let after = '', rows = this.statements.page.all(collection, after); rows.length > 0; rows = this.statements.page.all(collection, after)) {
        for (const row of rows) {
          const keys = documentKeys(decode(row), created.paths);
          for (const tuple of keys.tuples) insert.run(...tuple.map(bindSlot), row.id);
          keys.multikey.forEach((several, i) => (created.multikey[i] ||= several));
        }
        documents += rows.length;
        after = rows[rows.length - 1].id;
      }
      this.statements.setMultikey.run(JSON.stringify(created.multikey), created.id);
      return created;
    });
    let index: SqliteIndex;
    try {
      index = build();
    } catch (error) {
      // Rolled back: an index id may be handed out again, with other columns.
      this.entryStatementsByIndex.clear();
      throw error;
    }
    // Known to queries and commits only once it exists on file.
    this.indexes.set(collection, [...this.indexesOf(collection), index]);
    if (documents > 0) {
      this.logger.info(
        { file: this.name, collection, fields, documents, ms: Math.round(performance.now() - started) },
        'read store index built over the documents already stored (once)',
      );
    }
    return true;
  }

  /**
   * Writes the changes (documents the store holds: see encodeStoredDocument), their index entries and the checkpoint in one transaction:
   * all or nothing. Returns the encoded body of every document written (in order,
   * null for deletions).
   */
  save(changes: readonly DocumentChange[], projection: string, position: bigint): (string | null)[] {
    // Encode and compute index entries first, so that a value that cannot be stored fails before anything is written.
    const bodies: (string | null)[] = new Array(changes.length);
    const entries: EntryChange[] = [];
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i];
      bodies[i] = change.doc && encodeStoredDocument(change.doc);
      this.entryChanges(change, entries);
    }
    let multikey: Map<SqliteIndex, boolean[]> | undefined;
    for (const { index, several } of entries) {
      if (!several.some(Boolean)) continue;
      multikey ??= new Map();
      const flags = multikey.get(index) ?? [...index.multikey];
      several.forEach((flag, i) => (flags[i] ||= flag));
      multikey.set(index, flags);
    }
    this.db.transaction(() => {
      const { putDoc, updateDoc, deleteDoc } = this.statements;
      const created = new BatchedInsert((this.docInserts ??= prepareInsert(this.db, 'OR REPLACE', 'docs', ['collection', 'id', 'body'])));
      for (let i = 0; i < changes.length; i++) {
        const { collection, id, before } = changes[i];
        const body = bodies[i];
        // `before`: the file holds the document (the store caches only what is on file); if it did not after all, it is inserted.
        if (body === null) {
          deleteDoc.run(collection, id);
        } else if (!before) {
          created.push(collection);
          created.push(id);
          created.push(body);
          created.endRow();
        } else if (updateDoc.run(body, collection, id).changes === 0) {
          putDoc.run(collection, id, body);
        }
      }
      created.finish();
      // New entries (of created documents, mostly) go in several at a time, per index.
      let newEntries: Map<SqliteIndex, BatchedInsert> | undefined;
      for (const { index, id, removed, added } of entries) {
        const statements = this.entryStatements(index);
        if (removed.length === 0) {
          newEntries ??= new Map();
          let batch = newEntries.get(index);
          if (!batch) newEntries.set(index, (batch = new BatchedInsert(statements.inserts)));
          for (const tuple of added) {
            for (const slot of tuple) batch.push(bindSlot(slot));
            batch.push(id);
            batch.endRow();
          }
          continue;
        }
        // The usual change (one key tuple for another, e.g. a new lastPosition): one statement, not two.
        if (removed.length === 1 && added.length === 1) {
          // No old entry to move (as DELETE then INSERT would not care): the new one is inserted.
          if (runEntry(statements.move, added[0], id, removed[0]) === 0) runEntry(statements.insert, added[0], id);
          continue;
        }
        for (const tuple of removed) runEntry(statements.remove, tuple, id);
        for (const tuple of added) runEntry(statements.insert, tuple, id);
      }
      for (const batch of newEntries?.values() ?? []) batch.finish();
      for (const [index, flags] of multikey ?? []) {
        if (flags.some((flag, i) => flag !== index.multikey[i])) this.statements.setMultikey.run(JSON.stringify(flags), index.id);
      }
      this.statements.putCheckpoint.run(projection, position.toString());
    })();
    for (const { collection, id, doc, before } of changes) {
      if (!doc || before) continue;
      const bound = this.idBounds.get(collection);
      if (bound === null || (bound !== undefined && afterInFileOrder(id, bound))) this.idBounds.set(collection, id);
    }
    // Committed: the planner may now rely on the flags (set only ever widens what a plan reads).
    for (const [index, flags] of multikey ?? []) index.multikey = flags;
    return bodies;
  }

  clear(collections: readonly string[], projections: readonly string[]): void {
    this.db.transaction(() => {
      for (const collection of collections) {
        this.statements.clearCollection.run(collection);
        for (const index of this.indexesOf(collection)) {
          this.db.exec(`DELETE FROM ${index.table}`);
          this.statements.setMultikey.run(JSON.stringify(index.fields.map(() => false)), index.id);
        }
      }
      for (const projection of projections) this.statements.deleteCheckpoint.run(projection);
    })();
    for (const collection of collections) {
      this.idBounds.set(collection, null);
      for (const index of this.indexesOf(collection)) index.multikey = index.fields.map(() => false);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Index entries to remove and add for one document change, per index of its collection, appended to `out`. */
  private entryChanges(change: DocumentChange, out: EntryChange[]): void {
    const indexes = this.indexesOf(change.collection);
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i];
      // Most writes leave the indexed fields as they were.
      if (change.before && change.doc && sameSingleKeys(change.before, change.doc, index.paths)) continue;
      const before = change.before ? documentKeys(change.before, index.paths).tuples : NO_TUPLES;
      const after = change.doc ? documentKeys(change.doc, index.paths) : NO_KEYS;
      if (before.length === 0 || after.tuples.length === 0) {
        // Created or deleted (or gaining or losing its keys): nothing to diff.
        if (before.length > 0 || after.tuples.length > 0) out.push({ index, id: change.id, removed: before, added: after.tuples, several: after.multikey });
        continue;
      }
      if (before.length === 1 && after.tuples.length === 1) {
        // Most others change one key of one tuple.
        if (sameTuple(before[0], after.tuples[0])) continue;
        out.push({ index, id: change.id, removed: before, added: after.tuples, several: after.multikey });
        continue;
      }
      const beforeIds = new Set(before.map(tupleId));
      const afterIds = new Set(after.tuples.map(tupleId));
      const removed = before.filter((tuple) => !afterIds.has(tupleId(tuple)));
      const added = after.tuples.filter((tuple) => !beforeIds.has(tupleId(tuple)));
      if (removed.length > 0 || added.length > 0 || after.multikey.some(Boolean)) {
        out.push({ index, id: change.id, removed, added, several: after.multikey });
      }
    }
  }

  private insertEntry(index: SqliteIndex): Statement {
    return this.entryStatements(index).insert;
  }

  private entryStatements(index: SqliteIndex): EntryStatements {
    let statements = this.entryStatementsByIndex.get(index.id);
    if (!statements) {
      const columns = index.fields.map((_field, i) => `k${i}`);
      const inserts = prepareInsert(this.db, 'OR IGNORE', index.table, [...columns, 'id']);
      statements = {
        insert: inserts.one as Statement,
        inserts,
        remove: this.db.prepare(`DELETE FROM ${index.table} WHERE ${columns.map((column) => `${column} = ?`).join(' AND ')} AND id = ?`),
        // OR REPLACE: if the new entry were there already, the old one still goes (as DELETE then INSERT OR IGNORE would do).
        move: this.db.prepare(
          `UPDATE OR REPLACE ${index.table} SET ${columns.map((column) => `${column} = ?`).join(', ')} ` +
            `WHERE ${columns.map((column) => `${column} = ?`).join(' AND ')} AND id = ?`,
        ),
      };
      this.entryStatementsByIndex.set(index.id, statements);
    }
    return statements;
  }

  private statement(sql: string): Statement {
    let statement = this.cachedStatements.get(sql);
    if (!statement) this.cachedStatements.set(sql, (statement = this.db.prepare<unknown[], Row>(sql)));
    return statement;
  }
}

function toIndex(id: number, collection: string, fields: string[], multikey: boolean[]): SqliteIndex {
  return { id, collection, fields, paths: fields.map((field) => field.split('.')), multikey, table: `ix_${id}` };
}

type Direction = 'ASC' | 'DESC';

function scanQuery(collection: string, idRange: Range | undefined, direction: Direction): { sql: string; params: unknown[] } {
  const params: unknown[] = [collection];
  const where = ['collection = ?', ...rangeConditions('id', idRange, params)];
  return { sql: `SELECT id, body FROM docs WHERE ${where.join(' AND ')} ORDER BY id ${direction}`, params };
}

/**
 * Entries of one prefix (and range), each joined to its body. CROSS JOIN keeps the
 * index table the outer loop. With `direction`, rows come in id order (the caller
 * made sure nothing lies between the prefix and the id).
 */
function indexQuery(
  collection: string,
  index: SqliteIndex,
  prefix: readonly (string | number)[],
  range: Range | undefined,
  idRange: Range | undefined,
  direction: Direction | null,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [collection, ...prefix];
  const where = prefix.map((_value, i) => `x.k${i} = ?`);
  where.push(...rangeConditions(`x.k${prefix.length}`, range, params), ...rangeConditions('x.id', idRange, params));
  const order = direction ? ` ORDER BY x.id ${direction}` : '';
  return {
    sql: `SELECT x.id AS id, d.body AS body FROM ${index.table} x CROSS JOIN docs d ON d.collection = ? AND d.id = x.id WHERE ${where.join(' AND ')}${order}`,
    params,
  };
}

/**
 * SQL for a range of one type. SQLite orders numbers < strings < BLOBs, and MongoDB
 * compares only like with like, so an open side is closed at the type's edge:
 * numbers below '' (the least string), strings from '' and below x'' (the least BLOB).
 */
function rangeConditions(column: string, range: Range | undefined, params: unknown[]): string[] {
  if (!range) return [];
  const conditions: string[] = [];
  if (range.lower) {
    conditions.push(`${column} ${range.lower.inclusive ? '>=' : '>'} ?`);
    params.push(range.lower.value);
  } else if (range.type === 'string') {
    conditions.push(`${column} >= ''`);
  }
  if (range.upper) {
    conditions.push(`${column} ${range.upper.inclusive ? '<=' : '<'} ?`);
    params.push(range.upper.value);
  } else {
    conditions.push(range.type === 'string' ? `${column} < x''` : `${column} < ''`);
  }
  return conditions;
}
