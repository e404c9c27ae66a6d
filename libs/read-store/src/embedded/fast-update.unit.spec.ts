import { update as mingoUpdate } from 'mingo';
import type { Doc } from '../read-store.port';
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
    ['$each', { $addToSet: { tags: { $each: ['x', 'y'] } } }],
    ['$inc on a string', { $inc: { s: 1 } }],
    ['dates', { $set: { at: new Date() } }],
    ['operators it does not know', { $mul: { n: 2 } }],
  ])('declines %s (mingo decides)', (_name, modifier) => {
    const doc = base();
    expect(tryFastUpdate(doc, modifier as Record<string, unknown>)).toBe(false);
    expect(doc).toEqual(base());
  });
});
