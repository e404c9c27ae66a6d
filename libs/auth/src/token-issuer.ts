import { SignJWT } from 'jose';
import { OPERATOR_SCOPE } from './principal';

/** Issues HS256 development/test tokens (what `npm run token` prints). */
export async function issueToken(secret: string, claims: { sub?: string; email?: string; operator?: boolean; expiresIn?: string | number }): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.email) payload.email = claims.email;
  if (claims.operator) payload.scope = OPERATOR_SCOPE;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? (claims.operator ? 'operator' : `user:${claims.email ?? 'anonymous'}`))
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}
