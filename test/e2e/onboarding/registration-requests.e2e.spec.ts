import { errorCode, ok } from '../../support/graphql-client';
import { M, Q, openAccount, registerUser, uniqueEmail, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { OM, OQ, requested, requestToJoin, setDomains, uniqueDomain } from './onboarding-support';

/**
 * Onboarding over GraphQL, both apps as processes: a person asks to join the account that
 * claims their email's domain; administrators decide; domains belong to one account.
 */
describe('registration requests and account domains', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  /** An account with a co-administrator, claiming a fresh domain. */
  async function organisation(autoApprove = false): Promise<OpenedAccount & { domain: string; coAdmin: { userId: string; token: string }; position: string }> {
    const account = await openAccount(stack);
    const coAdmin = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    const domain = uniqueDomain();
    const position = await setDomains(stack, account.adminToken, account.accountId, [domain], autoApprove);
    return { ...account, domain, coAdmin, position };
  }

  const personOf = (domain: string) => `pat.${Math.random().toString(36).slice(2, 8)}@${domain}`;

  it('pending then approved: the request waits, an administrator approves, the person is a user with no roles and finds their administrators', async () => {
    const org = await organisation();
    const email = personOf(org.domain);
    const { token, res } = await requestToJoin(stack, email, 'Pat Pending');
    const pending = (await ok(Promise.resolve(res))).requestRegistration;
    expect(pending).toEqual({ requestId: expect.any(String), accountId: org.accountId, status: 'PENDING', userId: null, position: expect.any(String) });

    // Not registered yet: no `me`, no administrators to list; their own request is visible to them.
    const before = await ok(
      stack.read(token, `{ me { id } ${OQ.myAdministrators.slice(1, -1)} ${OQ.myRegistrationRequests.slice(1, -1)} }`, {}, pending.position),
    );
    expect(before.me).toBeNull();
    expect(before.myAdministrators).toEqual([]);
    expect(before.myRegistrationRequests).toEqual([
      {
        id: pending.requestId,
        accountId: org.accountId,
        email,
        displayName: 'Pat Pending',
        country: 'US',
        status: 'PENDING',
        requestedAt: expect.any(String),
        decidedAt: null,
        decidedBy: null,
        reason: null,
        userId: null,
      },
    ]);
    const waiting = await ok(stack.read(org.adminToken, OQ.registrationRequests, { id: org.accountId, status: 'PENDING' }, pending.position));
    expect(waiting.registrationRequests.map((r: { id: string }) => r.id)).toEqual([pending.requestId]);

    // The email is reserved for the request: nobody else registers it meanwhile.
    expect(await errorCode(stack.mutate(org.adminToken, M.registerUser, { input: { accountId: org.accountId, email, displayName: 'Other' } }))).toBe(
      'REGISTRATION_PENDING',
    );

    const decided = (await ok(stack.mutate(org.coAdmin.token, OM.approveRegistration, { input: { requestId: pending.requestId } }))).approveRegistration;
    expect(decided).toEqual({
      requestId: pending.requestId,
      accountId: org.accountId,
      status: 'APPROVED',
      userId: expect.any(String),
      position: expect.any(String),
    });

    const after = await ok(
      stack.read(
        token,
        `{ me { id accountId email roles status } ${OQ.myAdministrators.slice(1, -1)} ${OQ.myRegistrationRequests.slice(1, -1)} }`,
        {},
        decided.position,
      ),
    );
    expect(after.me).toEqual({ id: decided.userId, accountId: org.accountId, email, roles: [], status: 'ACTIVE' });
    expect(after.myAdministrators).toEqual(
      expect.arrayContaining([
        { userId: org.adminUserId, displayName: 'Fulfilment Contact', email: org.adminEmail, roles: expect.arrayContaining(['ACCOUNT_ADMINISTRATOR']) },
        { userId: org.coAdmin.userId, displayName: 'Test User', email: expect.any(String), roles: ['CO_ADMINISTRATOR'] },
      ]),
    );
    expect(after.myAdministrators).toHaveLength(2);
    expect(after.myRegistrationRequests[0]).toMatchObject({
      status: 'APPROVED',
      userId: decided.userId,
      decidedBy: 'Test User',
      decidedAt: expect.any(String),
    });

    // The history shows the request, the approval and the registration it caused, in order; the chains verify.
    const history = await ok(stack.read(org.adminToken, Q.history, { id: org.accountId, first: 1000 }, decided.position));
    const onboarding = history.eventHistory.events.filter((e: { type: string }) => /^Registration|^UserRegistered$|^AccountDomainsSet$/.test(e.type));
    expect(onboarding.map((e: { type: string }) => e.type).slice(-4)).toEqual([
      'AccountDomainsSet',
      'RegistrationRequested',
      'RegistrationApproved',
      'UserRegistered',
    ]);
    expect(onboarding.at(-1).data).toMatchObject({ userId: decided.userId, requestId: pending.requestId, email });
    expect(onboarding.at(-2).data).toMatchObject({ requestId: pending.requestId, userId: decided.userId, decidedBy: org.coAdmin.userId });
    const audit = await ok(
      stack.read(
        org.adminToken,
        `query($id: ID!, $at: DateTime!) { verifyHistory(accountId: $id) { ok eventsChecked } accountAsOf(accountId: $id, at: $at) { account { domains autoApprove users { id } } } }`,
        { id: org.accountId, at: new Date(Date.now() + 60_000).toISOString() },
      ),
    );
    expect(audit.verifyHistory.ok).toBe(true);
    expect(audit.accountAsOf.account).toMatchObject({ domains: [org.domain], autoApprove: false });
    expect(audit.accountAsOf.account.users.map((u: { id: string }) => u.id)).toContain(decided.userId);
  });

  it('rejected: the reason reaches the person, the email is released, and a new request is possible', async () => {
    const org = await organisation();
    const email = personOf(org.domain);
    const first = await requested(stack, email);
    const rejected = (
      await ok(stack.mutate(org.adminToken, OM.rejectRegistration, { input: { requestId: first.requestId, reason: 'please use your team alias' } }))
    ).rejectRegistration;
    expect(rejected).toEqual({ requestId: first.requestId, accountId: org.accountId, status: 'REJECTED', userId: null, position: expect.any(String) });

    const token = await stack.userToken(email);
    const mine = await ok(stack.read(token, OQ.myRegistrationRequests, {}, rejected.position));
    expect(mine.myRegistrationRequests).toEqual([
      expect.objectContaining({ id: first.requestId, status: 'REJECTED', reason: 'please use your team alias', decidedBy: 'Fulfilment Contact', userId: null }),
    ]);

    const again = (await ok(stack.mutate(token, OM.requestRegistration, { input: { displayName: 'Pat Again', country: 'DE' } }))).requestRegistration;
    expect(again).toMatchObject({ status: 'PENDING', accountId: org.accountId });
    expect(again.requestId).not.toBe(first.requestId);
    const both = await ok(stack.read(token, OQ.myRegistrationRequests, {}, again.position));
    expect(both.myRegistrationRequests.map((r: { id: string; country: string }) => [r.id, r.country])).toEqual([
      [again.requestId, 'DE'],
      [first.requestId, 'US'],
    ]);
    // Rejected again: the administrator may now register the email themself.
    await ok(stack.mutate(org.coAdmin.token, OM.rejectRegistration, { input: { requestId: again.requestId } }));
    await ok(stack.mutate(org.adminToken, M.registerUser, { input: { accountId: org.accountId, email, displayName: 'Pat' } }));
  });

  it('auto-approved: an account that approves automatically registers the person at once', async () => {
    const org = await organisation(true);
    const email = personOf(org.domain).toUpperCase();
    const { token, res } = await requestToJoin(stack, email, 'Auto Pat');
    const joined = (await ok(Promise.resolve(res))).requestRegistration;
    expect(joined).toMatchObject({ accountId: org.accountId, status: 'APPROVED', userId: expect.any(String) });
    const me = await ok(stack.read(token, `{ me { id roles displayName } ${OQ.myRegistrationRequests.slice(1, -1)} }`, {}, joined.position));
    expect(me.me).toEqual({ id: joined.userId, roles: [], displayName: 'Auto Pat' });
    expect(me.myRegistrationRequests).toEqual([expect.objectContaining({ status: 'APPROVED', decidedBy: null, userId: joined.userId })]);
    // Registered now: asking again is EMAIL_ALREADY_REGISTERED.
    expect(await errorCode(stack.mutate(token, OM.requestRegistration, { input: { displayName: 'Again' } }))).toBe('EMAIL_ALREADY_REGISTERED');
  });

  it('unknown domain: NOT_FOUND, telling the person to ask their administrator', async () => {
    const { res: response } = await requestToJoin(stack, `pat@${uniqueDomain('nobody')}`);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/ask your administrator/) });
  });

  it('a second request while one is pending: REGISTRATION_PENDING, and nothing appended', async () => {
    const org = await organisation();
    const email = personOf(org.domain);
    const first = await requested(stack, email);
    const second = (await requestToJoin(stack, email, 'Pat Twice')).res;
    expect(second.errors?.[0]?.extensions?.code).toBe('REGISTRATION_PENDING');
    const requests = await ok(stack.read(org.adminToken, OQ.registrationRequests, { id: org.accountId }, first.position));
    expect(requests.registrationRequests).toHaveLength(1);
  });

  it('deciding twice: REGISTRATION_NOT_PENDING, whichever decision came first', async () => {
    const org = await organisation();
    const approvedOne = await requested(stack, personOf(org.domain));
    await ok(stack.mutate(org.adminToken, OM.approveRegistration, { input: { requestId: approvedOne.requestId } }));
    expect(await errorCode(stack.mutate(org.coAdmin.token, OM.approveRegistration, { input: { requestId: approvedOne.requestId } }))).toBe(
      'REGISTRATION_NOT_PENDING',
    );
    expect(await errorCode(stack.mutate(org.adminToken, OM.rejectRegistration, { input: { requestId: approvedOne.requestId } }))).toBe(
      'REGISTRATION_NOT_PENDING',
    );

    const rejectedOne = await requested(stack, personOf(org.domain));
    await ok(stack.mutate(org.adminToken, OM.rejectRegistration, { input: { requestId: rejectedOne.requestId } }));
    expect(await errorCode(stack.mutate(org.adminToken, OM.approveRegistration, { input: { requestId: rejectedOne.requestId } }))).toBe(
      'REGISTRATION_NOT_PENDING',
    );
  });

  it("another account's administrator is denied everywhere; plain users and auditors of the account may not decide", async () => {
    const org = await organisation();
    const other = await openAccount(stack, 'Other Org');
    const request = await requested(stack, personOf(org.domain));
    const refused = ['FORBIDDEN', 'NOT_FOUND'];

    expect(refused).toContain(await errorCode(stack.mutate(other.adminToken, OM.approveRegistration, { input: { requestId: request.requestId } })));
    expect(refused).toContain(await errorCode(stack.mutate(other.adminToken, OM.rejectRegistration, { input: { requestId: request.requestId } })));
    expect(await errorCode(stack.mutate(other.adminToken, OM.setAccountDomains, { input: { accountId: org.accountId, domains: [], autoApprove: true } }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await errorCode(
        stack.mutate(other.adminToken, OM.registerUsers, { input: { accountId: org.accountId, users: [{ email: uniqueEmail(), displayName: 'X' }] } }),
      ),
    ).toBe('FORBIDDEN');
    expect(await errorCode(stack.read(other.adminToken, OQ.registrationRequests, { id: org.accountId }, request.position))).toBe('FORBIDDEN');
    expect(await errorCode(stack.read(other.adminToken, OQ.accountDomains, { id: org.accountId }))).toBe('FORBIDDEN');
    // Their own lists hold nothing of the other account.
    const theirs = await ok(stack.read(other.adminToken, OQ.registrationRequests, { id: other.accountId }));
    expect(theirs.registrationRequests).toEqual([]);

    const plain = await registerUser(stack, org.adminToken, org.accountId);
    const auditor = await registerUser(stack, org.adminToken, org.accountId, { roles: ['AUDITOR'] });
    expect(await errorCode(stack.mutate(plain.token, OM.approveRegistration, { input: { requestId: request.requestId } }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(auditor.token, OM.rejectRegistration, { input: { requestId: request.requestId } }))).toBe('FORBIDDEN');
    expect(
      await errorCode(stack.mutate(org.coAdmin.token, OM.setAccountDomains, { input: { accountId: org.accountId, domains: [], autoApprove: true } })),
    ).toBe('FORBIDDEN');
    // Auditors read the requests and the domains; a plain member sees the account without its domains.
    const audited = await ok(stack.read(auditor.token, `${OQ.registrationRequests}`, { id: org.accountId }, auditor.position));
    expect(audited.registrationRequests.map((r: { id: string }) => r.id)).toEqual([request.requestId]);
    expect((await ok(stack.read(auditor.token, OQ.accountDomains, { id: org.accountId }))).account.domains).toEqual([org.domain]);
    expect((await ok(stack.read(plain.token, OQ.accountDomains, { id: org.accountId }, plain.position))).account.domains).toEqual([]);
    // Still pending: nobody outside decided it.
    const still = await ok(stack.read(org.adminToken, OQ.registrationRequests, { id: org.accountId, status: 'PENDING' }));
    expect(still.registrationRequests.map((r: { id: string }) => r.id)).toEqual([request.requestId]);
  });

  it('two concurrent requests with one email: exactly one is recorded, the other is REGISTRATION_PENDING', async () => {
    const org = await organisation();
    const email = personOf(org.domain);
    const token = await stack.userToken(email);
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => stack.mutate(token, OM.requestRegistration, { input: { displayName: `Pat ${i}`, commandId: `concurrent-${i}` } })),
    );
    const won = answers.filter((a) => a.data?.requestRegistration);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a !== won[0]).map((a) => a.errors?.[0]?.extensions?.code)).toEqual([
      'REGISTRATION_PENDING',
      'REGISTRATION_PENDING',
      'REGISTRATION_PENDING',
    ]);
    const requests = await ok(stack.read(org.adminToken, OQ.registrationRequests, { id: org.accountId }, won[0].data!.requestRegistration.position));
    expect(requests.registrationRequests).toHaveLength(1);
  });

  it('two concurrent domain claims: exactly one account wins, the other gets DOMAIN_ALREADY_CLAIMED and keeps its domains; a dropped domain is free again', async () => {
    const [a, b] = await Promise.all([openAccount(stack, 'Claimer A'), openAccount(stack, 'Claimer B')]);
    const contested = uniqueDomain('contested');
    const own = { [a.accountId]: uniqueDomain('a'), [b.accountId]: uniqueDomain('b') };
    const claims = await Promise.all(
      [a, b].map((org) =>
        stack.mutate(org.adminToken, OM.setAccountDomains, {
          input: { accountId: org.accountId, domains: [own[org.accountId], contested], autoApprove: false },
        }),
      ),
    );
    const winners = claims.filter((c) => c.data?.setAccountDomains);
    expect(winners).toHaveLength(1);
    const loser = claims.find((c) => !c.data?.setAccountDomains)!;
    expect(loser.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_ALREADY_CLAIMED', fields: ['domains'] });
    const [winner, losing] = winners[0] === claims[0] ? [a, b] : [b, a];

    const read = async (org: OpenedAccount, position?: string) =>
      (await ok(stack.read(org.adminToken, OQ.accountDomains, { id: org.accountId }, position))).account;
    const position = winners[0].data!.setAccountDomains.position;
    expect(await read(winner, position)).toMatchObject({ domains: [own[winner.accountId], contested] });
    expect(await read(losing, position)).toMatchObject({ domains: [], autoApprove: false });
    // The loser's own domain was given back when its claim failed: it can set it now.
    await setDomains(stack, losing.adminToken, losing.accountId, [own[losing.accountId]]);

    // A person of the contested domain joins the winner.
    const joined = await requested(stack, personOf(contested));
    expect(joined.accountId).toBe(winner.accountId);

    // The winner drops the domain: it is released, and the other account may claim it.
    await setDomains(stack, winner.adminToken, winner.accountId, [own[winner.accountId]]);
    const taken = await setDomains(stack, losing.adminToken, losing.accountId, [own[losing.accountId], contested], true);
    expect(await read(losing, taken)).toMatchObject({ domains: [own[losing.accountId], contested], autoApprove: true });
  });

  it('a registered user asking to join: EMAIL_ALREADY_REGISTERED; the operator: FORBIDDEN', async () => {
    const org = await organisation();
    expect(await errorCode(stack.mutate(org.adminToken, OM.requestRegistration, { input: { displayName: 'Admin' } }))).toBe('EMAIL_ALREADY_REGISTERED');
    expect(await errorCode(stack.mutate(await stack.operatorToken(), OM.requestRegistration, { input: { displayName: 'Op' } }))).toBe('FORBIDDEN');
  });
});
