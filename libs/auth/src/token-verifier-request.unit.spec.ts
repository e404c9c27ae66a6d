import { issueToken } from './token-issuer';
import { TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-unit-test-secret-00';

describe('TokenVerifier.verifyRequest (one verification per request: the rate limiter, then the resolvers)', () => {
  it('verifies a request once and hands every caller the same answer', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const verify = jest.spyOn(verifier, 'verify');
    const req = { headers: { authorization: `Bearer ${await issueToken(SECRET, { sub: 'op', operator: true })}` } };
    const first = verifier.verifyRequest(req);
    expect(verifier.verifyRequest(req)).toBe(first);
    await expect(first).resolves.toMatchObject({ sub: 'op', operator: true });
    expect(verify).toHaveBeenCalledTimes(1);
    // Another request object is verified on its own.
    await expect(verifier.verifyRequest({ headers: { ...req.headers } })).resolves.toMatchObject({ sub: 'op' });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('keeps a refusal for every caller of that request', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const req = { headers: { authorization: 'Bearer not.a.jwt' } };
    await expect(verifier.verifyRequest(req)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verifyRequest(req)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
