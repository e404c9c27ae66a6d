import { decodeJwt } from 'jose/jwt/decode';

/** Where the signed-in person's bearer token lives: sessionStorage, so it ends with the tab and is never sent anywhere but the two APIs. */
export const TOKEN_KEY = 'ses.portal.token';

export interface TokenClaims {
  sub?: string;
  email?: string;
  scope?: string;
  exp?: number;
  name?: string;
}

/** The JWT of `#token=<JWT>` (how `npm run token` users and tests sign in), or null. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : null;
}

/** The token's claims, read without verifying (the APIs verify; the portal only needs them to choose what to show). */
export function claimsOf(token: string): TokenClaims | null {
  try {
    const claims = decodeJwt(token);
    return {
      sub: typeof claims.sub === 'string' ? claims.sub : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      scope: typeof claims.scope === 'string' ? claims.scope : undefined,
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
      name: typeof claims.name === 'string' ? claims.name : undefined,
    };
  } catch {
    return null;
  }
}

/** Why a pasted or stored token cannot be used, in words; null when it looks usable. */
export function tokenProblem(token: string, nowMs: number): string | null {
  const claims = claimsOf(token);
  if (!claims) return 'This is not a token: paste the whole JWT (three parts separated by dots).';
  if (claims.exp !== undefined && claims.exp * 1000 <= nowMs) return 'This token has expired: get a new one.';
  return null;
}

export function isOperatorToken(claims: TokenClaims | null): boolean {
  return !!claims?.scope?.split(/\s+/).includes('ses:operator');
}

/** The token kept for this tab, if any. */
export function readStoredToken(storage: Pick<Storage, 'getItem'> = sessionStorage): string | null {
  try {
    return storage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  storage.setItem(TOKEN_KEY, token);
}

export function forgetToken(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  storage.removeItem(TOKEN_KEY);
}
