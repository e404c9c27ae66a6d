import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { DomainError } from '@ses/domain';
import { OPERATOR_SCOPE, type Principal } from './principal';

export interface AuthSettings {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** Bounds of the verified-token cache. */
export interface VerifiedTokenCacheOptions {
  /** Tokens remembered (LRU); default 10,000; 0 switches the cache off. */
  max?: number;
  /** How long a verification is reused at most, whatever the token's exp (a JWKS key taken out of use stops being trusted within this); default 60 s. */
  ttlMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

interface Verified {
  principal: Principal;
  /** The token's exp, in seconds since the epoch. */
  exp: number;
}

/** Verifies bearer tokens: HS256 with the shared secret, or an OIDC issuer's JWKS when configured. */
export class TokenVerifier {
  private readonly key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** One verification per HTTP request, whoever asks first (the rate limiter, then the resolvers). */
  private readonly perRequest = new WeakMap<object, Promise<Principal>>();
  /**
   * Tokens verified recently, by their exact text (signature included): a client sends the same
   * bearer token with every request, and the HMAC/signature check and claim parsing were a
   * measurable share of each request's CPU (BENCHMARKS.md, issue 14). A hit is still refused
   * once the token's exp has passed; only successful verifications are kept.
   */
  private readonly verified?: LRUCache<string, Verified>;
  private readonly now: () => number;

  constructor(
    private readonly settings: AuthSettings,
    cache: VerifiedTokenCacheOptions = {},
  ) {
    this.now = cache.now ?? Date.now;
    const max = cache.max ?? 10_000;
    if (max > 0) this.verified = new LRUCache<string, Verified>({ max, ttl: cache.ttlMs ?? 60_000, ttlAutopurge: false, perf: { now: this.now } });
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
    const hit = this.verified?.get(token);
    if (hit) {
      // As jose checks exp: valid while exp > now, in whole seconds.
      if (hit.exp > Math.floor(this.now() / 1000)) return { ...hit.principal };
      this.verified!.delete(token);
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired token');
    }
    let payload: JWTPayload;
    try {
      const options = { algorithms: this.algorithms, requiredClaims: ['sub', 'exp'], issuer: this.settings.issuer, audience: this.settings.audience };
      payload = (typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, await this.key, options)).payload;
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired token');
    }
    const scope = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : undefined;
    const principal = { sub: String(payload.sub), email, operator: scope.includes(OPERATOR_SCOPE) };
    if (typeof payload.exp === 'number') this.verified?.set(token, { principal, exp: payload.exp });
    return { ...principal };
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
