import { licensingProjection } from './licensing.projection';
import { poolKey, sessionKey } from './projection';
import { ProjectionTestKit } from './testing/projection-test-kit';

describe('licensing projection', () => {
  let kit: ProjectionTestKit;
  beforeEach(async () => (kit = await ProjectionTestKit.open()));
  afterEach(() => kit.store.close());

  const ids = { accountId: 'a1', userId: 'u1', productId: 'p1' };
  const started = (sessionId = 's1', startedAt = '2026-11-23T10:00:00.000Z') =>
    kit.event(
      'UsageStarted',
      { ...ids, sessionId, machineId: 'm1', productVersion: '24.1', termLicenseUsage: true, country: 'US', startedAt },
      `seatpool-a1-p1`,
    );

  it('keeps an active session with its pool key until it ends', async () => {
    await kit.apply(licensingProjection, started(), kit.event('UsageHeartbeat', { ...ids, sessionId: 's1', at: '2026-11-23T10:05:00.000Z' }));
    expect(await kit.store.findOne('sessions', { _id: sessionKey('a1', 's1') })).toEqual({
      _id: sessionKey('a1', 's1'),
      ...ids,
      sessionId: 's1',
      machineId: 'm1',
      productVersion: '24.1',
      termLicenseUsage: true,
      country: 'US',
      startedAt: '2026-11-23T10:00:00.000Z',
      lastHeartbeatAt: '2026-11-23T10:05:00.000Z',
      endedAt: null,
      status: 'ACTIVE',
      denyReason: null,
      activeKey: poolKey('a1', 'p1'),
    });

    await kit.apply(licensingProjection, kit.event('UsageEnded', { ...ids, sessionId: 's1', endedAt: '2026-11-23T11:00:00.000Z' }));
    const ended = await kit.store.findOne('sessions', { _id: sessionKey('a1', 's1') });
    expect(ended).toMatchObject({ status: 'ENDED', endedAt: '2026-11-23T11:00:00.000Z', machineId: 'm1' });
    expect(ended).not.toHaveProperty('activeKey');
  });

  it('ends a timed-out session at its last heartbeat and frees its seat', async () => {
    await kit.apply(
      licensingProjection,
      started(),
      kit.event('UsageTimedOut', { ...ids, sessionId: 's1', lastHeartbeatAt: '2026-11-23T10:05:00.000Z', timedOutAt: '2026-11-23T10:20:00.000Z' }),
    );
    const doc = await kit.store.findOne('sessions', { _id: sessionKey('a1', 's1') });
    expect(doc).toMatchObject({ status: 'TIMED_OUT', endedAt: '2026-11-23T10:05:00.000Z', timedOutAt: '2026-11-23T10:20:00.000Z' });
    expect(await kit.store.count('sessions', { activeKey: poolKey('a1', 'p1') })).toBe(0);
  });

  it('keeps sessions of two accounts with one session id apart', async () => {
    const other = { accountId: 'a2', userId: 'u9', productId: 'p1' };
    await kit.apply(
      licensingProjection,
      started('same'),
      kit.event('UsageStarted', {
        ...other,
        sessionId: 'same',
        machineId: 'm9',
        productVersion: null,
        termLicenseUsage: false,
        country: 'DE',
        startedAt: '2026-11-23T10:01:00.000Z',
      }),
      kit.event('UsageEnded', { ...other, sessionId: 'same', endedAt: '2026-11-23T10:30:00.000Z' }),
    );
    expect(await kit.store.findOne('sessions', { _id: sessionKey('a1', 'same') })).toMatchObject({ sessionId: 'same', userId: 'u1', status: 'ACTIVE' });
    expect(await kit.store.findOne('sessions', { _id: sessionKey('a2', 'same') })).toMatchObject({ sessionId: 'same', userId: 'u9', status: 'ENDED' });
    expect(await kit.store.count('sessions', { activeKey: poolKey('a1', 'p1') })).toBe(1);
  });

  it('records a denied start without a seat', async () => {
    await kit.apply(
      licensingProjection,
      kit.event('UsageDenied', { ...ids, sessionId: 's2', machineId: 'm2', denyReason: 'THRESHOLD_REACHED', deniedAt: '2026-11-23T10:00:00.000Z' }),
    );
    const doc = await kit.store.findOne('sessions', { _id: sessionKey('a1', 's2') });
    expect(doc).toMatchObject({
      status: 'DENIED',
      denyReason: 'THRESHOLD_REACHED',
      startedAt: '2026-11-23T10:00:00.000Z',
      termLicenseUsage: false,
      machineId: 'm2',
    });
    expect(doc).not.toHaveProperty('activeKey');
  });

  it('keeps check-outs through check-in and expiry', async () => {
    const out = (checkoutId: string) =>
      kit.event('LicenseCheckedOut', {
        ...ids,
        checkoutId,
        machineId: 'laptop',
        checkedOutAt: '2026-11-23T10:00:00.000Z',
        expiresAt: '2026-11-30T10:00:00.000Z',
      });
    await kit.apply(licensingProjection, out('c1'), out('c2'));
    expect(await kit.store.findOne('checkouts', { _id: 'c1' })).toEqual({
      _id: 'c1',
      ...ids,
      machineId: 'laptop',
      checkedOutAt: '2026-11-23T10:00:00.000Z',
      expiresAt: '2026-11-30T10:00:00.000Z',
      checkedInAt: null,
      status: 'ACTIVE',
      activeKey: poolKey('a1', 'p1'),
    });

    await kit.apply(
      licensingProjection,
      kit.event('LicenseCheckedIn', { ...ids, checkoutId: 'c1', checkedInAt: '2026-11-24T09:00:00.000Z' }),
      kit.event('CheckoutExpired', { ...ids, checkoutId: 'c2', expiredAt: '2026-11-30T10:00:00.000Z' }),
    );
    expect(await kit.store.findOne('checkouts', { _id: 'c1' })).toMatchObject({ status: 'CHECKED_IN', checkedInAt: '2026-11-24T09:00:00.000Z' });
    expect(await kit.store.findOne('checkouts', { _id: 'c2' })).toMatchObject({ status: 'EXPIRED', checkedInAt: null });
    expect(await kit.store.count('checkouts', { activeKey: poolKey('a1', 'p1') })).toBe(0);
  });

  it('stores raised alerts by id', async () => {
    await kit.apply(
      licensingProjection,
      kit.event('AlertRaised', {
        accountId: 'a1',
        alertId: 'al1',
        ruleId: 'r1',
        productId: 'p1',
        seatsInUse: 3,
        thresholdSeats: 3,
        seats: 5,
        raisedAt: '2026-11-23T10:00:00.000Z',
      }),
    );
    expect(await kit.store.findOne('alerts', { _id: 'al1' })).toEqual({
      _id: 'al1',
      accountId: 'a1',
      ruleId: 'r1',
      productId: 'p1',
      seatsInUse: 3,
      thresholdSeats: 3,
      seats: 5,
      raisedAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('writes at most one op per document and event (the position guard would skip a second)', () => {
    const events = [
      started(),
      kit.event('UsageHeartbeat', { ...ids, sessionId: 's1', at: '2026-11-23T10:05:00.000Z' }),
      kit.event('UsageEnded', { ...ids, sessionId: 's1', endedAt: '2026-11-23T11:00:00.000Z' }),
      kit.event('LicenseCheckedOut', {
        ...ids,
        checkoutId: 'c1',
        machineId: 'm',
        checkedOutAt: '2026-11-23T10:00:00.000Z',
        expiresAt: '2026-11-30T10:00:00.000Z',
      }),
      kit.event('AlertRaised', {
        accountId: 'a1',
        alertId: 'al1',
        ruleId: 'r1',
        productId: 'p1',
        seatsInUse: 3,
        thresholdSeats: 3,
        seats: 5,
        raisedAt: '2026-11-23T10:00:00.000Z',
      }),
    ];
    for (const event of events) expect(licensingProjection.project(event)).toHaveLength(1);
    expect(
      licensingProjection.project(kit.event('AccountOpened', { accountId: 'a1', name: 'A', entitlementCountry: 'US', openedAt: '2026-01-01T00:00:00Z' })),
    ).toEqual([]);
  });

  it('applies a batch once even when it is committed again (crash between writes and checkpoint)', async () => {
    const batch = [started(), kit.event('UsageEnded', { ...ids, sessionId: 's1', endedAt: '2026-11-23T11:00:00.000Z' })];
    await kit.apply(licensingProjection, ...batch);
    await kit.apply(licensingProjection, batch[0]);
    expect(await kit.store.findOne('sessions', { _id: sessionKey('a1', 's1') })).toMatchObject({ status: 'ENDED' });
  });

  it('declares indexes for the seat-holder and per-account queries', () => {
    expect(licensingProjection.indexes).toEqual(
      expect.arrayContaining([
        { collection: 'sessions', fields: { activeKey: 1 } },
        { collection: 'checkouts', fields: { activeKey: 1 } },
        { collection: 'checkouts', fields: { accountId: 1 } },
        { collection: 'alerts', fields: { accountId: 1 } },
      ]),
    );
  });
});
