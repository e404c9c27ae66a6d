import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SignJWT } from 'jose';

/**
 * A minimal OIDC issuer for the portal's sign-in test: discovery, an authorization
 * endpoint that approves at once, and a token endpoint that checks the PKCE verifier
 * against the challenge before it issues an HS256 access token with `iss` (which the
 * apps verify with SES_AUTH_SECRET and SES_AUTH_ISSUER).
 */
export class FakeOidcIssuer {
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  private server!: Server;
  issuer = '';

  constructor(
    private readonly secret: string,
    private readonly email: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers = {}, body }) => {
          res.writeHead(status, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', ...headers });
          res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
        },
        (error: unknown) => {
          res.writeHead(500, { 'access-control-allow-origin': '*' });
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A token of this issuer (the operator's, or the signed-in person's). */
  token(claims: { sub: string; email?: string; scope?: string }): Promise<string> {
    return new SignJWT({ ...(claims.email ? { email: claims.email } : {}), ...(claims.scope ? { scope: claims.scope } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(claims.sub)
      .setAudience('ses-portal')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(this.secret));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const url = new URL(req.url ?? '/', this.issuer);
    if (req.method === 'OPTIONS') return { status: 204 };
    if (url.pathname === '/.well-known/openid-configuration') {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['HS256'],
        },
      };
    }
    if (url.pathname === '/authorize') {
      const params = url.searchParams;
      this.authorizeRequests.push(params);
      const code = randomUUID();
      this.codes.set(code, {
        challenge: params.get('code_challenge') ?? '',
        redirectUri: params.get('redirect_uri') ?? '',
        clientId: params.get('client_id') ?? '',
      });
      const back = new URL(params.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      this.tokenRequests.push(form);
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri') || grant.clientId !== form.get('client_id')) {
        return { status: 400, headers: { 'content-type': 'application/json' }, body: { error: 'invalid_grant' } };
      }
      const token = await this.token({ sub: `oidc|${this.email}`, email: this.email });
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { access_token: token, id_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email' },
      };
    }
    return { status: 404, body: 'not found' };
  }
}
