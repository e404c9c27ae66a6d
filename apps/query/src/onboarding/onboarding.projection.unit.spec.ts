import { ProjectionTestKit } from '../projections/testing/projection-test-kit';
import { ONBOARDING, onboardingProjection } from './onboarding.projection';

describe('onboarding projection', () => {
  let kit: ProjectionTestKit;
  beforeEach(async () => (kit = await ProjectionTestKit.open()));
  afterEach(() => kit.store.close());

  const requested = (requestId: string, email: string) =>
    kit.event('RegistrationRequested', { accountId: 'a1', requestId, email, displayName: 'Pat', country: 'US', requestedAt: '2026-11-23T10:00:00.000Z' });

  it("keeps the account's domains and auto-approval as last set", async () => {
    await kit.apply(
      onboardingProjection,
      kit.event('AccountDomainsSet', { accountId: 'a1', domains: ['acme.example'], autoApprove: false }),
      kit.event('AccountDomainsSet', { accountId: 'a1', domains: ['acme.example', 'eng.acme.example'], autoApprove: true }),
    );
    expect(await kit.store.findOne(ONBOARDING.accountDomains, { _id: 'a1' })).toEqual({
      _id: 'a1',
      domains: ['acme.example', 'eng.acme.example'],
      autoApprove: true,
    });
  });

  it('keeps each request with its decision: who decided (by name), when, why, and the user it registered', async () => {
    await kit.apply(
      onboardingProjection,
      requested('r1', 'Pat@Acme.example'),
      requested('r2', 'kim@acme.example'),
      requested('r3', 'lee@acme.example'),
      kit.event('RegistrationApproved', {
        accountId: 'a1',
        requestId: 'r1',
        userId: 'u1',
        decidedBy: 'u-admin',
        decidedByName: 'Ann Admin',
        decidedAt: '2026-11-24T10:00:00.000Z',
      }),
      kit.event('RegistrationRejected', {
        accountId: 'a1',
        requestId: 'r2',
        reason: 'unknown',
        decidedBy: 'u-co',
        decidedByName: 'Co',
        decidedAt: '2026-11-25T10:00:00.000Z',
      }),
      kit.event('RegistrationApproved', {
        accountId: 'a1',
        requestId: 'r3',
        userId: 'u3',
        decidedBy: null,
        decidedByName: null,
        decidedAt: '2026-11-23T10:00:00.000Z',
      }),
    );
    const docs = await kit.store.find(ONBOARDING.registrationRequests, { accountId: 'a1' }, { sort: { order: -1 } });
    expect(docs.map((d) => [d._id, d.status, d.decidedBy, d.userId, d.reason])).toEqual([
      ['r3', 'APPROVED', null, 'u3', null],
      ['r2', 'REJECTED', 'Co', null, 'unknown'],
      ['r1', 'APPROVED', 'Ann Admin', 'u1', null],
    ]);
    expect(docs[2]).toMatchObject({ email: 'Pat@Acme.example', emailNormalized: 'pat@acme.example', decidedAt: '2026-11-24T10:00:00.000Z' });
  });

  it('writes nothing for the service-internal domain claims and other events', () => {
    expect(onboardingProjection.project(kit.event('DomainClaimed', { domain: 'acme.example', accountId: 'a1' }))).toEqual([]);
    expect(onboardingProjection.project(kit.event('UserDeactivated', { accountId: 'a1', userId: 'u1' }))).toEqual([]);
  });
});
