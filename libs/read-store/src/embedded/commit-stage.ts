import { Query } from 'mingo';
import type { Filter } from '../read-store.port';
import type { DocumentChange } from './sqlite-document-file';
import type { StoredDoc } from './stored-doc';
import { deepCopy } from './deep-copy';

/** The committed state a commit starts from (cache, then file). */
export interface CommittedDocuments {
  get(collection: string, id: string): StoredDoc | undefined;
  /** Committed documents that may match `filter` (a superset). */
  candidates(collection: string, filter: Filter): StoredDoc[];
}

interface Staged {
  /** The document as this batch leaves it, or null when deleted. */
  doc: StoredDoc | null;
  /** The committed document it replaces (its index entries go). */
  before: StoredDoc | undefined;
}

/**
 * The documents one commit has touched, as private copies over the committed
 * state. Committed documents are never modified (readers may hold them); nothing
 * here is visible to readers until the caller has saved changes() and published them.
 */
export class CommitStage {
  private readonly staged = new Map<string, Map<string, Staged>>();

  constructor(private readonly committed: CommittedDocuments) {}

  /** The document as this batch sees it. */
  read(collection: string, id: string): StoredDoc | undefined {
    const staged = this.staged.get(collection)?.get(id);
    if (staged) return staged.doc ?? undefined;
    return this.committed.get(collection, id);
  }

  /** Documents matching `filter` as this batch sees them. */
  matching(collection: string, filter: Filter): StoredDoc[] {
    const staged = this.staged.get(collection);
    const query = new Query(filter);
    const matches: StoredDoc[] = [];
    const seen = new Set<string>();
    for (const committed of this.committed.candidates(collection, filter)) {
      if (seen.has(committed._id)) continue;
      seen.add(committed._id);
      const doc = staged?.has(committed._id) ? staged.get(committed._id)!.doc : committed;
      if (doc && query.test(doc)) matches.push(doc);
    }
    // Staged documents may not be where the committed index has them (or anywhere yet).
    for (const [id, { doc }] of staged ?? []) {
      if (!seen.has(id) && doc && query.test(doc)) matches.push(doc);
    }
    return matches;
  }

  /** A private copy of `current` (a document read() returned) to modify in place. */
  editable(collection: string, current: StoredDoc): StoredDoc {
    const staged = this.collection(collection);
    const existing = staged.get(current._id);
    if (existing?.doc) return existing.doc;
    const copy = deepCopy(current);
    staged.set(current._id, { doc: copy, before: current });
    return copy;
  }

  /** A document that read() did not find. */
  insert(collection: string, doc: StoredDoc): void {
    const staged = this.collection(collection);
    staged.set(doc._id, { doc, before: staged.get(doc._id)?.before });
  }

  remove(collection: string, current: StoredDoc): void {
    const staged = this.collection(collection);
    const existing = staged.get(current._id);
    staged.set(current._id, { doc: null, before: existing ? existing.before : current });
  }

  changes(): DocumentChange[] {
    const changes: DocumentChange[] = [];
    for (const [collection, docs] of this.staged) {
      for (const [id, { doc, before }] of docs) {
        // Created and deleted within the batch: nothing to write.
        if (doc || before) changes.push({ collection, id, doc, before });
      }
    }
    return changes;
  }

  private collection(name: string): Map<string, Staged> {
    let docs = this.staged.get(name);
    if (!docs) this.staged.set(name, (docs = new Map()));
    return docs;
  }
}
