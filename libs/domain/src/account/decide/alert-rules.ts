import type { AlertAction, DomainEvent } from '@ses/events';
import { notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText, isIntInRange } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { RemoveAlertRule, SetAlertRule } from '../account.commands';
import type { AccountState } from '../account.state';
import { dedupe, isGiven } from './input-rules';

const ACTIONS: readonly AlertAction[] = ['NOTIFY', 'DENY'];

/** A new ruleId creates a rule; an existing one replaces that rule's settings. */
export function decideSetAlertRule(c: SetAlertRule, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageAlertRules');
  const notifyUserIds = c.notifyUserIds ?? [];
  new Validator()
    .check(isBoundedText(c.productId, LIMITS.productId), 'productId', `1..${LIMITS.productId} characters`)
    .check(isIntInRange(c.thresholdSeats, 1, Number.MAX_SAFE_INTEGER), 'thresholdSeats', 'an integer of at least 1')
    .check(!isGiven(c.action) || ACTIONS.includes(c.action), 'action', 'NOTIFY or DENY')
    .check(notifyUserIds.length <= LIMITS.listSize, 'notifyUserIds', `at most ${LIMITS.listSize} entries`)
    .throwIfInvalid();
  requireAccount(state);
  // Needs the directory, so it comes after the account is known to exist.
  new Validator()
    .check(
      notifyUserIds.every((id) => id in state.users),
      'notifyUserIds',
      'every id must be a user of the account',
    )
    .throwIfInvalid();
  return [
    {
      type: 'AlertRuleSet',
      data: {
        accountId: state.accountId,
        ruleId: c.ruleId,
        productId: c.productId,
        thresholdSeats: c.thresholdSeats,
        action: c.action ?? 'NOTIFY',
        notifyUserIds: dedupe(notifyUserIds),
      },
    },
  ];
}

export function decideRemoveAlertRule(c: RemoveAlertRule, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageAlertRules');
  requireAccount(state);
  const rule = state.alertRules[c.ruleId];
  if (!rule) throw notFound('alert rule');
  return [{ type: 'AlertRuleRemoved', data: { accountId: state.accountId, ruleId: rule.ruleId, productId: rule.productId } }];
}
