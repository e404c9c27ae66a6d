import { randomUUID } from 'node:crypto';
import { issueToken } from '../../../libs/auth/src/token-issuer';
import { globalLog } from '../../support/event-log';
import { M, Q, uniqueEmail } from '../../support/scenario';
import { SesStack, TEST_SECRET } from '../../support/ses-stack';

const LIMIT = 4;
const PORTAL_ORIGIN = 'http://portal.example.test';

/** A raw POST to an app's /graphql: status, headers and body as the client sees them. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] },
  };
}

/**
 * Per-principal rate limits on the command API (issue 13): HTTP 429 with Retry-After and a
 * GraphQL error body with code RATE_LIMITED; counted by the token's sub, and by the client's
 * address for requests without a valid token. Each test uses principals of its own, so the
 * tests run alone and in any order.
 */
describe('operations: rate limits on the command API', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start({
      SES_RATE_LIMIT_PER_PRINCIPAL: String(LIMIT),
      SES_RATE_LIMIT_PER_ADDRESS: String(LIMIT),
      SES_RATE_LIMIT_WINDOW_SECONDS: '600',
      SES_PORTAL_ORIGIN: PORTAL_ORIGIN,
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  const operator = () => issueToken(TEST_SECRET, { operator: true, sub: `operator-${randomUUID()}` });
  const openAccount = (token: string, headers: Record<string, string> = {}) =>
    post(
      stack.command.url,
      {
        query: M.openAccount,
        variables: { input: { name: 'Rate Co', entitlementCountry: 'US', fulfillmentContact: { email: uniqueEmail(), displayName: 'A' } } },
      },
      { authorization: `Bearer ${token}`, ...headers },
    );

  it('answers a principal over its limit 429 with Retry-After and RATE_LIMITED, and appends nothing', async () => {
    const token = await operator();
    for (let i = 0; i < LIMIT; i++) expect((await openAccount(token)).body.data?.openAccount.accountId).toEqual(expect.any(String));
    const logBefore = globalLog(stack).count;

    const refused = await openAccount(token);

    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      { message: expect.stringContaining('too many requests'), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } },
    ]);
    expect(globalLog(stack).count).toBe(logBefore);
  });

  it('counts each principal separately: another token of the same client still gets through', async () => {
    const busy = await operator();
    for (let i = 0; i < LIMIT; i++) await openAccount(busy);
    expect((await openAccount(busy)).status).toBe(429);

    const other = await operator();
    const answer = await openAccount(other);
    expect(answer.status).toBe(200);
    expect(answer.body.data?.openAccount.accountId).toEqual(expect.any(String));
  });

  it('counts requests without a valid token by address, apart from the principals of that address', async () => {
    const register = { query: M.registerUser, variables: { input: { accountId: 'a', email: 'x@example.com', displayName: 'X' } } };
    const anonymous = () => post(stack.command.url, register);
    const badToken = () => post(stack.command.url, register, { authorization: 'Bearer not.a.jwt' });
    for (let i = 0; i < LIMIT; i++) {
      const answer = await (i % 2 ? anonymous() : badToken());
      expect(answer.status).toBe(200);
      expect(answer.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const refused = await anonymous();
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((await badToken()).status).toBe(429);

    // A valid token from the same address is its principal's business, not the address's.
    expect((await openAccount(await operator())).status).toBe(200);
    // /health and /metrics are not GraphQL: never limited.
    expect((await fetch(stack.command.url.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(stack.command.url.replace('/graphql', '/metrics'))).status).toBe(200);
  });

  it('lets the portal read a 429 (CORS headers on it), and never limits preflights', async () => {
    const token = await operator();
    for (let i = 0; i < LIMIT; i++) await openAccount(token, { origin: PORTAL_ORIGIN });
    const refused = await openAccount(token, { origin: PORTAL_ORIGIN });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);

    // Preflights carry no token: more of them than the address may send, all answered.
    for (let i = 0; i < LIMIT + 2; i++) {
      const preflight = await fetch(stack.command.url, {
        method: 'OPTIONS',
        headers: { origin: PORTAL_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
    }
  });

  it('does not limit the query API', async () => {
    const token = await issueToken(TEST_SECRET, { email: uniqueEmail(), sub: `reader-${randomUUID()}` });
    for (let i = 0; i < LIMIT * 3; i++) {
      const answer = await post(stack.query.url, { query: Q.me }, { authorization: `Bearer ${token}` });
      expect(answer.status).toBe(200);
    }
  });

  it('counts refusals on /metrics', async () => {
    const refusals = async () => {
      const text = await (await fetch(stack.command.url.replace('/graphql', '/metrics'))).text();
      return Number(/^ses_rate_limited_total\{[^}]*key="principal"[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await refusals();
    const token = await operator();
    for (let i = 0; i < LIMIT; i++) await openAccount(token);
    expect((await openAccount(token)).status).toBe(429);
    expect(await refusals()).toBe(before + 1);
  });
});
