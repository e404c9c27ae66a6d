import { Query } from 'mingo';
import type { Filter } from '../read-store.port';
import type { DocumentChange } from './sqlite-document-file';
import type { StoredDoc } from './stored-doc';
import { deepCopy } from './deep-copy';
import { markMayHoldDates, mayHoldDates } from './document-codec';

/** The committed state a commit starts from (cache, then file). */
export interface CommittedDocuments {
  get(collection: string, id: string): StoredDoc | undefined;
  /** Committed documents that may match `filter` (a superset). */
  candidates(collection: string, filter: Filter): StoredDoc[];
  /** Whether a reader may hold `doc` or values inside it (then a commit edits a copy). */
  lent(doc: StoredDoc): boolean;
  /** What the collection's indexes read of `doc`, copied: enough to find its old index entries once it is edited in place. */
  indexedFields(collection: string, doc: StoredDoc): StoredDoc;
}

interface Staged {
  /** The document as this batch leaves it, or null when deleted. */
  doc: StoredDoc | null;
  /** The committed document it replaces (its index entries go). */
  before: StoredDoc | undefined;
}

/**
 * The documents one commit has touched, over the committed state. A committed
 * document that no reader holds is edited in place (a deep copy of every touched
 * document was a third of the commit's time, with the GC it caused); one a reader
 * may hold is copied first. Documents edited in place are listed by editedInPlace():
 * if the commit fails, the caller must drop them from its cache (they no longer
 * match the file). The commit runs without yielding (no await between staging and
 * publishing), so no reader sees a half-applied batch.
 */
export class CommitStage {
  private readonly staged = new Map<string, Map<string, Staged>>();
  private readonly inPlace: { collection: string; id: string }[] = [];

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

  /** `current` (a document read() returned), or a private copy of it if a reader may hold it, to modify in place. */
  editable(collection: string, current: StoredDoc): StoredDoc {
    const staged = this.collection(collection);
    const existing = staged.get(current._id);
    if (existing?.doc) return existing.doc;
    if (this.committed.lent(current)) {
      const copy = deepCopy(current);
      if (mayHoldDates(current)) markMayHoldDates(copy);
      staged.set(current._id, { doc: copy, before: current });
      return copy;
    }
    staged.set(current._id, { doc: current, before: this.committed.indexedFields(collection, current) });
    this.inPlace.push({ collection, id: current._id });
    return current;
  }

  /** Committed documents this stage has modified in place: stale in the cache if the commit does not go through. */
  editedInPlace(): readonly { collection: string; id: string }[] {
    return this.inPlace;
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
