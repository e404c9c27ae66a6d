import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '@ses/domain';
import { OPERATOR_SCOPE, type Principal } from './principal';

export interface AuthSettings {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** Verifies bearer tokens: HS256 with the shared secret, or an OIDC issuer's JWKS when configured. */
export class TokenVerifier {
  private readonly key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** One verification per HTTP request, whoever asks first (the rate limiter, then the resolvers). */
  private readonly perRequest = new WeakMap<object, Promise<Principal>>();

  constructor(private readonly settings: AuthSettings) {
    if (settings.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(settings.jwksUrl));
      this.algorithms = ['RS256', 'ES256', 'EdDSA', 'PS256'];
    } else if (settings.secret) {
      // Imported once: given the raw bytes, jose imports a WebCrypto key on every verification
      // (a measurable share of a query's CPU time under load).
      this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(settings.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('TokenVerifier needs a secret or a JWKS URL');
    }
  }

  /** Accepts `Bearer <jwt>` only (the scheme is case-insensitive, RFC 7235). Throws UNAUTHENTICATED. */
  async verify(authorization: string | undefined | null): Promise<Principal> {
    const token = extractBearer(authorization);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'expected an Authorization header "Bearer <token>"');
    let payload: JWTPayload;
    try {
      const options = { algorithms: this.algorithms, requiredClaims: ['sub', 'exp'], issuer: this.settings.issuer, audience: this.settings.audience };
      payload = (typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, await this.key, options)).payload;
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired token');
    }
    const scope = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : undefined;
    return { sub: String(payload.sub), email, operator: scope.includes(OPERATOR_SCOPE) };
  }

  /** verify() of the request's Authorization header, done once per request object and shared. */
  verifyRequest(req: { headers: { authorization?: string } }): Promise<Principal> {
    let verified = this.perRequest.get(req);
    if (!verified) {
      verified = this.verify(req.headers.authorization);
      this.perRequest.set(req, verified);
    }
    return verified;
  }
}

/** The contract: `Authorization: Bearer <JWT>` (and the same string in graphql-ws's connection_init). A bare token or another scheme is no token. */
function extractBearer(header: string | undefined | null): string | undefined {
  if (typeof header !== 'string' || header.length > 16 * 1024) return undefined;
  return /^\s*Bearer +([\w-]+\.[\w-]+\.[\w-]*)\s*$/i.exec(header)?.[1];
}
