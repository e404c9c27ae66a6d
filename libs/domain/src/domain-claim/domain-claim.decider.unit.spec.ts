import { givenFor } from '../shared/testing/given-when-then';
import { domainClaimDecider, evolveDomainClaim, initialDomainClaimState, type DomainClaimCommand } from './domain-claim.decider';

const given = givenFor(domainClaimDecider);
const claim = (accountId = 'acc-1', domain = 'Acme.Example'): DomainClaimCommand => ({ type: 'ClaimDomain', domain, accountId });
const release = (accountId = 'acc-1', domain = 'acme.example'): DomainClaimCommand => ({ type: 'ReleaseDomain', domain, accountId });
const claimed = (accountId = 'acc-1') => ({ type: 'DomainClaimed' as const, data: { domain: 'acme.example', accountId } });
const released = (accountId = 'acc-1') => ({ type: 'DomainReleased' as const, data: { domain: 'acme.example', accountId } });

describe('ClaimDomain', () => {
  it('claims a free domain, lower case', () => {
    given([]).when(claim()).then([claimed()]);
  });

  it('refuses a domain another account claims: DOMAIN_ALREADY_CLAIMED naming the domains field', () => {
    given([claimed('acc-2')])
      .when(claim())
      .thenThrows('DOMAIN_ALREADY_CLAIMED', ['domains']);
  });

  it('is idempotent for the account that holds it', () => {
    given([claimed()]).when(claim()).then([]);
  });

  it('claims again once released, by any account', () => {
    given([claimed('acc-2'), released('acc-2')])
      .when(claim())
      .then([claimed()]);
  });
});

describe('ReleaseDomain', () => {
  it("releases the account's own claim", () => {
    given([claimed()]).when(release()).then([released()]);
  });

  it("never releases another account's claim, and does nothing when free", () => {
    given([claimed('acc-2')])
      .when(release())
      .then([]);
    given([]).when(release()).then([]);
  });
});

describe('evolveDomainClaim', () => {
  it('tracks the holder and ignores releases by others and unrelated events', () => {
    const state = [claimed()].reduce(evolveDomainClaim, initialDomainClaimState());
    expect(state).toEqual({ domain: 'acme.example', claimedBy: 'acc-1' });
    expect(evolveDomainClaim(state, released('acc-2'))).toBe(state);
    expect(evolveDomainClaim(state, { type: 'UserDeactivated', data: { accountId: 'acc-1', userId: 'u' } })).toBe(state);
    expect(evolveDomainClaim(state, released())).toEqual({ domain: 'acme.example', claimedBy: null });
  });
});
