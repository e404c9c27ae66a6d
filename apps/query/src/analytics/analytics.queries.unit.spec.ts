import { UsageDimension as Dim } from '../graphql/types';
import { ANALYTICS } from './analytics.keys';
import { UsageFixture } from './testing/usage-fixture';

const D = '2026-03-02';
const D1 = '2026-03-03';
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

/**
 * Product P, 5 seats. Seats in use (distinct users with a session or a check-out):
 * 08:50 u1 checks out (1) · 09:00 u1 starts s1 (still 1: same user) · 09:15 u2 s3 (2) ·
 * 09:20 u3 denied (2) · 09:30 u1 starts s2 on a second machine (2) · 09:40 u4 checks out (3) ·
 * 10:00 s2 ends (3: u1 still holds s1) · 10:05 s3 times out, last heartbeat 09:45 (2) ·
 * 10:30 s1 ends (2: u1's check-out) · 11:00 u4 checks in (1) · 12:00 u1's check-out expires (0) ·
 * 23:30 u2 s4 (1) · next day 01:00 s4 ends (0) · 08:00 u3 s5, still running (1).
 * Product Q: u5 runs q1 09:35-10:15.
 */
async function scenario(): Promise<UsageFixture> {
  const f = await UsageFixture.open();
  f.grant('e1', 'P', 5)
    .grant('e2', 'Q', 5)
    .checkOut('c1', 'u1', 'P', at(D, '08:50'), at(D, '12:00'))
    .start('s1', 'u1', 'P', at(D, '09:00'))
    .start('s3', 'u2', 'P', at(D, '09:15'))
    .deny('d1', 'u3', 'P', at(D, '09:20'))
    .start('s2', 'u1', 'P', at(D, '09:30'), 'm-u1b')
    .start('q1', 'u5', 'Q', at(D, '09:35'))
    .checkOut('c2', 'u4', 'P', at(D, '09:40'), at(D1, '09:40'))
    .end('s2', at(D, '10:00'))
    .timeOut('s3', at(D, '09:45'), at(D, '10:05'))
    .end('q1', at(D, '10:15'))
    .end('s1', at(D, '10:30'))
    .checkIn('c2', at(D, '11:00'))
    .expire('c1', at(D, '12:00'))
    .start('s4', 'u2', 'P', at(D, '23:30'))
    .end('s4', at(D1, '01:00'))
    .start('s5', 'u3', 'P', at(D1, '08:00'));
  return f.project(4);
}

const report = (f: UsageFixture, groupBy: Dim[], extra: { from?: string; to?: string; productId?: string; userId?: string; groupId?: string } = {}) =>
  f.queries.usageReport({ accountId: 'a1', from: extra.from ?? at(D, '00:00'), to: extra.to ?? at('2026-03-04', '00:00'), groupBy, ...extra });

