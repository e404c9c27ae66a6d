import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { loadSigningKey, type SigningKey } from '@ses/auth';
import type { ProjectionTestKit } from '../projections/testing/projection-test-kit';
import { PolicyResolver } from '../seats/policy.resolver';
import { SeatHolders } from '../seats/seat-holders';
import { A1, contextOf, licensingFixture } from './testing/licensing-fixture';

const DAY_MS = 24 * 3600 * 1000;

describe('policy and signing keys', () => {
  let kit: ProjectionTestKit;
  let key: SigningKey;
  let resolver: PolicyResolver;
  beforeAll(async () => {
    kit = await licensingFixture();
    key = loadSigningKey({ dataDir: mkdtempSync(join(tmpdir(), 'policy-key-')) });
    resolver = new PolicyResolver(kit.store, key, new SeatHolders(kit.store));
  });
  afterAll(() => kit.store.close());

  const product = (productId: string, allowed: boolean, denyReason: string | null, termLicenseUsageLikely: boolean) =>
    expect.objectContaining({ productId, allowed, denyReason, termLicenseUsageLikely });

  it("lists every product the account is entitled to now, with this user's verdict; THRESHOLD_REACHED counts seats in use of others", async () => {
    const policy = await resolver.policy(contextOf(kit.store, 'u-ann'));
    expect(policy).toMatchObject({ userId: 'u-ann', accountId: A1, canDownload: true });
    expect(policy.products).toEqual([
      {
        productId: 'p-civil',
        productName: 'P-CIVIL',
        allowed: true,
        denyReason: null,
        offlineDays: 7,
        checkoutAllowed: true,
        maxCheckoutDays: 30,
        termLicenseUsageLikely: true,
      },
      product('p-de', false, 'NOT_ENTITLED', false),
      {
        productId: 'p-road',
        productName: 'P-ROAD',
        allowed: false,
        denyReason: 'THRESHOLD_REACHED',
        offlineDays: 3,
        checkoutAllowed: false,
        maxCheckoutDays: 0,
        termLicenseUsageLikely: true,
      },
    ]);
  });

  it("does not count the user's own seat against a DENY rule, and expires after the smallest offlineDays among allowed products", async () => {
    const policy = await resolver.policy(contextOf(kit.store, 'u-admin'));
    expect(policy.products).toEqual([product('p-civil', true, null, true), product('p-de', false, 'NOT_ENTITLED', false), product('p-road', true, null, true)]);
    expect(policy.canDownload).toBe(false);
    expect(Date.parse(policy.expiresAt) - Date.parse(policy.issuedAt)).toBe(3 * DAY_MS);
  });

  it('reports group restrictions before the DENY rule, and ignores denied products for expiresAt', async () => {
    const policy = await resolver.policy(contextOf(kit.store, 'u-bob'));
    expect(policy.products).toEqual([
      product('p-civil', true, null, true),
      product('p-de', false, 'NOT_ENTITLED', false),
      product('p-road', false, 'GROUP_RESTRICTED', true),
    ]);
    expect(Date.parse(policy.expiresAt) - Date.parse(policy.issuedAt)).toBe(7 * DAY_MS);
  });

  it('lives one day when nothing is allowed', async () => {
    const policy = await resolver.policy(contextOf(kit.store, 'u-carl'));
    expect(policy.products.every((p) => !p.allowed)).toBe(true);
    expect(Date.parse(policy.expiresAt) - Date.parse(policy.issuedAt)).toBe(DAY_MS);
  });

  it('is issued now', async () => {
    const before = Date.now();
    const policy = await resolver.policy(contextOf(kit.store, 'u-ann'));
    expect(Date.parse(policy.issuedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(policy.issuedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('signs the same content (EdDSA, kid in the header) so that it verifies offline with signingKeys', async () => {
    const policy = await resolver.policy(contextOf(kit.store, 'u-ann'));
    const [published] = await resolver.signingKeys(contextOf(kit.store, 'u-bob'));
    expect(published).toEqual({ kid: key.kid, alg: 'EdDSA', publicKeyPem: key.publicKeyPem });
    expect(decodeProtectedHeader(policy.token)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'ses-policy+jwt' });
    const { payload } = await jwtVerify(policy.token, await importSPKI(published.publicKeyPem, 'EdDSA'));
    const { token: _token, ...content } = policy;
    expect(payload).toMatchObject({ ...content, sub: 'u-ann', iss: 'ses' });
    expect(payload.exp).toBe(Math.floor(Date.parse(policy.expiresAt) / 1000));
  });

  it('gives signing keys to any authenticated principal', async () => {
    expect(await resolver.signingKeys(contextOf(kit.store, { operator: true }))).toHaveLength(1);
    expect(await resolver.signingKeys(contextOf(kit.store, { unregistered: true }))).toHaveLength(1);
  });

  it.each([
    ['the operator', { operator: true } as const, 'FORBIDDEN'],
    ['a principal that is not a registered user', { unregistered: true } as const, 'FORBIDDEN'],
    ['a deactivated user', 'u-gone', 'USER_DEACTIVATED'],
  ])('refuses a policy to %s', async (_who, who, code) => {
    await expect(resolver.policy(contextOf(kit.store, who))).rejects.toMatchObject({ code });
  });
});
