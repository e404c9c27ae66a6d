import { historyProjection } from './history.projection';
import { positionKey } from './projection';
import { ProjectionTestKit } from './testing/projection-test-kit';

describe('history projection', () => {
  let kit: ProjectionTestKit;
  beforeEach(async () => (kit = await ProjectionTestKit.open()));
  afterEach(() => kit.store.close());

  it('keeps every event of an account in position order, with its metadata', async () => {
    await kit.apply(
      historyProjection,
      kit.event('AccountOpened', { accountId: 'a1', name: 'Acme', entitlementCountry: 'US', openedAt: '2026-01-01T00:00:00Z' }),
      kit.event(
        'UsageStarted',
        {
          accountId: 'a1',
          sessionId: 's1',
          userId: 'u1',
          productId: 'p',
          machineId: 'm',
          productVersion: null,
          termLicenseUsage: false,
          country: 'US',
          startedAt: '2026-01-01T00:00:00Z',
        },
        'seatpool-a1-x',
      ),
      kit.event('AccountOpened', { accountId: 'a2', name: 'Other', entitlementCountry: 'DE', openedAt: '2026-01-01T00:00:00Z' }, 'account-a2'),
    );
    const docs = await kit.store.find('history', { accountId: 'a1' }, { sort: { _id: 1 } });
    expect(docs.map((d) => [d._id, d.type, d.streamId, d.revision])).toEqual([
      [positionKey(1n), 'AccountOpened', 'account-a1', 0],
      [positionKey(2n), 'UsageStarted', 'seatpool-a1-x', 1],
    ]);
    expect(docs[0].metadata).toMatchObject({ actor: 'tester', hash: 'h' });
  });

  it('leaves out the service-internal email reservations', async () => {
    await kit.apply(historyProjection, kit.event('EmailReserved', { email: 'a@b.co', accountId: 'a1', userId: 'u1' }, 'email-x'));
    expect(await kit.store.count('history', {})).toBe(0);
  });

  it('orders positions as numbers, not as strings', () => {
    expect(positionKey(9n) < positionKey(10n)).toBe(true);
  });
});
