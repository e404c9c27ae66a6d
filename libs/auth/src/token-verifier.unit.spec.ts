import { SignJWT } from 'jose';
import { issueToken } from './token-issuer';
import { TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-unit-test-secret-00';

describe('TokenVerifier (HS256)', () => {
  const verifier = new TokenVerifier({ secret: SECRET });

  it('accepts a valid token and reads sub, lower-cased email and the operator scope', async () => {
    await expect(verifier.verify(`Bearer ${await issueToken(SECRET, { email: 'Ann@Example.COM', sub: 's1' })}`)).resolves.toEqual({
      sub: 's1',
      email: 'ann@example.com',
      operator: false,
    });
    await expect(verifier.verify(`bearer ${await issueToken(SECRET, { operator: true, sub: 'op' })}`)).resolves.toMatchObject({ sub: 'op', operator: true });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['garbage', 'Bearer not-a-jwt'],
  ])('rejects %s with UNAUTHENTICATED', async (_name, header) => {
    await expect(verifier.verify(header)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('requires the Bearer scheme: a bare token or another scheme is refused with UNAUTHENTICATED', async () => {
    const token = await issueToken(SECRET, { email: 'a@b.co', sub: 's1' });
    for (const header of [token, `Basic ${token}`, `Token ${token}`, `Bearer${token}`, `Bearer ${token} extra`]) {
      await expect(verifier.verify(header)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    await expect(verifier.verify(`  Bearer ${token}  `)).resolves.toMatchObject({ sub: 's1' });
  });

  it('rejects an expired token, one signed with another secret, and one without exp', async () => {
    const expired = await issueToken(SECRET, { email: 'a@b.co', expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const foreign = await issueToken('another-secret-another-secret-0000', { email: 'a@b.co' });
    const noExp = await new SignJWT({ email: 'a@b.co' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(SECRET));
    for (const token of [expired, foreign, noExp]) await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
