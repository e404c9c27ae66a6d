import { Query } from 'mingo';
import type { Filter } from '../read-store.port';
import type { DocumentCollection } from './document-collection';
import type { DocumentChange } from './sqlite-document-file';
import type { StoredDoc } from './stored-doc';
import { deepCopy } from './deep-copy';

/**
 * The documents one commit has touched, as private copies over the committed
 * state. Nothing here is visible to readers until the caller publishes changes().
 */
export class CommitStage {
  /** collection -> id -> staged copy, or null when deleted in this batch. */
  private readonly staged = new Map<string, Map<string, StoredDoc | null>>();

  constructor(private readonly committed: (collection: string) => DocumentCollection | undefined) {}

  /** The document as this batch sees it. */
  read(collection: string, id: string): StoredDoc | undefined {
    const staged = this.staged.get(collection);
    if (staged?.has(id)) return staged.get(id) ?? undefined;
    return this.committed(collection)?.get(id);
  }

  /** Documents matching `filter` as this batch sees them. */
  matching(collection: string, filter: Filter): StoredDoc[] {
    const staged = this.staged.get(collection);
    const ids = new Set(this.committed(collection)?.candidateIds(filter) ?? []);
    // Staged copies may no longer sit in the committed index buckets they now match.
    for (const id of staged?.keys() ?? []) ids.add(id);
    const query = new Query(filter);
    const matches: StoredDoc[] = [];
    for (const id of ids) {
      const doc = this.read(collection, id);
      if (doc && query.test(doc)) matches.push(doc);
    }
    return matches;
  }

  /** A private copy of an existing document to modify in place. */
  editable(collection: string, id: string): StoredDoc {
    const staged = this.collection(collection);
    const copy = staged.get(id);
    if (copy) return copy;
    const committed = this.committed(collection)?.get(id);
    if (!committed) throw new Error(`No document ${collection}/${id} to edit`);
    const clone = deepCopy(committed);
    staged.set(id, clone);
    return clone;
  }

  insert(collection: string, doc: StoredDoc): void {
    this.collection(collection).set(doc._id, doc);
  }

  remove(collection: string, id: string): void {
    this.collection(collection).set(id, null);
  }

  changes(): DocumentChange[] {
    const changes: DocumentChange[] = [];
    for (const [collection, docs] of this.staged) {
      for (const [id, doc] of docs) changes.push({ collection, id, doc });
    }
    return changes;
  }

  private collection(name: string): Map<string, StoredDoc | null> {
    let docs = this.staged.get(name);
    if (!docs) this.staged.set(name, (docs = new Map()));
    return docs;
  }
}
