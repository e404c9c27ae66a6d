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

/** Where the history's sessions start: over fourteen months, and crowded around both New Years. */
const SPANS: [number, number][] = [
  [ms('2025-12-01T00:00:00Z'), ms('2027-02-01T00:00:00Z')],
  [ms('2025-12-30T00:00:00Z'), ms('2026-01-02T00:00:00Z')],
  [ms('2026-12-30T00:00:00Z'), ms('2027-01-02T00:00:00Z')],
];

/**
 * A random history of three products and eight users with two machines each, in two
 * countries: sessions of 5 minutes to 30 hours (some across New Year, some still running
 * at the end), a tenth timed out, some check-outs.
 */
async function history(seed: number): Promise<UsageFixture> {
  const random = seededRandom(seed);
  const f = await UsageFixture.open();
  const products = ['P', 'Q', 'R'];
  for (const product of products) f.grant(`e-${product}`, product, 4, '2025-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z');
  const actions: { at: number; run: (fx: UsageFixture) => void }[] = [];
  for (let n = 0; n < 300; n++) {
    const [from, to] = SPANS[n % SPANS.length];
    const at = from + Math.floor(random() * (to - from));
    const user = Math.floor(random() * 8);
    const product = products[Math.floor(random() * products.length)];
    const id = `s${n}`;
    const machine = `m.${user}~${Math.floor(random() * 2)}`;
    const length = random() < 0.1 ? (10 + Math.floor(random() * 20)) * HOUR : (5 + Math.floor(random() * 120)) * MINUTE;
    actions.push({ at, run: (fx) => fx.start(id, `u${user}`, product, iso(at), machine, user % 2 ? 'US' : 'DE') });
    if (random() < 0.1) continue; // still running
    if (random() < 0.1) actions.push({ at: at + length + 15 * MINUTE, run: (fx) => fx.timeOut(id, iso(at + length), iso(at + length + 15 * MINUTE)) });
    else actions.push({ at: at + length, run: (fx) => fx.end(id, iso(at + length)) });
    if (random() < 0.05) {
      actions.push({ at: at + 1, run: (fx) => fx.checkOut(`c${n}`, `u${user}`, product, iso(at + 1), iso(at + DAY)) });
      actions.push({ at: at + DAY, run: (fx) => fx.expire(`c${n}`, iso(at + DAY)) });
    }
  }
  actions.sort((a, b) => a.at - b.at);
  for (const action of actions) action.run(f);
  return f.project(50);
}

const SHAPES: Dim[][] = [[Dim.USER], [Dim.USER, Dim.MACHINE], [Dim.PRODUCT, Dim.USER, Dim.COUNTRY], [Dim.MACHINE], [Dim.COUNTRY]];

const WINDOWS: [string, string, string][] = [
  ['a whole year', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['a year of months, then days cut by the window', '2026-01-01T00:00:00Z', '2027-01-15T07:00:00Z'],
  ['a day cut by the window, a whole day, then months', '2025-12-30T05:00:00Z', '2027-01-01T00:00:00Z'],
  ['fourteen months', '2025-12-01T00:00:00Z', '2027-02-01T00:00:00Z'],
  ['one month', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['no whole month', '2026-12-20T00:00:00Z', '2027-01-10T00:00:00Z'],
];

describe('narrow usage reports of whole months: peaks settled by the levels sampled in the months', () => {
  for (const seed of [1, 2]) {
    describe(`random history ${seed}`, () => {
      let f: UsageFixture;
      let fromDayPeaks: AnalyticsQueries;
      beforeAll(async () => {
        f = await history(seed);
        fromDayPeaks = new AnalyticsQueries(f.store);
        fromDayPeaks.peakBounds = false;
      });
      afterAll(() => f.store.close());

      for (const [name, from, to] of WINDOWS) {
        for (const groupBy of SHAPES) {
          for (const filter of [{}, { productId: 'Q' }, { userId: 'u3' }]) {
            it(`${groupBy.join(', ')} ${JSON.stringify(filter)}, ${name}: every row as with the day peaks`, async () => {
              const args = { accountId: ACCOUNT, from: iso(ms(from)), to: iso(ms(to)), groupBy, ...filter };
              const expected = await fromDayPeaks.usageReport(args);
              expect(expected.length).toBeGreaterThan(0);
              expect(await f.queries.usageReport(args)).toEqual(expected);
            });
          }
        }
      }

      it('reads the months of a whole year, and no day of peaks when their sampled levels settle every row', async () => {
        const queries = new AnalyticsQueries(f.store);
        const read: string[] = [];
        const find = f.store.find.bind(f.store);
        const spy = jest.spyOn(f.store, 'find').mockImplementation((collection, filter, options) => (read.push(collection), find(collection, filter, options)));
        try {
          // A row of one product and user holds one seat; the pools' peaks over the months are at least one.
          const rows = await queries.usageReport({
            accountId: ACCOUNT,
            from: '2026-01-01T00:00:00.000Z',
            to: '2027-01-01T00:00:00.000Z',
            groupBy: [Dim.PRODUCT, Dim.USER],
          });
          expect(rows.every((row) => row.peakConcurrent === 1)).toBe(true);
        } finally {
          spy.mockRestore();
        }
        expect(read.filter((collection) => collection === ANALYTICS.months)).toHaveLength(3);
        expect(read).not.toContain(ANALYTICS.hours);
        expect(read).not.toContain(ANALYTICS.peaks);
      });
    });
  }
});
