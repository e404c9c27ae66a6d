import type { DenyReason } from '@ses/events';
import { seatsOwned, type PolicyProduct, type UsageFacts } from '../account/account.queries';
import type { AlertRuleState } from '../account/account.state';
import { termLicenseUsageLikely, usageDenyReason } from './usage-rules';

/** What the policy reads of an account: usage facts and the alert rules. */
export interface PolicyFacts extends UsageFacts {
  alertRules: Readonly<Record<string, Pick<AlertRuleState, 'productId' | 'action' | 'thresholdSeats'>>>;
}

export interface PolicyVerdict extends Omit<PolicyProduct, 'denyReason'> {
  denyReason: DenyReason | null;
  termLicenseUsageLikely: boolean;
}

/**
 * A policy row (policyProducts) with the rules that need seats in use, the same ones a
 * start is decided by: a DENY threshold counted on the seats others hold (the user's
 * own seat never counts against them), and term license usage likely when one more
 * seat would exceed the seats owned. `seatHolderIds`: the users holding a seat now.
 */
export function policyVerdict(facts: PolicyFacts, row: PolicyProduct, userId: string, seatHolderIds: readonly string[], now: string): PolicyVerdict {
  const rules = Object.values(facts.alertRules).filter((rule) => rule.productId === row.productId);
  const byOthers = seatHolderIds.filter((holder) => holder !== userId).length;
  const denyReason = usageDenyReason(row.allowed ? null : row.denyReason, rules, byOthers);
  return {
    ...row,
    allowed: row.allowed && denyReason === null,
    denyReason,
    termLicenseUsageLikely: termLicenseUsageLikely(seatHolderIds.length, seatsOwned(facts, row.productId, now)),
  };
}
