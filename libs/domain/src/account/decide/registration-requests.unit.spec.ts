import type { ApproveRegistration, RejectRegistration, RequestRegistration } from '../account.commands';
import {
  ACCOUNT,
  ADMIN,
  CO_ADMIN,
  NOW,
  PLAIN,
  admin,
  approved,
  coAdmin,
  deactivated,
  domainsSet,
  given,
  operator,
  person,
  plain,
  registered,
  rejected,
  requested,
  roleGranted,
  standardAccount,
  userActor,
} from '../testing/fixtures';

const request = (over: Partial<RequestRegistration> = {}): RequestRegistration => ({
  type: 'RequestRegistration',
  actor: person(),
  now: NOW,
  requestId: 'r-1',
  userId: 'u-pat',
  displayName: 'Pat',
  ...over,
});
const approve = (over: Partial<ApproveRegistration> = {}): ApproveRegistration => ({
  type: 'ApproveRegistration',
  actor: admin,
  now: NOW,
  requestId: 'r-1',
  userId: 'u-pat',
  ...over,
});
const reject = (over: Partial<RejectRegistration> = {}): RejectRegistration => ({
  type: 'RejectRegistration',
  actor: admin,
  now: NOW,
  requestId: 'r-1',
  ...over,
});
const patRegistered = (country = 'DE') => ({
  type: 'UserRegistered' as const,
  data: { accountId: ACCOUNT, userId: 'u-pat', email: 'pat@acme.test', displayName: 'Pat', country, registeredAt: NOW, requestId: 'r-1' },
});
const withDomain = (autoApprove = false) => [...standardAccount(), domainsSet(['acme.test'], autoApprove)];
const pending = () => [...withDomain(), requested()];

describe('RequestRegistration', () => {
  it('records a pending request with the account country by default, the email as the token has it', () => {
    given(withDomain()).when(request()).then([requested()]);
    given(withDomain())
      .when(request({ country: 'FR' }))
      .then([requested('r-1', 'pat@acme.test', 'FR')]);
  });

  it('registers the person at once (approved, no roles) when the account approves automatically', () => {
    given(withDomain(true))
      .when(request())
      .then([requested(), approved('r-1', 'u-pat', null), patRegistered()]);
  });

  it('tells a person whose domain the account does not claim to ask their administrator (NOT_FOUND)', () => {
    const error = given(withDomain())
      .when(request({ actor: person('pat@elsewhere.test') }))
      .thenThrows('NOT_FOUND');
    expect(error.message).toMatch(/elsewhere\.test.*ask your administrator/);
    given([...withDomain(), domainsSet([])])
      .when(request())
      .thenThrows('NOT_FOUND');
  });

  it('answers NOT_FOUND when there is no account at all (no claim of the domain), after validation', () => {
    given([]).when(request()).thenThrows('NOT_FOUND');
    given([])
      .when(request({ displayName: ' ' }))
      .thenThrows('BAD_USER_INPUT', ['displayName']);
  });

  it('refuses a registered user (EMAIL_ALREADY_REGISTERED), the operator and a token without email (FORBIDDEN)', () => {
    given(withDomain())
      .when(request({ actor: plain }))
      .thenThrows('EMAIL_ALREADY_REGISTERED');
    given(withDomain())
      .when(request({ actor: operator }))
      .thenThrows('FORBIDDEN');
    given(withDomain())
      .when(request({ actor: { kind: 'unregistered', sub: 'machine', email: '' } }))
      .thenThrows('FORBIDDEN');
  });

  it('refuses an email registered in the account (the email stream may lag behind) with EMAIL_ALREADY_REGISTERED', () => {
    given([...withDomain(), registered('u-pat', 'Pat@Acme.test')])
      .when(request())
      .thenThrows('EMAIL_ALREADY_REGISTERED');
  });

  it('refuses a second request while one is pending (REGISTRATION_PENDING), and allows one after a rejection', () => {
    given(pending())
      .when(request({ requestId: 'r-2' }))
      .thenThrows('REGISTRATION_PENDING');
    given([...pending(), rejected()])
      .when(request({ requestId: 'r-2' }))
      .then([requested('r-2')]);
  });

  it('names every invalid field', () => {
    given(withDomain())
      .when(request({ displayName: 'x'.repeat(201), country: 'de' }))
      .thenThrows('BAD_USER_INPUT', ['displayName', 'country']);
  });

  it('treats a reused requestId as a shell bug', () => {
    given(pending()).when(request()).thenFails();
  });
});