describe('usage analytics queries', () => {
  let f: UsageFixture;
  beforeAll(async () => (f = await scenario()));
  afterAll(() => f.store.close());

  it('rolls up sessions by UTC start day: minutes to the end or the last heartbeat, denied starts left out, peaks with check-outs and each user once', async () => {
    expect(await report(f, [Dim.PRODUCT, Dim.DAY], { productId: 'P' })).toEqual([
      {
        productId: 'P',
        userId: null,
        groupId: null,
        country: null,
        machineId: null,
        day: D,
        sessions: 4,
        usageMinutes: 90 + 30 + 30 + 90,
        distinctUsers: 2,
        peakConcurrent: 3,
      },
      // s4 started on D (counted there) and held a seat past midnight; s5 still runs.
      {
        productId: 'P',
        userId: null,
        groupId: null,
        country: null,
        machineId: null,
        day: D1,
        sessions: 1,
        usageMinutes: 0,
        distinctUsers: 1,
        peakConcurrent: 1,
      },
    ]);
  });

  it('adds the products up in a row that spans them', async () => {
    const rows = await report(f, [Dim.DAY]);
    expect(rows.map((r) => [r.day, r.sessions, r.usageMinutes, r.distinctUsers, r.peakConcurrent])).toEqual([
      [D, 5, 280, 3, 4], // 09:40-09:50: P has 3 (u1, u2, u4) and Q 1 (u5)
      [D1, 1, 0, 1, 1],
    ]);
    expect(await report(f, [Dim.PRODUCT])).toEqual([
      expect.objectContaining({ productId: 'P', sessions: 5, usageMinutes: 240, distinctUsers: 3, peakConcurrent: 3 }),
      expect.objectContaining({ productId: 'Q', sessions: 1, usageMinutes: 40, distinctUsers: 1, peakConcurrent: 1 }),
    ]);
  });

  it('slices by user and machine (a user holds at most one seat of a product)', async () => {
    const byUser = await report(f, [Dim.USER], { productId: 'P' });
    expect(byUser.map((r) => [r.userId, r.sessions, r.usageMinutes, r.distinctUsers, r.peakConcurrent])).toEqual([
      ['u1', 2, 120, 1, 1],
      ['u2', 2, 120, 1, 1],
      ['u3', 1, 0, 1, 1],
    ]);
    const byMachine = await report(f, [Dim.USER, Dim.MACHINE, Dim.COUNTRY], { userId: 'u1' });
    expect(byMachine.map((r) => [r.userId, r.machineId, r.country, r.sessions, r.usageMinutes])).toEqual([
      ['u1', 'm-u1', 'US', 1, 90],
      ['u1', 'm-u1b', 'US', 1, 30],
    ]);
  });

  it('groups by the groups users belong to now', async () => {
    const users = [
      ['u1', ['g1']],
      ['u2', ['g1', 'g2']],
      ['u3', []],
      ['u5', ['g2']],
    ] as const;
    await f.store.commit(
      'test-users',
      1n,
      users.map(([id, groupIds]) => ({
        kind: 'upsert',
        collection: 'users',
        id,
        update: { $set: { accountId: 'a1', groupIds, country: 'US' } },
        position: 1n,
      })),
    );
    const rows = await report(f, [Dim.GROUP]);
    expect(rows.map((r) => [r.groupId, r.sessions, r.distinctUsers, r.peakConcurrent])).toEqual([
      ['g1', 4, 2, 2],
      ['g2', 3, 2, 2],
    ]);
    expect((await report(f, [Dim.USER], { groupId: 'g2' })).map((r) => r.userId)).toEqual(['u2', 'u5']);
  });

  it('counts sessions started in the window, rounded out to whole UTC hours', async () => {
    const rows = await report(f, [Dim.PRODUCT], { productId: 'P', from: at(D, '09:10'), to: at(D, '09:50') });
    expect(rows).toEqual([expect.objectContaining({ sessions: 3, usageMinutes: 150, distinctUsers: 2, peakConcurrent: 3 })]);
    expect(await report(f, [Dim.PRODUCT], { from: at(D, '13:00'), to: at(D, '14:00') })).toEqual([]);
  });

  it('folds whole months the same way (and reads the days that changed since the last report)', async () => {
    const march = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
    expect(await report(f, [Dim.PRODUCT], march)).toEqual(await report(f, [Dim.PRODUCT]));
    expect(await report(f, [Dim.USER, Dim.MACHINE], march)).toEqual(await report(f, [Dim.USER, Dim.MACHINE]));
    await f.start('s6', 'u9', 'Q', at(D1, '12:00')).end('s6', at(D1, '12:30')).project();
    expect((await report(f, [Dim.PRODUCT], march)).map((r) => [r.productId, r.sessions, r.usageMinutes, r.distinctUsers])).toEqual([
      ['P', 5, 240, 3],
      ['Q', 2, 70, 2],
    ]);
  });

  it('sums whole months per key for rows of no day, and sums again when one of the months changed', async () => {
    const g = await scenario();
    try {
      const spring = { from: '2026-03-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' };
      const byUser = async () => (await report(g, [Dim.USER], spring)).map((r) => [r.userId, r.sessions, r.usageMinutes]);
      const march = await byUser();
      expect(march).toEqual([
        ['u1', 2, 120],
        ['u2', 2, 120],
        ['u3', 1, 0],
        ['u5', 1, 40],
      ]);
      g.start('a1', 'u1', 'P', '2026-04-02T09:00:00.000Z').end('a1', '2026-04-02T09:30:00.000Z');
      await g.project();
      expect(await byUser()).toEqual([['u1', 3, 150], ...march.slice(1)]);
      g.start('m1', 'u5', 'Q', '2026-03-20T09:00:00.000Z').end('m1', '2026-03-20T09:06:00.000Z');
      await g.project();
      expect(await byUser()).toEqual([['u1', 3, 150], ...march.slice(1, 3), ['u5', 2, 46]]);
    } finally {
      await g.store.close();
    }
  });

  it('gives the peak of each 10-minute, hour or day bucket and the seats owned', async () => {
    const tenMinutes = await f.queries.concurrency('a1', 'P', at(D, '08:40'), at(D, '12:10'), 'TEN_MINUTES');
    expect(tenMinutes.map((p) => p.peakInUse)).toEqual([0, 1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
    expect(tenMinutes[0]).toEqual({ bucketStart: '2026-03-02T08:40:00.000Z', peakInUse: 0, seats: 5 });
    const hours = await f.queries.concurrency('a1', 'P', at(D, '00:00'), at(D1, '00:00'), 'HOUR');
    expect(hours.map((p) => p.peakInUse)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const days = await f.queries.concurrency('a1', 'P', at(D, '00:00'), at('2026-03-05', '00:00'), 'DAY');
    expect(days.map((p) => [p.bucketStart.slice(0, 10), p.peakInUse])).toEqual([
      [D, 3],
      [D1, 1],
      ['2026-03-04', 1],
    ]);
  });
});

describe('term license usage', () => {
  it('has a row per product and day with usage: its peak, the most seats owned that day, and the overage', async () => {
    const f = await UsageFixture.open();
    f.grant('e1', 'P', 1)
      .grant('e2', 'P', 2, at(D1, '00:00'), at('2026-03-10', '00:00'))
      .start('s1', 'u1', 'P', at(D, '09:00'))
      .start('s2', 'u2', 'P', at(D, '09:05'))
      .end('s1', at(D, '09:30'))
      .end('s2', at(D, '09:30'))
      .start('s3', 'u1', 'P', at(D1, '10:00'))
      .start('s4', 'u2', 'P', at(D1, '10:00'))
      .revoke('e2', 'P', at(D1, '12:00'))
      .end('s3', at(D1, '13:00'))
      .end('s4', at(D1, '13:00'));
    await f.project();
    expect(await f.queries.termLicenseUsage('a1', at(D, '00:00'), at('2026-03-05', '00:00'))).toEqual([
      { productId: 'P', day: D, peakInUse: 2, seats: 1, overage: 1 },
      // Three seats until e2 was revoked at noon: the day's most.
      { productId: 'P', day: D1, peakInUse: 2, seats: 3, overage: 0 },
    ]);
    const days = await f.queries.concurrency('a1', 'P', at(D, '00:00'), at('2026-03-05', '00:00'), 'DAY');
    expect(days.map((p) => p.seats)).toEqual([1, 1, 1]);
    const hours = await f.queries.concurrency('a1', 'P', at(D1, '11:00'), at(D1, '13:00'), 'HOUR');
    expect(hours.map((p) => [p.peakInUse, p.seats])).toEqual([
      [2, 3],
      [2, 1],
    ]);
    await f.store.close();
  });
});

describe('peaks of narrow reports of whole months', () => {
  it('reads the day peaks where the levels sampled in the months do not settle a row', async () => {
    // u1 holds P, then Q: two (product, user) pairs, but never two seats at once; each pool peaks at 1.
    const f = await UsageFixture.open();
    f.grant('e1', 'P', 5)
      .grant('e2', 'Q', 5)
      .start('s1', 'u1', 'P', at(D, '09:00'))
      .end('s1', at(D, '10:00'))
      .start('s2', 'u1', 'Q', at(D, '11:00'))
      .end('s2', at(D, '12:00'))
      .start('s3', 'u2', 'P', at(D1, '09:00'))
      .end('s3', at(D1, '10:00'));
    await f.project();
    const read: string[] = [];
    const find = f.store.find.bind(f.store);
    jest.spyOn(f.store, 'find').mockImplementation((collection, filter, options) => (read.push(collection), find(collection, filter, options)));
    const rows = await report(f, [Dim.USER], { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(rows.map((r) => [r.userId, r.sessions, r.peakConcurrent])).toEqual([
      ['u1', 2, 1],
      ['u2', 1, 1],
    ]);
    expect(read).toContain(ANALYTICS.peaks);
    await f.store.close();
  });
});
