import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeDocument, encodeDocument } from './document-codec';
import type { StoredDoc } from './stored-doc';

export interface DocumentChange {
  collection: string;
  id: string;
  /** The new body, or null to delete the document. */
  doc: StoredDoc | null;
}

export interface LoadedDocument {
  collection: string;
  doc: StoredDoc;
}

/** The embedded read store's SQLite file: document bodies and projection checkpoints. */
export class SqliteDocumentFile {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Docs and checkpoint share one transaction, so losing the last commits on
    // power failure only makes the projection replay them; NORMAL is enough.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS docs (
        collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL);
    `);
    this.statements = {
      allDocs: this.db.prepare<[], { collection: string; body: string }>('SELECT collection, body FROM docs'),
      allCheckpoints: this.db.prepare<[], { projection: string; position: string }>('SELECT projection, position FROM checkpoints'),
      putDoc: this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO docs (collection, id, body) VALUES (?, ?, ?)'),
      deleteDoc: this.db.prepare<[string, string]>('DELETE FROM docs WHERE collection = ? AND id = ?'),
      clearCollection: this.db.prepare<[string]>('DELETE FROM docs WHERE collection = ?'),
      putCheckpoint: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO checkpoints (projection, position) VALUES (?, ?)'),
      deleteCheckpoint: this.db.prepare<[string]>('DELETE FROM checkpoints WHERE projection = ?'),
    };
  }

  *loadDocuments(): Generator<LoadedDocument> {
    for (const row of this.statements.allDocs.iterate()) {
      yield { collection: row.collection, doc: decodeDocument(row.body) };
    }
  }

  loadCheckpoints(): Map<string, bigint> {
    const checkpoints = new Map<string, bigint>();
    for (const row of this.statements.allCheckpoints.iterate()) {
      checkpoints.set(row.projection, BigInt(row.position));
    }
    return checkpoints;
  }

  /** Writes the changes and the checkpoint in one transaction: all or nothing. */
  save(changes: readonly DocumentChange[], projection: string, position: bigint): void {
    // Encode first so an unencodable value fails before anything is written.
    const encoded = changes.map((change) => ({ ...change, body: change.doc && encodeDocument(change.doc) }));
    this.db.transaction(() => {
      for (const { collection, id, body } of encoded) {
        if (body === null) this.statements.deleteDoc.run(collection, id);
        else this.statements.putDoc.run(collection, id, body);
      }
      this.statements.putCheckpoint.run(projection, position.toString());
    })();
  }

  clear(collections: readonly string[], projections: readonly string[]): void {
    this.db.transaction(() => {
      for (const collection of collections) this.statements.clearCollection.run(collection);
      for (const projection of projections) this.statements.deleteCheckpoint.run(projection);
    })();
  }

  close(): void {
    this.db.close();
  }
}
