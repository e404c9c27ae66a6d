import { compactVerify, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { Subscriber } from '../../support/ws-client';

const USAGE = `subscription($id: ID!) { usageEvents(accountId: $id) { type sessionId accountId userId productId machineId at termLicenseUsage denyReason } }`;
const ALERTS = `subscription($id: ID!) { alertRaised(accountId: $id) { id ruleId productId seatsInUse thresholdSeats seats raisedAt } }`;

describe('graphql-ws subscriptions and signed documents (separate processes)', () => {
  let stack: SesStack;
  const subscribers: Subscriber[] = [];
  const subscriber = (token: string | undefined, minPosition?: string) => {
    const s = new Subscriber(stack.query.wsUrl, token, minPosition);
    subscribers.push(s);
    return s;
  };

  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await stack?.stop();
  });

  /** Each test its own account: seat levels (and so alerts) and usage feeds never carry another test's sessions. */
  const liveCo = async (): Promise<OpenedAccount> => {
    const account = await openAccount(stack, 'Live Co');
    await grantEntitlement(stack, account.accountId, { productId: 'live-app', seats: 5, offlineDays: 3 });
    await grantEntitlement(stack, account.accountId, { productId: 'other-app', seats: 5, offlineDays: 10 });
    return account;
  };
  const start = async (user: RegisteredUser, productId = 'live-app') =>
    (await ok(stack.mutate(user.token, M.startUsage, { input: { productId, machineId: 'ws-pc' } }))).startUsage;
  const end = async (user: RegisteredUser, sessionId: string) => ok(stack.mutate(user.token, M.endUsage, { input: { sessionId } }));

  // Latency is measured in bench/, not asserted here: a busy machine must not fail this test.
  it('pushes usage events to an administrator of the account as they happen', async () => {
    const account = await liveCo();
    const admin = subscriber(account.adminToken, account.position);
    await admin.subscribe(USAGE, { id: account.accountId });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    await admin.prime(async () => end(user, (await start(user)).sessionId));
    const session = await start(user);
    const [started] = await admin.waitFor(1);
    expect(started.usageEvents).toMatchObject({
      type: 'STARTED',
      sessionId: session.sessionId,
      userId: user.userId,
      productId: 'live-app',
      machineId: 'ws-pc',
      termLicenseUsage: false,
      denyReason: null,
    });
    await end(user, session.sessionId);
    const events = await admin.waitFor(2);
    expect(events[1].usageEvents).toMatchObject({ type: 'ENDED', sessionId: session.sessionId, machineId: 'ws-pc' });
  });

  it('pushes an alert once per crossing and again only after it re-armed', async () => {
    const account = await liveCo();
    const { setAlertRule } = await ok(
      stack.mutate(account.adminToken, M.setAlertRule, { input: { accountId: account.accountId, productId: 'other-app', thresholdSeats: 2 } }),
    );
    const [a, b, c] = [
      await registerUser(stack, account.adminToken, account.accountId),
      await registerUser(stack, account.adminToken, account.accountId),
      await registerUser(stack, account.adminToken, account.accountId),
    ];
    // Prime the alert feed with a throw-away crossing of a second rule on another product.
    const { setAlertRule: probeRule } = await ok(
      stack.mutate(account.adminToken, M.setAlertRule, { input: { accountId: account.accountId, productId: 'live-app', thresholdSeats: 1 } }),
    );
    const alerts = subscriber(account.adminToken, account.position);
    await alerts.subscribe(ALERTS, { id: account.accountId });
    await alerts.prime(async () => end(a, (await start(a, 'live-app')).sessionId));
    await ok(stack.mutate(account.adminToken, M.removeAlertRule, { input: { ruleId: probeRule.ruleId } }));
    const usage = subscriber(account.adminToken, account.position);
    await usage.subscribe(USAGE, { id: account.accountId });
    await usage.prime(async () => end(a, (await start(a, 'live-app')).sessionId));
    const sa = await start(a, 'other-app');
    const sb = await start(b, 'other-app'); // 2 seats: crosses the threshold
    const sc = await start(c, 'other-app'); // 3 seats: still above, no new alert
    await usage.waitFor(3);
    await end(b, sb.sessionId); // 2 seats: not below, not re-armed
    await end(c, sc.sessionId); // 1 seat: below, re-armed
    await start(c, 'other-app'); // 2 seats again: a second alert
    // Alerts arrive in order on their connection: a repeated alert at 3 seats would come second.
    const [first, second] = await alerts.waitFor(2);
    expect(first.alertRaised).toMatchObject({ ruleId: setAlertRule.ruleId, productId: 'other-app', seatsInUse: 2, thresholdSeats: 2, seats: 5 });
    expect(second.alertRaised).toMatchObject({ ruleId: setAlertRule.ruleId, seatsInUse: 2 });
    expect(second.alertRaised.id).not.toBe(first.alertRaised.id);
    await usage.waitFor(6);
    await end(a, sa.sessionId);
  });

  it('gives a subscriber of another account nothing: its subscription to this account is refused, and its own feed carries none of these events', async () => {
    const account = await liveCo();
    const other = await openAccount(stack, 'Other Live Co');
    await grantEntitlement(stack, other.accountId, { productId: 'live-app', seats: 5 });
    const spy = subscriber(other.adminToken, other.position);
    await spy.subscribe(USAGE, { id: account.accountId }).catch(() => undefined);
    expect(JSON.stringify(await spy.waitForError())).toContain('"code":"FORBIDDEN"');
    expect(spy.received).toEqual([]);

    const own = subscriber(other.adminToken, other.position);
    await own.subscribe(USAGE, { id: other.accountId });
    const otherUser = await registerUser(stack, other.adminToken, other.accountId);
    await own.prime(async () => end(otherUser, (await start(otherUser)).sessionId));
    await start(otherUser);
    await own.waitFor(1);
    const user = await registerUser(stack, account.adminToken, account.accountId);
    await start(user);
    await start(otherUser);
    const seen = await own.waitFor(2);
    expect(seen.map((m) => m.usageEvents.accountId)).toEqual([other.accountId, other.accountId]);
  });

  it("refuses a plain user's subscription and a connection without a valid token", async () => {
    const account = await liveCo();
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const plain = subscriber(user.token, user.position);
    await plain.subscribe(USAGE, { id: account.accountId }).catch(() => undefined);
    expect(JSON.stringify(await plain.waitForError())).toContain('"code":"FORBIDDEN"');
    const anonymous = subscriber('not-a-token');
    await expect(anonymous.subscribe(USAGE, { id: account.accountId })).rejects.toThrow(/closed/);
    expect(anonymous.closedWith?.code).toBe(4403);
  });

  it('signs a check-out license and a policy that verify offline with signingKeys (jose, EdDSA, kid)', async () => {
    const account = await liveCo();
    const user = await registerUser(stack, account.adminToken, account.accountId, { roles: ['SOFTWARE_DOWNLOAD'] });
    const { checkOut } = await ok(stack.mutate(user.token, M.checkOut, { input: { productId: 'live-app', machineId: 'ws-pc', days: 2 } }));
    const { signingKeys } = await ok(stack.read(user.token, '{ signingKeys { kid alg publicKeyPem } }'));
    expect(signingKeys).toHaveLength(1);
    const key = await importSPKI(signingKeys[0].publicKeyPem, 'EdDSA');

    expect(decodeProtectedHeader(checkOut.license)).toMatchObject({ alg: 'EdDSA', kid: signingKeys[0].kid });
    const license = await jwtVerify(checkOut.license, key, { algorithms: ['EdDSA'] });
    expect(license.payload).toMatchObject({
      checkoutId: checkOut.checkoutId,
      userId: user.userId,
      accountId: account.accountId,
      productId: 'live-app',
      machineId: 'ws-pc',
      expiresAt: checkOut.expiresAt,
    });

    const { policy } = await ok(
      stack.read(
        user.token,
        '{ policy { userId accountId issuedAt expiresAt canDownload token products { productId allowed denyReason offlineDays termLicenseUsageLikely } } }',
        {},
        checkOut.position,
      ),
    );
    expect(policy).toMatchObject({ userId: user.userId, accountId: account.accountId, canDownload: true });
    expect(policy.products.map((p: { productId: string }) => p.productId).sort()).toEqual(['live-app', 'other-app']);
    // expiresAt = issuedAt + the smallest offlineDays among allowed products (3 and 10).
    expect(Date.parse(policy.expiresAt) - Date.parse(policy.issuedAt)).toBe(3 * 24 * 3600 * 1000);
    const verified = await compactVerify(policy.token, key);
    expect(verified.protectedHeader).toMatchObject({ alg: 'EdDSA', kid: signingKeys[0].kid });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toMatchObject({ userId: user.userId, products: policy.products });
    const tampered = policy.token.replace(/\.([^.]+)\./, (_m: string, body: string) => `.${body.slice(0, -2)}AA.`);
    await expect(compactVerify(tampered, key)).rejects.toThrow();
  });
});
