import { ProjectionTestKit } from '../projections/testing/projection-test-kit';
import { ACCOUNT_STREAMS, accountStreamsProjection } from './account-streams.projection';

describe('accountStreams projection', () => {
  let kit: ProjectionTestKit;
  beforeEach(async () => (kit = await ProjectionTestKit.open()));
  afterEach(() => kit.store.close());

  const started = {
    accountId: 'a1',
    sessionId: 's1',
    userId: 'u1',
    productId: 'p',
    machineId: 'm',
    productVersion: null,
    termLicenseUsage: false,
    country: 'US',
    startedAt: '2026-01-01T00:00:00Z',
  };

  it('lists a stream once, from its first event, under the account it names', async () => {
    const first = { ...kit.event('UsageStarted', started, 'seatpool-a1-x'), revision: 0n };
    const second = {
      ...kit.event('UsageEnded', { accountId: 'a1', sessionId: 's1', userId: 'u1', productId: 'p', endedAt: '2026-01-01T01:00:00Z' }, 'seatpool-a1-x'),
      revision: 1n,
    };
    expect(accountStreamsProjection.project(second)).toEqual([]);
    await kit.apply(accountStreamsProjection, first, second);
    expect(await kit.store.find(ACCOUNT_STREAMS, { accountId: 'a1' })).toEqual([
      { _id: 'seatpool-a1-x', accountId: 'a1', firstPosition: first.position.toString() },
    ]);
  });

  it('leaves out email reservations', () => {
    const reserved = { ...kit.event('EmailReserved', { email: 'a@b.co', accountId: 'a1', userId: 'u1' }, 'email-x'), revision: 0n };
    expect(accountStreamsProjection.project(reserved)).toEqual([]);
  });
});
