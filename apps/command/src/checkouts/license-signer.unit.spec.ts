import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSPKI, jwtVerify } from 'jose';
import { loadSigningKey } from '@ses/auth';
import type { SeatPoolEvent } from '@ses/domain';
import { checkoutsOf, LicenseSigner, type CheckoutRecord } from './license-signer';

const key = loadSigningKey({ dataDir: mkdtempSync(join(tmpdir(), 'license-key-')) });
const signer = new LicenseSigner(key);
const checkout: CheckoutRecord = {
  accountId: 'a1',
  checkoutId: 'c1',
  userId: 'u1',
  productId: 'MSTN',
  machineId: 'm1',
  checkedOutAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-08T10:00:00.000Z',
};

describe('licenses, signed after the append', () => {
  it('answers the check-out with a license that verifies offline, without the account id', async () => {
    const licensed = await signer.licensed(checkout);
    const { accountId: _account, ...fields } = checkout;
    expect(licensed).toEqual({ ...fields, license: expect.any(String) });
    const { payload } = await jwtVerify(licensed.license, await importSPKI(key.publicKeyPem, 'EdDSA'), { currentDate: new Date('2026-03-02T00:00:00Z') });
    expect(payload).toMatchObject({ sub: 'u1', checkoutId: 'c1', accountId: 'a1', productId: 'MSTN', machineId: 'm1' });
  });

  it('signs the same license again for the same check-out (an idempotent repeat re-derives it)', async () => {
    expect((await signer.licensed(checkout)).license).toBe((await signer.licensed({ ...checkout })).license);
  });

  it('keeps the license of a result recorded before licenses were signed after the append', async () => {
    const { accountId: _account, ...fields } = checkout;
    expect(await signer.licensed({ ...fields, license: 'recorded' })).toEqual({ ...fields, license: 'recorded' });
  });

  it('takes the check-outs of a decision in order, with the fields a payload needs', () => {
    const events: SeatPoolEvent[] = [
      { type: 'LicenseCheckedOut', data: { ...checkout, seatsInUse: 1 } },
      {
        type: 'AlertRaised',
        data: { accountId: 'a1', alertId: 'r:1', ruleId: 'r', productId: 'MSTN', seatsInUse: 1, thresholdSeats: 1, seats: 5, raisedAt: checkout.checkedOutAt },
      },
      { type: 'LicenseCheckedOut', data: { ...checkout, checkoutId: 'c2', userId: 'u2', seatsInUse: 2 } },
    ];
    expect(checkoutsOf(events)).toEqual([checkout, { ...checkout, checkoutId: 'c2', userId: 'u2' }]);
  });
});
