import { Inject, Injectable } from '@nestjs/common';
import { signDocument, type SigningKey } from '@ses/auth';
import type { EventDataByType } from '@ses/events';

export const SIGNING_KEY = Symbol('SIGNING_KEY');

/** Turns a check-out into the license file a desktop client verifies offline (compact JWS, EdDSA). */
@Injectable()
export class LicenseSigner {
  constructor(@Inject(SIGNING_KEY) private readonly key: SigningKey) {}

  sign(checkout: EventDataByType['LicenseCheckedOut']): Promise<string> {
    const { checkoutId, userId, accountId, productId, machineId, checkedOutAt, expiresAt } = checkout;
    return signDocument(
      this.key,
      'ses-license+jwt',
      { sub: userId, checkoutId, userId, accountId, productId, machineId, checkedOutAt, expiresAt },
      new Date(checkedOutAt),
      new Date(expiresAt),
    );
  }
}