describe('ApproveRegistration', () => {
  it('approves and registers the person, with the request id, naming who decided', () => {
    given(pending()).when(approve()).then([approved(), patRegistered()]);
    given(pending())
      .when(approve({ actor: coAdmin }))
      .then([approved('r-1', 'u-pat', CO_ADMIN), patRegistered()]);
  });

  it('records the operator as the operator', () => {
    given(pending())
      .when(approve({ actor: operator }))
      .then([
        {
          type: 'RegistrationApproved',
          data: { accountId: ACCOUNT, requestId: 'r-1', userId: 'u-pat', decidedBy: 'operator', decidedByName: 'operator', decidedAt: NOW },
        },
        patRegistered(),
      ]);
  });

  it('refuses deciding twice: REGISTRATION_NOT_PENDING', () => {
    given([...pending(), approved(), patRegistered()])
      .when(approve({ userId: 'u-other' }))
      .thenThrows('REGISTRATION_NOT_PENDING');
    given([...pending(), rejected()])
      .when(approve())
      .thenThrows('REGISTRATION_NOT_PENDING');
  });

  it('rejects an unknown request (NOT_FOUND)', () => {
    given(withDomain()).when(approve()).thenThrows('NOT_FOUND');
  });

  it("is refused to users without an administrator role, to another account's administrator, and to a deactivated administrator", () => {
    given(pending())
      .when(approve({ actor: plain }))
      .thenThrows('FORBIDDEN');
    given(pending())
      .when(approve({ actor: userActor('u-other-admin', 'acc-2') }))
      .thenThrows('FORBIDDEN');
    given([...pending(), deactivated(CO_ADMIN)])
      .when(approve({ actor: coAdmin }))
      .thenThrows('USER_DEACTIVATED');
  });

  it('refuses an AUDITOR', () => {
    given([...pending(), roleGranted(PLAIN, 'AUDITOR')])
      .when(approve({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});

describe('RejectRegistration', () => {
  it('rejects with the reason told to the person, naming who decided', () => {
    given(pending())
      .when(reject({ reason: 'not one of ours' }))
      .then([rejected('r-1', 'not one of ours')]);
    given(pending())
      .when(reject({ actor: coAdmin, reason: null }))
      .then([rejected('r-1', null, CO_ADMIN)]);
  });

  it('refuses deciding twice: REGISTRATION_NOT_PENDING', () => {
    given([...pending(), rejected()])
      .when(reject())
      .thenThrows('REGISTRATION_NOT_PENDING');
    given([...pending(), approved(), patRegistered()])
      .when(reject())
      .thenThrows('REGISTRATION_NOT_PENDING');
  });

  it('rejects an over-long reason and an unknown request', () => {
    given(pending())
      .when(reject({ reason: 'x'.repeat(1001) }))
      .thenThrows('BAD_USER_INPUT', ['reason']);
    given(withDomain()).when(reject()).thenThrows('NOT_FOUND');
  });

  it('is refused to users without an administrator role and to outsiders', () => {
    given(pending())
      .when(reject({ actor: plain }))
      .thenThrows('FORBIDDEN');
    given(pending())
      .when(reject({ actor: userActor(ADMIN, 'acc-2') }))
      .thenThrows('FORBIDDEN');
    given(pending())
      .when(reject({ actor: person() }))
      .thenThrows('FORBIDDEN');
  });
});
