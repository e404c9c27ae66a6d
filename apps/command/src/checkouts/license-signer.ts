import { Inject, Injectable } from '@nestjs/common';
import { signDocument, type SigningKey } from '@ses/auth';
import type { SeatPoolEvent } from '@ses/domain';
import type { EventDataByType } from '@ses/events';

export const SIGNING_KEY = Symbol('SIGNING_KEY');

type CheckedOut = EventDataByType['LicenseCheckedOut'];

/** The fields of a check-out a mutation answers (and records for an idempotent repeat), with its account. */
export type CheckoutRecord = Pick<CheckedOut, 'accountId' | 'checkoutId' | 'userId' | 'productId' | 'machineId' | 'checkedOutAt' | 'expiresAt'>;

/** A check-out as answered: its fields and the license file. */
export type LicensedCheckout = Omit<CheckoutRecord, 'accountId'> & { license: string };

/** Results recorded before licenses were signed after the append carry the license instead of the account. */
export type RecordedCheckout = CheckoutRecord | LicensedCheckout;

/** The check-outs a decision made, in order. */
export function checkoutsOf(events: readonly SeatPoolEvent[]): CheckoutRecord[] {
  return events.flatMap((event) => {
    if (event.type !== 'LicenseCheckedOut') return [];
    const { accountId, checkoutId, userId, productId, machineId, checkedOutAt, expiresAt } = event.data;
    return [{ accountId, checkoutId, userId, productId, machineId, checkedOutAt, expiresAt }];
  });
}

/** Turns a check-out into the license file a desktop client verifies offline (compact JWS, EdDSA). */
@Injectable()
export class LicenseSigner {
  constructor(@Inject(SIGNING_KEY) private readonly key: SigningKey) {}

  sign(checkout: CheckoutRecord): Promise<string> {
    const { checkoutId, userId, accountId, productId, machineId, checkedOutAt, expiresAt } = checkout;
    return signDocument(
      this.key,
      'ses-license+jwt',
      { sub: userId, checkoutId, userId, accountId, productId, machineId, checkedOutAt, expiresAt },
      new Date(checkedOutAt),
      new Date(expiresAt),
    );
  }

  /**
   * The check-out with its license, signed after the append. Ed25519 signatures are
   * deterministic and the claims come from the check-out alone, so an idempotent repeat
   * of the command signs the very same license again.
   */
  async licensed(checkout: RecordedCheckout): Promise<LicensedCheckout> {
    if ('license' in checkout) return checkout;
    const { accountId: _account, ...fields } = checkout;
    return { ...fields, license: await this.sign(checkout) };
  }
}
