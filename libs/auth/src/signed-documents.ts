import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key';

/** Signs a document as a compact JWS (EdDSA) with `kid` in the header, verifiable offline with signingKeys. */
export function signDocument(key: SigningKey, type: string, claims: Record<string, unknown>, issuedAt: Date, expiresAt: Date): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: type })
    .setIssuer('ses')
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key.privateKey);
}
