import { documentKeys, NO_KEY } from './index-keys';
import { planQuery, type PlannableIndex } from './query-plan';

const index = (fields: string[], multikey = fields.map(() => false)): PlannableIndex => ({ fields, multikey });

describe('planQuery', () => {
  const byPool = index(['pool', 'day']);
  const changed = index(['pool', 'p']);
  const byAccount = index(['accountId']);

  it('looks up _id equality and $in of strings directly', () => {
    expect(planQuery({ _id: 'a', accountId: 'x' }, [byAccount])).toEqual({ kind: 'ids', ids: ['a'] });
    expect(planQuery({ _id: { $in: ['a', 'b', 'a'] } }, [])).toEqual({ kind: 'ids', ids: ['a', 'b'] });
  });

  it('picks the index that binds most leading fields: equalities, then a range on the next', () => {
    expect(planQuery({ pool: 'P', p: { $gt: 7 } }, [byPool, changed])).toMatchObject({
      index: changed,
      prefixes: [['P']],
      range: { type: 'number', lower: { value: 7, inclusive: false } },
    });
    expect(planQuery({ pool: 'P', day: { $gte: '2025-01-01', $lte: '2025-12-31' } }, [changed, byPool])).toMatchObject({
      index: byPool,
      range: { type: 'string', lower: { value: '2025-01-01', inclusive: true }, upper: { value: '2025-12-31', inclusive: true } },
    });
    expect(planQuery({ pool: 'P', day: '2025-01-02' }, [byPool])).toMatchObject({ prefixes: [['P', '2025-01-02']], byId: true });
  });

  it('serves a prefix of a compound index, in _id order only when every field is bound to one value', () => {
    expect(planQuery({ pool: 'P' }, [byPool])).toMatchObject({ kind: 'index', prefixes: [['P']], byId: false });
    expect(planQuery({ accountId: 'a', _id: { $gt: 'k' } }, [byAccount])).toMatchObject({ prefixes: [['a']], idRange: { lower: { value: 'k' } }, byId: true });
    expect(planQuery({ accountId: { $in: ['a', 'b'] } }, [byAccount])).toMatchObject({ prefixes: [['a'], ['b']], byId: false });
  });

  it('scans (in _id order) when no index can narrow the filter', () => {
    for (const filter of [
      {},
      { other: 'x' },
      { accountId: true },
      { accountId: null },
      { accountId: { $ne: 'a' } },
      { accountId: new Date(0) },
      { accountId: ['a'] },
      { accountId: { $exists: true } },
    ]) {
      expect({ filter, plan: planQuery(filter, [byAccount]) }).toEqual({ filter, plan: { kind: 'scan', byId: true } });
    }
    expect(planQuery({ _id: { $gte: 'a', $lt: 'b' } }, [])).toEqual({
      kind: 'scan',
      idRange: { type: 'string', lower: { value: 'a', inclusive: true }, upper: { value: 'b', inclusive: false } },
      byId: true,
    });
  });

  it('keeps one type of bound, and only one bound on a multikey field', () => {
    expect(planQuery({ accountId: { $gte: 1, $lt: 'z' } }, [byAccount])).toMatchObject({ range: { type: 'number', lower: { value: 1 } } });
    expect(planQuery({ tags: { $gt: 'a', $lt: 'm' } }, [index(['tags'], [true])])).toEqual({
      kind: 'index',
      index: index(['tags'], [true]),
      prefixes: [[]],
      range: { type: 'string', lower: { value: 'a', inclusive: false } },
      byId: false,
    });
  });

  it('narrows by fewer fields rather than try too many $in combinations', () => {
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const plan = planQuery({ pool: { $in: values }, day: { $in: values } }, [byPool]);
    expect(plan).toMatchObject({ kind: 'index' });
    expect(plan.kind === 'index' && plan.prefixes.every((prefix) => prefix.length === 1)).toBe(true);
  });
});

describe('documentKeys', () => {
  const paths = (...fields: string[]) => fields.map((field) => field.split('.'));

  it('has one tuple for plain values, NO_KEY after the first field for missing ones, none without a first key', () => {
    expect(documentKeys({ pool: 'P', day: 'D' }, paths('pool', 'day'))).toEqual({ tuples: [['P', 'D']], multikey: [false, false] });
    expect(documentKeys({ pool: 'P' }, paths('pool', 'day'))).toEqual({ tuples: [['P', NO_KEY]], multikey: [false, false] });
    expect(documentKeys({ day: 'D' }, paths('pool', 'day')).tuples).toEqual([]);
    expect(documentKeys({ pool: true }, paths('pool')).tuples).toEqual([]);
  });

  it('keys every array element met along a path, strings apart from numbers', () => {
    expect(documentKeys({ tags: ['x', 'y', 'x', 1, '1', null, { a: 1 }] }, paths('tags'))).toEqual({ tuples: [['x'], ['y'], [1], ['1']], multikey: [true] });
    expect(documentKeys({ plan: [{ tier: 'gold' }, { tier: 'silver' }] }, paths('plan.tier')).tuples).toEqual([['gold'], ['silver']]);
    expect(documentKeys({ a: 'A', tags: ['x', 'y'] }, paths('a', 'tags')).tuples).toEqual([
      ['A', 'x'],
      ['A', 'y'],
    ]);
  });
});
