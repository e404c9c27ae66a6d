import { isTermLicenseUsage, termLicenseUsageLikely, thresholdReached, usageDenyReason, usageWarnings } from './usage-rules';

const deny = (thresholdSeats: number) => ({ action: 'DENY' as const, thresholdSeats });
const notify = (thresholdSeats: number) => ({ action: 'NOTIFY' as const, thresholdSeats });

describe('the DENY threshold', () => {
  it('is reached when seats in use by others are at or above a DENY rule; NOTIFY rules never deny', () => {
    expect(thresholdReached([deny(2)], 1)).toBe(false);
    expect(thresholdReached([deny(2)], 2)).toBe(true);
    expect(thresholdReached([deny(2)], 3)).toBe(true);
    expect(thresholdReached([notify(1)], 5)).toBe(false);
    expect(thresholdReached([], 5)).toBe(false);
  });

  it("comes after the account's verdict", () => {
    expect(usageDenyReason('GROUP_RESTRICTED', [deny(1)], 5)).toBe('GROUP_RESTRICTED');
    expect(usageDenyReason(null, [deny(1)], 1)).toBe('THRESHOLD_REACHED');
    expect(usageDenyReason(null, [deny(2)], 1)).toBeNull();
  });
});

describe('term license usage', () => {
  it('is seats in use, counting the user, above the seats owned', () => {
    expect(isTermLicenseUsage(3, 3)).toBe(false);
    expect(isTermLicenseUsage(4, 3)).toBe(true);
  });

  it('is likely when one more seat would be above the seats owned', () => {
    expect(termLicenseUsageLikely(2, 3)).toBe(false);
    expect(termLicenseUsageLikely(3, 3)).toBe(true);
    expect(termLicenseUsageLikely(0, 0)).toBe(true);
  });
});

describe('usageWarnings', () => {
  const pool = { productId: 'MSTN', seatsOwned: 1, alertRules: [notify(2), notify(3), deny(1)] };

  it('warns for each NOTIFY threshold the seats in use (with the user) reach, and for term license usage', () => {
    expect(usageWarnings(pool, 2, true)).toEqual([
      'Seats in use of product MSTN (2) reached the alert threshold of 2.',
      'Term license usage: seats in use of product MSTN (2) exceed the 1 seats owned.',
    ]);
  });

  it('is empty below every NOTIFY threshold without term license usage', () => {
    expect(usageWarnings(pool, 1, false)).toEqual([]);
  });
});
