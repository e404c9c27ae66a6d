import { SesStack } from '../../support/ses-stack';

/**
 * The query app serves the Analytics Portal (built by `npm run build`) at /portal/ and
 * redirects / there; the command app answers CORS for SES_PORTAL_ORIGIN and no other origin.
 */
describe('Analytics Portal: serving and CORS', () => {
  jest.setTimeout(30_000);
  const PORTAL_ORIGIN = 'https://portal.example.com';
  let stack: SesStack;
  let query: string;
  let command: string;

  beforeAll(async () => {
    stack = await SesStack.start({ SES_PORTAL_ORIGIN: PORTAL_ORIGIN, SES_PORTAL_CLIENT_ID: 'ses-portal' });
    query = `http://127.0.0.1:${stack.query.port}`;
    command = stack.command.url;
  });
  afterAll(() => stack?.stop());

  it('redirects / to /portal/ and serves the single-page application there, with its security headers', async () => {
    const root = await fetch(`${query}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/portal/');
    expect((await fetch(`${query}/portal`, { redirect: 'manual' })).headers.get('location')).toBe('/portal/');

    const page = await fetch(`${query}/portal/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    // GraphQL to this app and to the command API; nothing else.
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3000;");
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/portal\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await fetch(`${query}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers client-side routes with index.html (HTML5 history), but a missing asset or a path outside with 404', async () => {
    const route = await fetch(`${query}/portal/a/some-account/usage`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="root">');
    expect((await fetch(`${query}/portal/assets/index-does-not-exist.js`)).status).toBe(404);
    expect((await fetch(`${query}/portal/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('tells the portal where the command API is (SES_COMMAND_PORT on the page’s host, or SES_PORTAL_COMMAND_URL), and the OIDC client once an issuer is set', async () => {
    // The query app's own SES_COMMAND_PORT (default 3000) on the host the portal was loaded from.
    expect(await (await fetch(`${query}/portal/config.json`)).json()).toEqual({
      commandUrl: 'http://127.0.0.1:3000/graphql',
      portalOrigin: PORTAL_ORIGIN,
      oidc: null,
    });

    await stack.restart('query', {
      SES_PORTAL_COMMAND_URL: 'https://api.example.com/command/graphql',
      SES_AUTH_ISSUER: 'https://login.example.com/realms/ses',
    });
    const restarted = `http://127.0.0.1:${stack.query.port}`;
    expect(await (await fetch(`${restarted}/portal/config.json`)).json()).toEqual({
      commandUrl: 'https://api.example.com/command/graphql',
      portalOrigin: PORTAL_ORIGIN,
      oidc: { authority: 'https://login.example.com/realms/ses', clientId: 'ses-portal', scope: 'openid profile email' },
    });
    expect((await fetch(`${restarted}/portal/`)).headers.get('content-security-policy')).toContain(
      "connect-src 'self' https://api.example.com https://login.example.com;",
    );
    query = restarted;
  });

  it('the command API allows SES_PORTAL_ORIGIN through CORS, and gives any other origin no allowance', async () => {
    const preflight = (origin: string) =>
      fetch(command, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(PORTAL_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    for (const origin of ['https://evil.example', 'http://portal.example.com', `${query}`]) {
      const refused = await preflight(origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    const post = await fetch(command, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"query":"{ ping }"}',
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});
