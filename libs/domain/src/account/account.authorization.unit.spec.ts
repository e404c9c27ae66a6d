import type { DomainEvent } from '@ses/events';
import type { Actor } from '../shared/actor';
import type { AccountCommand } from './account.commands';
import { decideAccount, evolveAccount, initialAccountState } from './account.decider';
import {
  ACCOUNT,
  CO_ADMIN,
  NOW,
  PLAIN,
  coAdmin,
  deactivated,
  entitlementGranted,
  given,
  groupCreated,
  memberAdded,
  operator,
  standardAccount,
  unregistered,
  userActor,
} from './testing/fixtures';

type WithoutActor<C> = C extends AccountCommand ? Omit<C, 'actor' | 'now'> : never;

// One valid command of each type (OpenAccount has its own rules).
const samples: WithoutActor<AccountCommand>[] = [
  {
    type: 'GrantEntitlement',
    entitlementId: 'ent-2',
    productId: 'MSTN',
    productName: 'MicroStation',
    seats: 1,
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2027-01-01T00:00:00Z',
  },
  { type: 'RevokeEntitlement', entitlementId: 'ent-1' },
  { type: 'RegisterUser', userId: 'u-new', email: 'new@acme.test', displayName: 'New' },
  { type: 'DeactivateUser', userId: PLAIN },
  { type: 'GrantRole', userId: PLAIN, role: 'AUDITOR' },
  { type: 'RevokeRole', userId: PLAIN, role: 'SOFTWARE_DOWNLOAD' },
  { type: 'CreateGroup', groupId: 'g-2', name: 'Civil', productIds: [] },
  { type: 'SetGroupProducts', groupId: 'g-1', productIds: ['X'] },
  { type: 'AddGroupMember', groupId: 'g-1', userId: PLAIN },
  { type: 'RemoveGroupMember', groupId: 'g-1', userId: CO_ADMIN },
  { type: 'SetAlertRule', ruleId: 'r-1', productId: 'MSTN', thresholdSeats: 1 },
  { type: 'RemoveAlertRule', ruleId: 'r-1' },
];
const as = (actor: Actor, sample: WithoutActor<AccountCommand>) => ({ ...sample, actor, now: NOW }) as AccountCommand;
const account = (): DomainEvent[] => [
  ...standardAccount(),
  entitlementGranted(),
  groupCreated('g-1', ['MSTN']),
  memberAdded('g-1', CO_ADMIN),
  { type: 'AlertRuleSet', data: { accountId: ACCOUNT, ruleId: 'r-1', productId: 'MSTN', thresholdSeats: 9, action: 'NOTIFY', notifyUserIds: [] } },
];
const cases = samples.map((s) => [s.type, s] as const);

describe('authorization of every account command', () => {
  it.each(cases)('%s: a user of another account is FORBIDDEN', (_, sample) => {
    given(account())
      .when(as(userActor(CO_ADMIN, 'acc-other'), sample))
      .thenThrows('FORBIDDEN');
  });

  it.each(cases)('%s: an unregistered principal is FORBIDDEN', (_, sample) => {
    given(account()).when(as(unregistered, sample)).thenThrows('FORBIDDEN');
  });

  it.each(cases)('%s: a deactivated user of the account gets USER_DEACTIVATED', (_, sample) => {
    given([...account(), deactivated(CO_ADMIN)])
      .when(as(coAdmin, sample))
      .thenThrows('USER_DEACTIVATED');
  });

  it.each(cases)('%s: a user not in the account state is FORBIDDEN', (_, sample) => {
    given(account())
      .when(as(userActor('u-unknown'), sample))
      .thenThrows('FORBIDDEN');
  });

  it.each(cases)('%s: a missing account is NOT_FOUND for the operator', (_, sample) => {
    given([]).when(as(operator, sample)).thenThrows('NOT_FOUND');
  });

  it.each(cases)('%s: a missing account is FORBIDDEN for a user', (_, sample) => {
    given([]).when(as(coAdmin, sample)).thenThrows('FORBIDDEN');
  });

  it.each(cases)('%s: the operator may (and the sample is one that changes something)', (_, sample) => {
    const state = account().reduce(evolveAccount, initialAccountState());
    expect(decideAccount(as(operator, sample), state).length).toBeGreaterThan(0);
  });
});
