import { UsageDimension as Dim } from '../graphql/types';
import type { ProjectedEvent } from '../projections/projection';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import { ANALYTICS, type DayDoc } from './analytics.keys';
import { AnalyticsQueries } from './analytics.queries';
import { seededRandom } from './testing/seeded-random';
import { ACCOUNT, UsageFixture } from './testing/usage-fixture';
import { usageAnalyticsProjection } from './usage-analytics.projection';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const FIRST = Date.parse('2026-03-01T00:00:00.000Z');
const DAYS = 12;
const iso = (ms: number) => new Date(ms).toISOString();

type Action = { at: number; run: (f: UsageFixture) => void };

/**
 * A random history of three products and eight users in three countries (one of them
 * the empty country of sessions recorded before starts carried one, and one user who
 * moves from DE to FR on day 6): sessions of 5 minutes to 30 hours (across midnight,
 * some still running at the end), a tenth timed out, some check-outs; then the ends of
 * sessions started on days 2 and 3, and a few others, lose their country, as ends
 * recorded before they carried it.
 */
async function history(seed: number): Promise<UsageFixture> {
  const random = seededRandom(seed);
  const f = await UsageFixture.open();
  const products = ['P', 'Q', 'R'];
  for (const product of products) f.grant(`e-${product}`, product, 4, '2026-01-01T00:00:00.000Z');
  const countryOf = (user: number, at: number) => (user === 7 ? (at < FIRST + 6 * DAY ? 'DE' : 'FR') : ['US', 'DE', ''][user % 3]);
  const actions: Action[] = [];
  for (let n = 0; n < 400; n++) {
    const at = FIRST + Math.floor(random() * DAYS * DAY);
    const user = Math.floor(random() * 8);
    const product = products[Math.floor(random() * products.length)];
    const id = `s${n}`;
    const machine = `m-${user}-${Math.floor(random() * 2)}`;
    const long = random() < 0.1;
    const length = long ? (10 + Math.floor(random() * 20)) * 60 * MINUTE : (5 + Math.floor(random() * 120)) * MINUTE;
    actions.push({ at, run: (fx) => fx.start(id, `u${user}`, product, iso(at), machine, countryOf(user, at)) });
    if (random() < 0.1) continue; // still running
    if (random() < 0.1) actions.push({ at: at + length + 15 * MINUTE, run: (fx) => fx.timeOut(id, iso(at + length), iso(at + length + 15 * MINUTE)) });
    else actions.push({ at: at + length, run: (fx) => fx.end(id, iso(at + length)) });
    if (random() < 0.05) {
      const checkout = `c${n}`;
      actions.push({ at: at + 1, run: (fx) => fx.checkOut(checkout, `u${user}`, product, iso(at + 1), iso(at + DAY)) });
      actions.push({ at: at + DAY, run: (fx) => fx.expire(checkout, iso(at + DAY)) });
    }
  }
  actions.sort((a, b) => a.at - b.at);
  for (const action of actions) action.run(f);

  const events = f.take().map((event): ProjectedEvent => {
    if (event.type !== 'UsageEnded' && event.type !== 'UsageTimedOut') return event;
    const startedAt = Date.parse(event.data.startedAt ?? '');
    const older = startedAt >= FIRST + 2 * DAY && startedAt < FIRST + 4 * DAY;
    if (!older && random() >= 0.02) return event;
    const { country: _country, ...data } = event.data;
    return { ...event, data } as ProjectedEvent;
  });
  for (let i = 0; i < events.length; i += 50) {
    const batch = events.slice(i, i + 50);
    await f.store.commit(
      PROJECTION_CHECKPOINT,
      batch[batch.length - 1].position,
      batch.flatMap((event) => usageAnalyticsProjection.project(event)),
    );
  }
  return f;
}

const SHAPES: Dim[][] = [[Dim.COUNTRY], [Dim.COUNTRY, Dim.DAY], [Dim.PRODUCT, Dim.COUNTRY], [Dim.PRODUCT, Dim.COUNTRY, Dim.DAY]];

const WINDOWS: [string, number, number][] = [
  ['whole days', FIRST, FIRST + (DAYS + 2) * DAY],
  ['days cut by the window', FIRST + 5 * 60 * MINUTE, FIRST + (DAYS - 1) * DAY + 17 * 60 * MINUTE],
  ['sessions started before the window left out', FIRST + 4 * DAY, FIRST + 9 * DAY],
  ['one day without country on its ends', FIRST + 2 * DAY, FIRST + 3 * DAY],
];

describe("usage reports by COUNTRY from the days' country summaries", () => {
  for (const seed of [1, 2, 3]) {
    describe(`random history ${seed}`, () => {
      let f: UsageFixture;
      let fromHours: AnalyticsQueries;
      beforeAll(async () => {
        f = await history(seed);
        fromHours = new AnalyticsQueries(f.store);
        fromHours.countrySummaries = false;
      });
      afterAll(() => f.store.close());

      for (const [name, fromMs, toMs] of WINDOWS) {
        for (const groupBy of SHAPES) {
          for (const productId of [undefined, 'Q']) {
            it(`${groupBy.join(', ')}${productId ? ` of ${productId}` : ''}, ${name}: every cell as the hour documents answer it`, async () => {
              const args = { accountId: ACCOUNT, from: iso(fromMs), to: iso(toMs), groupBy, productId };
              const expected = await fromHours.usageReport(args);
              expect(expected.length).toBeGreaterThan(0);
              expect(await f.queries.usageReport(args)).toEqual(expected);
            });
          }
        }
      }

      it('holds sessions in every country, minutes booked by country and days answered from their hours', async () => {
        const rows = await f.queries.usageReport({ accountId: ACCOUNT, from: iso(FIRST), to: iso(FIRST + DAYS * DAY), groupBy: [Dim.COUNTRY] });
        expect(rows.map((row) => row.country)).toEqual(['', 'DE', 'FR', 'US']);
        for (const row of rows) expect(row.usageMinutes).toBeGreaterThan(0);
        const days = await f.store.find<DayDoc>(ANALYTICS.days, {});
        expect(days.some((day) => day.day === '2026-03-03' && (day.endsWithoutCountry ?? 0) > 0)).toBe(true);
        expect(days.some((day) => day.day === '2026-03-08' && !day.endsWithoutCountry)).toBe(true);
      });
    });
  }
});
