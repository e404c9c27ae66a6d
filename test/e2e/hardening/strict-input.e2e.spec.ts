import { issueToken } from '../../../libs/auth/src/token-issuer';
import { ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount } from '../../support/scenario';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SesStack } from '../../support/ses-stack';
import { codesOf, eventCount, eventually, post } from './hardening-support';

/** Issue 15, reproduction 5 (all but the foreign sessionId, which branch `core` handles), over HTTP against both apps as processes. */
describe('strict input: calendar dates, the Bearer scheme, refusals logged as what they are', () => {
  jest.setTimeout(60_000);
  let stack: SesStack;
  let account: OpenedAccount;
  let operator: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
    account = await openAccount(stack, 'Strict Input Co');
  }, 60_000);
  afterAll(() => stack?.stop());

  const GRANT_LITERAL = (startsAt: string, accountId: string) =>
    `mutation { grantEntitlement(input: { accountId: "${accountId}", productId: "p", productName: "P", seats: 1, startsAt: "${startsAt}", endsAt: "2027-01-01T00:00:00Z" }) { entitlementId } }`;

  it('refuses 2026-02-30 as BAD_USER_INPUT naming the field, from variables and from literals, and stores nothing', async () => {
    const before = eventCount(stack);
    const input = {
      accountId: account.accountId,
      productId: 'p',
      productName: 'P',
      seats: 1,
      startsAt: '2026-02-30T00:00:00Z',
      endsAt: '2027-01-01T00:00:00Z',
    };
    const viaVariables = await post(stack.command.url, { query: M.grantEntitlement, variables: { input } }, { authorization: `Bearer ${operator}` });
    expect([viaVariables.status, viaVariables.body?.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', fields: ['startsAt'] }]);
    const viaLiteral = await post(
      stack.command.url,
      { query: GRANT_LITERAL('2026-02-30T00:00:00Z', account.accountId) },
      { authorization: `Bearer ${operator}` },
    );
    expect([viaLiteral.status, viaLiteral.body?.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', fields: ['startsAt'] }]);
    for (const bad of ['2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2025-02-29T12:00:00+01:00']) {
      const answer = await post(
        stack.command.url,
        { query: M.grantEntitlement, variables: { input: { ...input, startsAt: bad } } },
        { authorization: `Bearer ${operator}` },
      );
      expect([bad, answer.body?.errors?.[0].extensions?.code]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    expect(eventCount(stack)).toBe(before);
    // The query API's DateTime arguments are the same scalar.
    const alerts = await post(
      stack.query.url,
      {
        query: 'query($id: ID!, $from: DateTime) { alerts(accountId: $id, from: $from) { id } }',
        variables: { id: account.accountId, from: '2026-02-30T00:00:00Z' },
      },
      { authorization: `Bearer ${account.adminToken}` },
    );
    expect([alerts.status, alerts.body?.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', fields: ['from'] }]);
    // A real date is still accepted.
    await ok(stack.mutate(operator, M.grantEntitlement, { input: { ...input, startsAt: '2024-02-29T00:00:00Z' } }));
  });

  it('requires the Bearer scheme on both apps: a bare token or another scheme is UNAUTHENTICATED', async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const revoke = { query: M.revokeEntitlement, variables: { input: { entitlementId: 'no-such-entitlement', reason: 'x' } } };
    for (const authorization of [operator, `Basic ${operator}`, `Token ${operator}`, `Bearer${operator}`]) {
      expect(codesOf(await post(stack.command.url, revoke, { authorization }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(codesOf(await post(stack.command.url, revoke, { authorization: `Bearer ${operator}` }))).not.toContain('UNAUTHENTICATED');
    for (const authorization of [user.token, `Basic ${user.token}`]) {
      const answer = await post(stack.query.url, { query: '{ me { id } }' }, { authorization });
      expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
    }
    expect((await ok(stack.read(user.token, '{ me { id } }', {}, user.position))).me.id).toBe(user.userId);
  });

  it('requires the Bearer scheme in graphql-ws connection_init too (4403 without it)', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: stack.query.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: account.adminToken },
        retryAttempts: 0,
        lazy: true,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe({ query: '{ __typename }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(await closed).toBe(4403);
  });

  it('logs expected refusals (NO_SEATS_AVAILABLE, FORBIDDEN, BAD_USER_INPUT, UNAUTHENTICATED) at info, nothing at error', async () => {
    await grantEntitlement(stack, account.accountId, { productId: 'one-seat', seats: 1, checkoutAllowed: true, maxCheckoutDays: 5 });
    const [a, b] = [await registerUser(stack, account.adminToken, account.accountId), await registerUser(stack, account.adminToken, account.accountId)];
    const other = await openAccount(stack, 'Other Strict Co');
    const commandLogsBefore = stack.command.logs.length;
    const queryLogsBefore = stack.query.logs.length;

    await ok(stack.mutate(a.token, M.checkOut, { input: { productId: 'one-seat', machineId: 'pc-a', days: 1 } }));
    const noSeats = await stack.mutate(b.token, M.checkOut, { input: { productId: 'one-seat', machineId: 'pc-b', days: 1 } });
    expect(noSeats.errors?.[0].extensions?.code).toBe('NO_SEATS_AVAILABLE');
    const forbidden = await stack.read(other.adminToken, 'query($id: ID!) { account(id: $id) { id } }', { id: account.accountId });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badInput = await stack.mutate(account.adminToken, M.registerUser, {
      input: { accountId: account.accountId, email: 'not-an-email', displayName: 'x' },
    });
    expect(badInput.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unauthenticated = await stack.read(await issueToken('another-secret-another-secret-0000', { email: a.email }), '{ me { id } }');
    expect(unauthenticated.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    // Log lines reach the test through the processes' stdout pipes: wait for them rather than for a fixed time.
    const linesSince = () =>
      [...stack.command.logs.slice(commandLogsBefore), ...stack.query.logs.slice(queryLogsBefore)].map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = ['NO_SEATS_AVAILABLE', 'FORBIDDEN', 'BAD_USER_INPUT', 'UNAUTHENTICATED'];
    await eventually(
      async () => expected.every((code) => linesSince().some((line) => line.msg === 'request refused' && line.code === code)),
      'a "request refused" line for each code',
    );
    const lines = linesSince();
    const refused = lines.filter((line) => line.msg === 'request refused');
    for (const line of refused) expect(line.level).toBeLessThanOrEqual(30);
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
  });
});
