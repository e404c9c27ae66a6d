import type { SetAccountDomains } from '../account.commands';
import { ACCOUNT, NOW, admin, coAdmin, deactivated, domainsSet, given, opened, operator, plain, standardAccount, ADMIN, userActor } from '../testing/fixtures';
import { domainChanges } from './domains';
import { initialAccountState } from '../account.state';
import { evolveAccount } from '../account.evolve';

const setDomains = (domains: string[], autoApprove = false, over: Partial<SetAccountDomains> = {}): SetAccountDomains => ({
  type: 'SetAccountDomains',
  actor: admin,
  now: NOW,
  domains,
  autoApprove,
  ...over,
});

describe('SetAccountDomains', () => {
  it('sets lower-case domains, each once, in the order given, and auto-approval', () => {
    given(standardAccount())
      .when(setDomains([' Acme.Example ', 'eng.acme.example', 'ACME.example'], true))
      .then([domainsSet(['acme.example', 'eng.acme.example'], true)]);
  });

  it('may drop every domain', () => {
    given([...standardAccount(), domainsSet(['acme.example'])])
      .when(setDomains([]))
      .then([domainsSet([])]);
  });

  it('is idempotent: the same domains and auto-approval append nothing', () => {
    given([...standardAccount(), domainsSet(['acme.example'], true)])
      .when(setDomains(['ACME.EXAMPLE'], true))
      .then([]);
  });

  it('records a change of auto-approval alone', () => {
    given([...standardAccount(), domainsSet(['acme.example'], true)])
      .when(setDomains(['acme.example'], false))
      .then([domainsSet(['acme.example'], false)]);
  });

  it.each([
    ['acme'],
    ['-acme.example'],
    ['acme-.example'],
    ['acme..example'],
    ['acme.example.'],
    ['ac me.example'],
    ['user@acme.example'],
    ['ä.example'],
    [`${'a'.repeat(64)}.example`],
  ])('rejects %p: not a host name', (domain) => {
    given(standardAccount())
      .when(setDomains([domain]))
      .thenThrows('BAD_USER_INPUT', ['domains']);
  });

  it('rejects more than 100 domains', () => {
    const domains = Array.from({ length: 101 }, (_, i) => `d${i}.example`);
    given(standardAccount()).when(setDomains(domains)).thenThrows('BAD_USER_INPUT', ['domains']);
    given(standardAccount())
      .when(setDomains(domains.slice(0, 100)))
      .then([domainsSet(domains.slice(0, 100))]);
  });

  it('may be done by the operator and the ACCOUNT_ADMINISTRATOR only', () => {
    given(standardAccount())
      .when(setDomains(['acme.example'], false, { actor: operator }))
      .then([domainsSet(['acme.example'])]);
    given(standardAccount())
      .when(setDomains(['acme.example'], false, { actor: coAdmin }))
      .thenThrows('FORBIDDEN');
    given(standardAccount())
      .when(setDomains(['acme.example'], false, { actor: plain }))
      .thenThrows('FORBIDDEN');
  });

  it("refuses another account's administrator, and a deactivated administrator", () => {
    given(standardAccount())
      .when(setDomains(['acme.example'], false, { actor: userActor('u-other', 'acc-2') }))
      .thenThrows('FORBIDDEN');
    given([...standardAccount(), { type: 'RoleGranted', data: { accountId: ACCOUNT, userId: 'u-co', role: 'ACCOUNT_ADMINISTRATOR' } }, deactivated(ADMIN)])
      .when(setDomains(['acme.example']))
      .thenThrows('USER_DEACTIVATED');
  });

  it('needs an existing account (NOT_FOUND for the operator), after validation', () => {
    given([])
      .when(setDomains(['acme.example'], false, { actor: operator }))
      .thenThrows('NOT_FOUND');
    given([])
      .when(setDomains(['nope'], false, { actor: operator }))
      .thenThrows('BAD_USER_INPUT', ['domains']);
    given([opened()])
      .when(setDomains(['acme.example'], false, { actor: operator }))
      .then([domainsSet(['acme.example'])]);
  });
});

describe('domainChanges', () => {
  it('names the domains to claim before and to release after', () => {
    const state = [...standardAccount(), domainsSet(['a.example', 'b.example'])].reduce(evolveAccount, initialAccountState());
    expect(domainChanges(state, ['B.example', 'c.example'])).toEqual({ added: ['c.example'], removed: ['a.example'] });
    expect(domainChanges(state, ['a.example', 'b.example'])).toEqual({ added: [], removed: [] });
  });
});
