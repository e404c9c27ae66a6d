import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { TokenVerifier } from './token-verifier';

/** Production may trust an OIDC issuer's JWKS instead of a shared secret (contract README, Authentication). */
describe("TokenVerifier with an OIDC issuer's JWKS", () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (claims: Record<string, unknown>, issuer = 'https://idp.example', audience = 'ses') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(privateKey);

  it("accepts a token signed by the issuer's key with the right issuer and audience", async () => {
    const verifier = new TokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'ses' });
    await expect(verifier.verify(`Bearer ${await sign({ email: 'Ann@Example.com' })}`)).resolves.toEqual({
      sub: 'user-1',
      email: 'ann@example.com',
      operator: false,
    });
  });

  it('rejects another issuer or audience with UNAUTHENTICATED', async () => {
    const verifier = new TokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'ses' });
    await expect(verifier.verify(`Bearer ${await sign({}, 'https://evil.example')}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(`Bearer ${await sign({}, 'https://idp.example', 'other')}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
