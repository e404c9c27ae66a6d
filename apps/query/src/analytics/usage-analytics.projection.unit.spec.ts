import type { WriteOp } from '@ses/read-store';
import { ANALYTICS } from './analytics.keys';
import { UsageFixture } from './testing/usage-fixture';
import { usageAnalyticsProjection as projection } from './usage-analytics.projection';

const at = (time: string, day = '2026-03-02') => `${day}T${time}:00.000Z`;
const summary = (ops: WriteOp[]) => ops.map((op) => (op.kind === 'upsert' ? [op.collection, op.id, op.update] : []));

describe('usage analytics projection', () => {
  let f: UsageFixture;
  beforeEach(async () => (f = await UsageFixture.open()));
  afterEach(() => f.store.close());

  it('writes one op per document: the start in its day, hour and month, the seat level in its 10-minute bucket', () => {
    f.grant('e1', 'P', 2).take();
    const [started, denied, ended] = f.start('s1', 'u.1', 'P', at('09:05'), 'host.example').deny('d1', 'u2', 'P', at('09:06')).end('s1', at('09:35')).take();
    expect(summary(projection.project(started))).toEqual([
      [
        ANALYTICS.days,
        'a1|P|2026-03-02',
        {
          $inc: { sessions: 1, 'byCountry.cUS.sessions': 1 },
          $addToSet: { 'byCountry.cUS.users': 'u%2e1' },
          // The seat level after the start, sampled in the day (packed with revision 0).
          $max: { lastPosition: 2, peakSampled: 1, latestSampled: 1 },
          $setOnInsert: { pool: 'a1|P', day: '2026-03-02' },
        },
      ],
      [
        ANALYTICS.hours,
        'a1|P|2026-03-02|9',
        {
          $push: { starts: 'u%2e1~host%2eexample~US' },
          $max: { lastPosition: 2 },
          $setOnInsert: { pool: 'a1|P', day: '2026-03-02', hour: 9 },
        },
      ],
      [
        ANALYTICS.months,
        'a1|P|2026-03',
        {
          $inc: { 'sessionsByUserMachineCountry.u%2e1~host%2eexample~US': 1 },
          $max: { lastPosition: 2, peakSampled: 1 },
          $setOnInsert: { pool: 'a1|P', month: '2026-03' },
        },
      ],
      // Revision 0 of the pool stream, 1 seat in use: packed 0 * 2^21 + 1.
      [
        ANALYTICS.peaks,
        'a1|P|2026-03-02',
        { $max: { 'peakBySlot.54': 1, 'latestLevelBySlot.54': 1, lastPosition: 2 }, $setOnInsert: { pool: 'a1|P', day: '2026-03-02' } },
      ],
    ]);
    expect(projection.project(denied)).toEqual([]);
    expect(summary(projection.project(ended))).toEqual([
      [
        ANALYTICS.days,
        'a1|P|2026-03-02',
        expect.objectContaining({
          $inc: { minutes: 30, 'byCountry.cUS.minutes': 30 },
          $max: { lastPosition: 4, peakSampled: 0, latestSampled: 2 * 2 ** 21 + 0 },
        }),
      ],
      [ANALYTICS.hours, 'a1|P|2026-03-02|9', expect.objectContaining({ $push: { ends: ['u%2e1~host%2eexample', 30] } })],
      [ANALYTICS.months, 'a1|P|2026-03', expect.objectContaining({ $inc: { 'minutesByUserMachine.u%2e1~host%2eexample': 30 } })],
      [ANALYTICS.peaks, 'a1|P|2026-03-02', expect.objectContaining({ $max: { 'peakBySlot.57': 0, 'latestLevelBySlot.57': 2 * 2 ** 21 + 0, lastPosition: 4 } })],
    ]);
  });

  it('books minutes by the country on the end event; an end without one (recorded before ends carried it) is counted apart', () => {
    const [, , , ended, timedOut] = f
      .grant('e1', 'P', 2)
      .start('s1', 'u1', 'P', at('09:00'), 'm', '')
      .start('s2', 'u2', 'P', at('09:00'), 'm', 'FR')
      .take()
      .concat(f.end('s1', at('09:30')).timeOut('s2', at('09:10'), at('09:30')).take());
    expect(projection.project(ended)[0]).toMatchObject({ update: { $inc: { minutes: 30, 'byCountry.c.minutes': 30 } } });
    expect(projection.project(timedOut)[0]).toMatchObject({ update: { $inc: { minutes: 10, 'byCountry.cFR.minutes': 10 } } });
    const { country: _dropped, ...older } = timedOut.data as { country?: string };
    expect(projection.project({ ...timedOut, data: older } as typeof timedOut)[0]).toMatchObject({ update: { $inc: { minutes: 10, endsWithoutCountry: 1 } } });
  });

  it('books a session that ends after midnight on its start day and samples the end on the end day (its peaks and day) and in its month', () => {
    const [, , ended] = f.grant('e1', 'P', 2).start('s1', 'u1', 'P', at('23:50')).end('s1', at('00:20', '2026-03-03')).take();
    expect(projection.project(ended).map((op) => (op.kind === 'upsert' ? `${op.collection} ${op.id}` : ''))).toEqual([
      `${ANALYTICS.days} a1|P|2026-03-02`,
      `${ANALYTICS.hours} a1|P|2026-03-02|23`,
      `${ANALYTICS.months} a1|P|2026-03`,
      `${ANALYTICS.peaks} a1|P|2026-03-03`,
      `${ANALYTICS.days} a1|P|2026-03-03`,
    ]);
    // Across New Year: the sample's month is not the start's.
    const [, , late] = f.grant('e2', 'Q', 2).start('s2', 'u1', 'Q', at('23:50', '2026-12-31')).end('s2', at('00:20', '2027-01-01')).take();
    expect(projection.project(late).map((op) => (op.kind === 'upsert' ? [op.collection, op.id, op.update.$max] : []))).toEqual([
      [ANALYTICS.days, 'a1|Q|2026-12-31', { lastPosition: 6 }],
      [ANALYTICS.hours, 'a1|Q|2026-12-31|23', { lastPosition: 6 }],
      [ANALYTICS.months, 'a1|Q|2026-12', { lastPosition: 6 }],
      [ANALYTICS.peaks, 'a1|Q|2027-01-01', { 'peakBySlot.2': 0, 'latestLevelBySlot.2': 1 * 2 ** 21, lastPosition: 6 }],
      [ANALYTICS.days, 'a1|Q|2027-01-01', { peakSampled: 0, latestSampled: 1 * 2 ** 21, lastPosition: 6 }],
      [ANALYTICS.months, 'a1|Q|2027-01', { peakSampled: 0, lastPosition: 6 }],
    ]);
  });

  it('changes nothing when a batch is committed again (crash between writes and checkpoint)', async () => {
    const events = f.grant('e1', 'P', 2).start('s1', 'u1', 'P', at('09:00')).end('s1', at('09:30')).take();
    const ops = events.flatMap((event) => projection.project(event));
    await f.store.commit('test', 3n, ops);
    await f.store.commit('test', 3n, ops);
    expect(await f.store.findOne(ANALYTICS.days, { _id: 'a1|P|2026-03-02' })).toMatchObject({
      sessions: 1,
      minutes: 30,
      byCountry: { cUS: { sessions: 1, minutes: 30, users: ['u1'] } },
    });
    expect(await f.store.findOne(ANALYTICS.hours, { _id: 'a1|P|2026-03-02|9' })).toMatchObject({ starts: ['u1~m-u1~US'], ends: [['u1~m-u1', 30]] });
  });

  it('keeps the entitlement history of a pool', async () => {
    await f.grant('e.1', 'P', 3, at('00:00'), at('00:00', '2026-04-01')).revoke('e.1', 'P', at('12:00')).project();
    expect(await f.store.findOne(ANALYTICS.pools, { _id: 'a1|P' })).toEqual({
      _id: 'a1|P',
      accountId: 'a1',
      productId: 'P',
      entitlements: { 'e%2e1': { seats: 3, startsAt: at('00:00'), endsAt: at('00:00', '2026-04-01'), revokedAt: at('12:00') } },
    });
  });

  it('skips what older events lack: no sample without seatsInUse, no minutes without the session origin', () => {
    const [, , ended] = f.grant('e1', 'P', 1).start('s1', 'u1', 'P', at('09:00')).end('s1', at('09:30')).take();
    if (ended.type !== 'UsageEnded') throw new Error('expected UsageEnded');
    const { seatsInUse: _level, startedAt: _start, machineId: _machine, ...old } = ended.data;
    expect(projection.project({ ...ended, data: old })).toEqual([]);
  });
});
