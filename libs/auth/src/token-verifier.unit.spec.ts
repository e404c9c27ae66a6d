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

describe('TokenVerifier: verified-token cache', () => {
  it('answers a repeated token from the cache, and refuses it once its exp has passed', async () => {
    let now = Date.now();
    const verifier = new TokenVerifier({ secret: SECRET }, { now: () => now });
    const exp = Math.floor(now / 1000) + 120;
    const token = await issueToken(SECRET, { email: 'a@b.co', sub: 's1', expiresIn: exp });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({ sub: 's1', email: 'a@b.co', operator: false });
    now += 60_000;
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({ sub: 's1', email: 'a@b.co', operator: false });
    // The second answer came from the cache: jose (real clock) still accepts the token, the verifier's clock says it expired.
    now = exp * 1000;
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never trusts a token only because another one with the same claims is cached', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = await issueToken(SECRET, { email: 'a@b.co', sub: 's1' });
    await verifier.verify(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const forged = await issueToken('another-secret-another-secret-0000', { email: 'a@b.co', sub: 's1' });
    for (const bad of [tampered, forged]) await expect(verifier.verify(`Bearer ${bad}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // The cached answer is a copy: changing it changes nothing for the next request.
    const first = await verifier.verify(`Bearer ${token}`);
    first.operator = true;
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ operator: false });
  });

  it('re-verifies after ttlMs, and with max 0 keeps nothing', async () => {
    let now = Date.now();
    const token = await issueToken(SECRET, { email: 'a@b.co', sub: 's1', expiresIn: Math.floor(now / 1000) + 600 });
    const cached = new TokenVerifier({ secret: SECRET }, { ttlMs: 1000, now: () => now });
    await cached.verify(`Bearer ${token}`);
    // Past the ttl, the verifier verifies again: jose with the real clock accepts it, so it is answered (not refused from a stale entry).
    now += 5000;
    await expect(cached.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 's1' });
    const uncached = new TokenVerifier({ secret: SECRET }, { max: 0, now: () => now + 10 * 60_000 });
    await uncached.verify(`Bearer ${token}`);
    // Without a cache the verifier's clock plays no part: jose (real clock) decides.
    await expect(uncached.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 's1' });
  });
});
