import { UsageDimension as Dim } from '../graphql/types';
import { ANALYTICS } from './analytics.keys';
import { AnalyticsQueries } from './analytics.queries';
import { seededRandom } from './testing/seeded-random';
import { ACCOUNT, UsageFixture } from './testing/usage-fixture';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (at: string) => Date.parse(at);

/**
 * A random history of three products and eight users in two countries over ten weeks with a
 * quiet week in the middle: sessions of 5 minutes to 30 hours (across midnight, some still
 * running at the end), a tenth timed out, check-outs of one to nine days (levels carried
 * through days without samples, samples on days without a session started).
 */
async function history(seed: number): Promise<UsageFixture> {
  const random = seededRandom(seed);
  const f = await UsageFixture.open();
  const products = ['P', 'Q', 'R'];
  for (const product of products) f.grant(`e-${product}`, product, 4, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
  const actions: { at: number; run: (fx: UsageFixture) => void }[] = [];
  const spans: [number, number][] = [
    [ms('2026-03-01T00:00:00Z'), ms('2026-04-01T00:00:00Z')],
    [ms('2026-04-08T00:00:00Z'), ms('2026-05-10T00:00:00Z')],
  ];
  for (let n = 0; n < 400; n++) {
    const [from, to] = spans[n % spans.length];
    const at = from + Math.floor(random() * (to - from));
    const user = Math.floor(random() * 8);
    const product = products[Math.floor(random() * products.length)];
    const id = `s${n}`;
    const length = random() < 0.1 ? (10 + Math.floor(random() * 20)) * HOUR : (5 + Math.floor(random() * 120)) * MINUTE;
    actions.push({ at, run: (fx) => fx.start(id, `u${user}`, product, iso(at), `m${user}`, user % 2 ? 'US' : 'DE') });
    if (random() < 0.1) continue; // still running
    if (random() < 0.1) actions.push({ at: at + length + 15 * MINUTE, run: (fx) => fx.timeOut(id, iso(at + length), iso(at + length + 15 * MINUTE)) });
    else actions.push({ at: at + length, run: (fx) => fx.end(id, iso(at + length)) });
    if (random() < 0.05) {
      const expires = at + (1 + Math.floor(random() * 9)) * DAY;
      actions.push({ at: at + 1, run: (fx) => fx.checkOut(`c${n}`, `u${user}`, product, iso(at + 1), iso(expires)) });
      actions.push({ at: expires, run: (fx) => fx.expire(`c${n}`, iso(expires)) });
    }
  }
  actions.sort((a, b) => a.at - b.at);
  for (const action of actions) action.run(f);
  return f.project(50);
}

const SHAPES: { groupBy: Dim[]; filter: { productId?: string } }[] = [
  { groupBy: [Dim.PRODUCT], filter: {} },
  { groupBy: [Dim.PRODUCT, Dim.DAY], filter: {} },
  { groupBy: [Dim.PRODUCT, Dim.COUNTRY, Dim.DAY], filter: {} },
  { groupBy: [Dim.PRODUCT, Dim.COUNTRY], filter: {} },
  { groupBy: [Dim.DAY], filter: { productId: 'Q' } },
  { groupBy: [Dim.COUNTRY, Dim.DAY], filter: { productId: 'R' } },
  { groupBy: [Dim.COUNTRY], filter: { productId: 'P' } },
  // Rows spanning products: summed bucket peaks, never the day summaries.
  { groupBy: [Dim.DAY], filter: {} },
  { groupBy: [Dim.COUNTRY], filter: {} },
];

const WINDOWS: [string, string, string][] = [
  ['the whole history', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'],
  ['whole days carried in from a long check-out', '2026-04-03T00:00:00Z', '2026-04-12T00:00:00Z'],
  ['one day', '2026-03-15T00:00:00Z', '2026-03-16T00:00:00Z'],
  ['days cut by the window (bucket peaks)', '2026-03-10T05:00:00Z', '2026-03-20T17:00:00Z'],
  ['the quiet week only', '2026-04-01T00:00:00Z', '2026-04-08T00:00:00Z'],
];

describe('usage reports of whole days by product: peaks from the day summaries', () => {
  for (const seed of [3, 4]) {
    describe(`random history ${seed}`, () => {
      let f: UsageFixture;
      let fromBuckets: AnalyticsQueries;
      beforeAll(async () => {
        f = await history(seed);
        fromBuckets = new AnalyticsQueries(f.store);
        fromBuckets.daySummaryPeaks = false;
      });
      afterAll(() => f.store.close());

      for (const [name, from, to] of WINDOWS) {
        for (const { groupBy, filter } of SHAPES) {
          it(`[${groupBy.join(', ')}] ${JSON.stringify(filter)}, ${name}: every row as with the bucket peaks`, async () => {
            const args = { accountId: ACCOUNT, from: iso(ms(from)), to: iso(ms(to)), groupBy, ...filter };
            const expected = await fromBuckets.usageReport(args);
            if (name !== 'the quiet week only') expect(expected.some((row) => row.peakConcurrent > 0)).toBe(true);
            expect(await f.queries.usageReport(args)).toEqual(expected);
          });
        }
      }
    });
  }

  /** Collections a fresh AnalyticsQueries reads to answer one report. */
  async function collectionsRead(f: UsageFixture, groupBy: Dim[], from: string, to: string): Promise<string[]> {
    const queries = new AnalyticsQueries(f.store);
    const read: string[] = [];
    const find = f.store.find.bind(f.store);
    const spy = jest.spyOn(f.store, 'find').mockImplementation((collection, filter, options) => (read.push(collection), find(collection, filter, options)));
    try {
      await queries.usageReport({ accountId: ACCOUNT, from, to, groupBy });
    } finally {
      spy.mockRestore();
    }
    return read;
  }

  it('reads no peaks document for whole days by product, and reads them for rows spanning products or days cut by the window', async () => {
    const f = await history(5);
    try {
      expect(await collectionsRead(f, [Dim.PRODUCT], '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).not.toContain(ANALYTICS.peaks);
      expect(await collectionsRead(f, [Dim.PRODUCT, Dim.COUNTRY, Dim.DAY], '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).not.toContain(ANALYTICS.peaks);
      expect(await collectionsRead(f, [Dim.DAY], '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).toContain(ANALYTICS.peaks);
      expect(await collectionsRead(f, [Dim.PRODUCT], '2026-03-01T06:00:00Z', '2026-04-01T00:00:00Z')).toContain(ANALYTICS.peaks);
    } finally {
      await f.store.close();
    }
  });

  it('a day with samples only (a check-out expiring, nothing started) makes no row; levels carry across days', async () => {
    const f = await UsageFixture.open();
    try {
      f.grant('e1', 'P', 5)
        .start('s1', 'u1', 'P', '2026-03-02T09:00:00.000Z')
        .checkOut('c1', 'u2', 'P', '2026-03-02T10:00:00.000Z', '2026-03-04T10:00:00.000Z')
        .checkOut('c2', 'u4', 'P', '2026-03-02T10:30:00.000Z', '2026-03-06T10:00:00.000Z')
        .end('s1', '2026-03-02T11:00:00.000Z')
        .expire('c1', '2026-03-04T10:00:00.000Z')
        // u4 holds a check-out: the level stays 1, below the 2 carried into the day.
        .start('s2', 'u4', 'P', '2026-03-04T12:00:00.000Z')
        .end('s2', '2026-03-04T13:00:00.000Z')
        .expire('c2', '2026-03-06T10:00:00.000Z');
      await f.project();
      const days = await f.store.find(ANALYTICS.days, {});
      // The last expiry's day has a document of its samples alone.
      expect(days.map((doc) => doc._id).sort()).toEqual(['a1|P|2026-03-02', 'a1|P|2026-03-04', 'a1|P|2026-03-06']);
      const fromBuckets = new AnalyticsQueries(f.store);
      fromBuckets.daySummaryPeaks = false;
      const report = async (from: string, to: string, groupBy: Dim[]) => {
        const args = { accountId: ACCOUNT, from, to, groupBy };
        const rows = await f.queries.usageReport(args);
        expect(rows).toEqual(await fromBuckets.usageReport(args));
        return rows.map((row) => [row.day, row.sessions, row.distinctUsers, row.peakConcurrent]);
      };
      expect(await report('2026-03-01T00:00:00.000Z', '2026-03-08T00:00:00.000Z', [Dim.PRODUCT, Dim.DAY])).toEqual([
        ['2026-03-02', 1, 1, 3],
        ['2026-03-04', 1, 1, 2],
      ]);
      expect(await report('2026-03-03T00:00:00.000Z', '2026-03-07T00:00:00.000Z', [Dim.PRODUCT])).toEqual([[null, 1, 1, 2]]);
      expect(await report('2026-03-05T00:00:00.000Z', '2026-03-07T00:00:00.000Z', [Dim.PRODUCT])).toEqual([]);
    } finally {
      await f.store.close();
    }
  });

  it('counts a user who started sessions in two countries on one day once in the day row', async () => {
    const f = await UsageFixture.open();
    try {
      f.grant('e1', 'P', 5)
        .start('s1', 'u1', 'P', '2026-03-02T09:00:00.000Z', 'm1', 'US')
        .start('s2', 'u1', 'P', '2026-03-02T10:00:00.000Z', 'm1', 'DE')
        .start('s3', 'u2', 'P', '2026-03-02T11:00:00.000Z', 'm2', 'DE')
        .start('s4', 'u3', 'P', '2026-03-03T11:00:00.000Z', 'm3', 'DE');
      await f.project();
      const rows = await f.queries.usageReport({
        accountId: ACCOUNT,
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-04T00:00:00.000Z',
        groupBy: [Dim.PRODUCT, Dim.DAY],
      });
      expect(rows.map((row) => [row.day, row.sessions, row.distinctUsers])).toEqual([
        ['2026-03-02', 3, 2],
        ['2026-03-03', 1, 1],
      ]);
    } finally {
      await f.store.close();
    }
  });
});
