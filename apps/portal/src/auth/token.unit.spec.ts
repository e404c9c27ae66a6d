import { describe, expect, it } from '@jest/globals';
import { claimsOf, forgetToken, isOperatorToken, readStoredToken, storeToken, tokenFromHash, tokenProblem } from './token';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.signature`;

describe('portal sign-in tokens', () => {
  it('given #token=<JWT> in the address, takes the token (also among other fragment parameters)', () => {
    expect(tokenFromHash('#token=abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHash('#foo=1&token=abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHash('#/overview')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });

  it('reads the claims it needs without verifying, and tells an operator token by its scope', () => {
    const claims = claimsOf(jwt({ sub: 'op', scope: 'openid ses:operator', exp: 2_000_000_000 }));
    expect(claims).toMatchObject({ sub: 'op', exp: 2_000_000_000 });
    expect(isOperatorToken(claims)).toBe(true);
    expect(isOperatorToken(claimsOf(jwt({ sub: 'u', email: 'a@b.c', scope: 'ses:operatorx' })))).toBe(false);
  });

  it('says in words why a pasted token cannot be used', () => {
    expect(tokenProblem('not a token', Date.now())).toMatch(/not a token/);
    expect(tokenProblem(jwt({ sub: 'u', exp: 1000 }), 2_000_000)).toMatch(/expired/);
    expect(tokenProblem(jwt({ sub: 'u', exp: 4_000_000_000 }), Date.now())).toBeNull();
  });

  it('keeps the token in the given storage until signing out forgets it', () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    storeToken('t1', storage);
    expect(readStoredToken(storage)).toBe('t1');
    forgetToken(storage);
    expect(readStoredToken(storage)).toBeNull();
  });
});
