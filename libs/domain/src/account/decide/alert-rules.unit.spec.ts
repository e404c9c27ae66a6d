import type { RemoveAlertRule, SetAlertRule } from '../account.commands';
import { ACCOUNT, CO_ADMIN, NOW, PLAIN, admin, coAdmin, deactivated, given, operator, plain, standardAccount } from '../testing/fixtures';

const setRule = (over: Partial<SetAlertRule> = {}): SetAlertRule => ({
  type: 'SetAlertRule',
  actor: admin,
  now: NOW,
  ruleId: 'r-1',
  productId: 'MSTN',
  thresholdSeats: 4,
  ...over,
});
const removeRule = (over: Partial<RemoveAlertRule> = {}): RemoveAlertRule => ({
  type: 'RemoveAlertRule',
  actor: admin,
  now: NOW,
  ruleId: 'r-1',
  ...over,
});
const ruleSet = (over: Record<string, unknown> = {}) => ({
  type: 'AlertRuleSet' as const,
  data: { accountId: ACCOUNT, ruleId: 'r-1', productId: 'MSTN', thresholdSeats: 4, action: 'NOTIFY' as const, notifyUserIds: [] as string[], ...over },
});

describe('SetAlertRule', () => {
  it('creates a NOTIFY rule by default', () => {
    given(standardAccount()).when(setRule()).then([ruleSet()]);
  });

  it('takes a DENY action and deduplicated users to notify', () => {
    given(standardAccount())
      .when(setRule({ action: 'DENY', notifyUserIds: [PLAIN, CO_ADMIN, PLAIN] }))
      .then([ruleSet({ action: 'DENY', notifyUserIds: [PLAIN, CO_ADMIN] })]);
  });

  it('accepts deactivated users to notify (they are users of the account)', () => {
    given([...standardAccount(), deactivated(PLAIN)])
      .when(setRule({ notifyUserIds: [PLAIN] }))
      .then([ruleSet({ notifyUserIds: [PLAIN] })]);
  });

  it('updates an existing rule under the same ruleId', () => {
    given([...standardAccount(), ruleSet()])
      .when(setRule({ thresholdSeats: 9, action: 'DENY' }))
      .then([ruleSet({ thresholdSeats: 9, action: 'DENY' })]);
  });

  it.each([[0], [-1], [1.5]])('rejects thresholdSeats %p', (thresholdSeats) => {
    given(standardAccount()).when(setRule({ thresholdSeats })).thenThrows('BAD_USER_INPUT', ['thresholdSeats']);
  });

  it('rejects a bad productId and action', () => {
    given(standardAccount())
      .when(setRule({ productId: '', action: 'BLOCK' as never }))
      .thenThrows('BAD_USER_INPUT', ['productId', 'action']);
  });

  it('rejects users to notify who are not users of the account', () => {
    given(standardAccount())
      .when(setRule({ notifyUserIds: [PLAIN, 'u-elsewhere'] }))
      .thenThrows('BAD_USER_INPUT', ['notifyUserIds']);
  });

  it('reports a missing account as NOT_FOUND rather than unknown users to notify', () => {
    given([])
      .when(setRule({ actor: operator, notifyUserIds: ['u-1'] }))
      .thenThrows('NOT_FOUND');
  });

  it.each([
    ['operator', operator],
    ['CO_ADMINISTRATOR', coAdmin],
  ])('may be done by %s', (_, actor) => {
    given(standardAccount()).when(setRule({ actor })).then([ruleSet()]);
  });

  it('is refused to a user without an administrator role', () => {
    given(standardAccount())
      .when(setRule({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});

describe('RemoveAlertRule', () => {
  it('removes a rule, carrying its productId', () => {
    given([...standardAccount(), ruleSet()])
      .when(removeRule())
      .then([{ type: 'AlertRuleRemoved', data: { accountId: ACCOUNT, ruleId: 'r-1', productId: 'MSTN' } }]);
  });

  it('rejects an unknown rule', () => {
    given(standardAccount()).when(removeRule()).thenThrows('NOT_FOUND');
  });

  it('rejects a removed rule', () => {
    given([...standardAccount(), ruleSet(), { type: 'AlertRuleRemoved', data: { accountId: ACCOUNT, ruleId: 'r-1', productId: 'MSTN' } }])
      .when(removeRule())
      .thenThrows('NOT_FOUND');
  });

  it('is refused to a user without an administrator role', () => {
    given([...standardAccount(), ruleSet()])
      .when(removeRule({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});
