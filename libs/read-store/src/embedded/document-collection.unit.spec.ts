import { DocumentCollection } from './document-collection';
import type { StoredDoc } from './stored-doc';

const doc = (id: string, fields: Record<string, unknown>): StoredDoc => ({ _id: id, _pos: '0', ...fields });

describe('DocumentCollection candidates', () => {
  let collection: DocumentCollection;
  beforeEach(() => {
    collection = new DocumentCollection();
    collection.put(doc('a', { status: 'ACTIVE', tags: ['x', 'y'], plan: { tier: 'gold' } }));
    collection.put(doc('b', { status: 'SUSPENDED', tags: ['y'], plan: [{ tier: 'silver' }, { tier: 'gold' }] }));
    collection.put(doc('c', { status: 1 }));
  });
  const ids = (filter: Record<string, unknown>): string[] => [...collection.candidateIds(filter)].sort();

  it('looks up _id directly', () => {
    expect(ids({ _id: 'b', status: 'whatever' })).toEqual(['b']);
    expect(ids({ _id: 'zz' })).toEqual([]);
  });

  it('scans everything without a usable index', () => {
    expect(ids({ status: 'ACTIVE' })).toEqual(['a', 'b', 'c']);
  });

  it('narrows plain and $eq equalities through the index, distinguishing types', () => {
    collection.ensureIndex('status');
    expect(ids({ status: 'ACTIVE' })).toEqual(['a']);
    expect(ids({ status: { $eq: 'SUSPENDED' } })).toEqual(['b']);
    expect(ids({ status: 1 })).toEqual(['c']);
    expect(ids({ status: '1' })).toEqual([]);
    expect(ids({ status: { $in: ['ACTIVE'] } })).toEqual(['a', 'b', 'c']);
  });

  it('indexes array elements and arrays along dotted paths', () => {
    collection.ensureIndex('tags');
    collection.ensureIndex('plan.tier');
    expect(ids({ tags: 'y' })).toEqual(['a', 'b']);
    expect(ids({ 'plan.tier': 'gold' })).toEqual(['a', 'b']);
  });

  it('keeps the index in step with puts and deletes', () => {
    collection.ensureIndex('status');
    collection.put(doc('a', { status: 'CLOSED' }));
    collection.delete('b');
    collection.put(doc('d', { status: 'ACTIVE' }));
    expect(ids({ status: 'ACTIVE' })).toEqual(['d']);
    expect(ids({ status: 'CLOSED' })).toEqual(['a']);
    expect(ids({ status: 'SUSPENDED' })).toEqual([]);
    collection.clear();
    expect(ids({ status: 'ACTIVE' })).toEqual([]);
  });

  it('does not hash positional paths', () => {
    collection.ensureIndex('tags.0');
    expect(ids({ 'tags.0': 'x' })).toEqual(['a', 'b', 'c']);
  });
});
