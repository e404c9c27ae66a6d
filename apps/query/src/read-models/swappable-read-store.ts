import type { Doc, Filter, FindOptions, ReadStore, WriteOp } from '@ses/read-store';

/**
 * The read store the query app's resolvers and projection engine hold: it forwards
 * to the active generation and can be pointed at a rebuilt one while requests keep
 * flowing (a request sees one generation or the other, never a mix of writes).
 */
export class SwappableReadStore implements ReadStore {
  constructor(
    private current: ReadStore,
    private currentGeneration: string,
  ) {}

  get generation(): string {
    return this.currentGeneration;
  }

  /** Points at `next` and returns the store it replaced (the caller closes it). */
  swap(next: ReadStore, generation: string): ReadStore {
    const previous = this.current;
    this.current = next;
    this.currentGeneration = generation;
    return previous;
  }

  find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions): Promise<T[]> {
    return this.current.find<T>(collection, filter, options);
  }

  findOne<T extends Doc = Doc>(collection: string, filter: Filter): Promise<T | null> {
    return this.current.findOne<T>(collection, filter);
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.current.count(collection, filter);
  }

  commit(projection: string, position: bigint, ops: readonly WriteOp[]): Promise<void> {
    return this.current.commit(projection, position, ops);
  }

  checkpoint(projection: string): Promise<bigint | null> {
    return this.current.checkpoint(projection);
  }

  ensureIndex(collection: string, fields: Record<string, 1 | -1>): Promise<void> {
    return this.current.ensureIndex(collection, fields);
  }

  /** The active generation's lease; a store without leases (embedded) is always its one writer. */
  claimLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.current.claimLease ? this.current.claimLease(name, owner, ttlMs) : Promise.resolve(true);
  }

  reset(collections: readonly string[], projections: readonly string[]): Promise<void> {
    return this.current.reset(collections, projections);
  }

  close(): Promise<void> {
    return this.current.close();
  }
}
