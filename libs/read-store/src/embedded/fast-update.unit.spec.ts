import { update as mingoUpdate } from 'mingo';
import type { Doc } from '../read-store.port';
import { applyUpdate } from './apply-update';
import { tryFastUpdate } from './fast-update';

/** The fast path must give exactly what mingo (MongoDB semantics) gives, or decline. */
describe('tryFastUpdate', () => {
  const base = (): Doc => ({ _id: 'x', n: 1, s: 'b', tags: ['a'], nested: { count: 2 }, list: [1, 2, 2, 3] });
  const cases: Record<string, Record<string, unknown>> = {
    'set top-level and nested, creating parents': { $set: { n: 5, 'nested.count': 7, 'deep.new.path': { a: [1, { b: 2 }] } } },
    'unset existing and missing': { $unset: { n: '', 'nested.count': '', missing: '' } },
    'inc existing and missing': { $inc: { n: 2, 'nested.count': -1, fresh: 3 } },
    'max and min on numbers and strings': { $max: { n: 0, fresh: 4 }, $min: { s: 'a' } },
    'push values and objects': { $push: { tags: 'b', newList: { k: 1 } } },
    'addToSet new, existing and on a missing field': { $addToSet: { tags: 'a', more: 'z' } },
    'pull all equal values': { $pull: { list: 2 } },
    'several paths under one existing parent': { $inc: { 'nested.count': 2, 'nested.more': 1 }, $max: { 'nested.top': 3 }, $unset: { 'nested.gone': '' } },
    'several paths under one missing parent, created once': {
      $set: { 'fresh.a': 1 },
      $inc: { 'fresh.b': 2 },
      $push: { 'fresh.c': 'x' },
      $addToSet: { 'fresh.d': 'y' },
    },
  };

  it.each(Object.entries(cases))('%s', (_name, modifier) => {
    const fast = base();
    const slow = base();
    expect(tryFastUpdate(fast, modifier)).toBe(true);
    mingoUpdate(slow, modifier as Parameters<typeof mingoUpdate>[1], undefined, undefined, { cloneMode: 'deep' });
    expect(fast).toEqual(slow);
  });

  it.each([
    ['conflicting paths', { $set: { n: 1 }, $inc: { n: 1 } }],
    ['a parent and its child', { $set: { nested: {} }, $inc: { 'nested.count': 1 } }],
    ['array positions', { $set: { 'list.0': 9 } }],
    ['a numeric part below an array', { $max: { 'list.1.x': 9 } }],
    ['a path through a scalar (an error in MongoDB)', { $set: { 'n.x': 1 } }],
    ['a numeric path through a scalar', { $inc: { 's.3': 1 } }],
    ['$each', { $addToSet: { tags: { $each: ['x', 'y'] } } }],
    ['$inc on a string', { $inc: { s: 1 } }],
    ['dates', { $set: { at: new Date() } }],
    ['operators it does not know', { $mul: { n: 2 } }],
  ])('declines %s (mingo decides)', (_name, modifier) => {
    const doc = base();
    expect(tryFastUpdate(doc, modifier as Record<string, unknown>)).toBe(false);
    expect(doc).toEqual(base());
  });

  it('takes numeric parts as object keys where every existing part is an object, as MongoDB does', () => {
    const doc = base();
    expect(tryFastUpdate(doc, { $max: { 'slots.20': 5, 'nested.7': 2 }, $inc: { 'deep.3.4': 1 } })).toBe(true);
    expect(tryFastUpdate(doc, { $max: { 'slots.20': 4, 'slots.3': 1 } })).toBe(true);
    expect(tryFastUpdate(doc, { $max: { 'slots.20': 6 } })).toBe(true);
    expect(doc).toEqual({ ...base(), slots: { '3': 1, '20': 6 }, nested: { count: 2, '7': 2 }, deep: { '3': { '4': 1 } } });
    expect(Array.isArray(doc.slots)).toBe(false);
    // JSON keeps them keys of an object (what MongoDB stores, and what a reopened store decodes).
    expect(JSON.parse(JSON.stringify(doc)).slots).toEqual({ '3': 1, '20': 6 });
  });

  describe('$addToSet on long arrays (a Set kept beside them)', () => {
    const long = (): Doc => ({ _id: 'x', users: Array.from({ length: 40 }, (_, i) => `u${i}`) });
    const addAll = (doc: Doc, values: unknown[]) => {
      for (const value of values) expect(tryFastUpdate(doc, { $addToSet: { users: value } })).toBe(true);
    };

    it('adds each value once, as mingo does, across $push and other arrays', () => {
      const fast = long();
      const slow = long();
      const other = long();
      const steps: Record<string, unknown>[] = [
        { $addToSet: { users: 'u3' } },
        { $addToSet: { users: 'new' } },
        { $addToSet: { users: 'new' } },
        { $push: { users: 'pushed' } },
        { $addToSet: { users: 'pushed' } },
        { $addToSet: { users: 7 } },
        { $addToSet: { users: '7' } },
        { $addToSet: { users: null } },
        { $addToSet: { users: null } },
      ];
      for (const step of steps) {
        expect(tryFastUpdate(fast, step)).toBe(true);
        mingoUpdate(slow, step as Parameters<typeof mingoUpdate>[1], undefined, undefined, { cloneMode: 'deep' });
        // Another array with the same values keeps its own membership.
        expect(tryFastUpdate(other, { $addToSet: { users: 'only-other' } })).toBe(true);
      }
      expect(fast).toEqual(slow);
      expect((other.users as unknown[]).filter((user) => user === 'only-other')).toHaveLength(1);
    });

    it('sees elements mingo changed in place', () => {
      const doc = long();
      addAll(doc, ['first']);
      // A numeric path is mingo's: it may rewrite the element in place, length unchanged.
      expect(applyUpdate(doc, { $set: { 'users.0': 'replaced' } }, false)).toBe(false);
      addAll(doc, ['replaced', 'u0']);
      const users = doc.users as unknown[];
      expect(users.filter((user) => user === 'replaced')).toHaveLength(1);
      expect(users.filter((user) => user === 'u0')).toHaveLength(1);
    });
  });
});
