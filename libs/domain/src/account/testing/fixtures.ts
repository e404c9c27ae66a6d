import type { DomainEvent, EventOf, Role } from '@ses/events';
import type { Actor } from '../../shared/actor';
import { accountDecider } from '../account.decider';
import { givenFor } from '../../shared/testing/given-when-then';

export const given = givenFor(accountDecider);

export const ACCOUNT = 'acc-1';
export const NOW = '2026-03-01T10:00:00Z';

export const operator: Actor = { kind: 'operator', sub: 'back-office' };
export const userActor = (userId: string, accountId = ACCOUNT): Actor => ({ kind: 'user', sub: `sub-${userId}`, userId, accountId });
export const unregistered: Actor = { kind: 'unregistered', sub: 'stranger', email: 'x@example.com' };

// Users of the standard fixture account.
export const ADMIN = 'u-admin';
export const CO_ADMIN = 'u-co';
export const PLAIN = 'u-plain';
export const admin = userActor(ADMIN);
export const coAdmin = userActor(CO_ADMIN);
export const plain = userActor(PLAIN);

export const opened = (accountId = ACCOUNT, entitlementCountry = 'DE'): EventOf<'AccountOpened'> => ({
  type: 'AccountOpened',
  data: { accountId, name: 'Acme', entitlementCountry, openedAt: NOW },
});

export const registered = (userId: string, email = `${userId}@acme.test`, country = 'DE'): EventOf<'UserRegistered'> => ({
  type: 'UserRegistered',
  data: { accountId: ACCOUNT, userId, email, displayName: userId, country, registeredAt: NOW },
});

export const roleGranted = (userId: string, role: Role): EventOf<'RoleGranted'> => ({
  type: 'RoleGranted',
  data: { accountId: ACCOUNT, userId, role },
});

export const deactivated = (userId: string): EventOf<'UserDeactivated'> => ({
  type: 'UserDeactivated',
  data: { accountId: ACCOUNT, userId },
});

export const entitlementGranted = (over: Partial<EventOf<'EntitlementGranted'>['data']> = {}): EventOf<'EntitlementGranted'> => ({
  type: 'EntitlementGranted',
  data: {
    accountId: ACCOUNT,
    entitlementId: 'ent-1',
    productId: 'MSTN',
    productName: 'MicroStation',
    seats: 5,
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2027-01-01T00:00:00Z',
    country: 'DE',
    offlineDays: 7,
    checkoutAllowed: true,
    maxCheckoutDays: 30,
    ...over,
  },
});

export const groupCreated = (groupId: string, productIds: string[]): EventOf<'GroupCreated'> => ({
  type: 'GroupCreated',
  data: { accountId: ACCOUNT, groupId, name: groupId, productIds },
});

export const memberAdded = (groupId: string, userId: string): EventOf<'GroupMemberAdded'> => ({
  type: 'GroupMemberAdded',
  data: { accountId: ACCOUNT, groupId, userId },
});

/** An account with an ACCOUNT_ADMINISTRATOR, a CO_ADMINISTRATOR and a user with no admin role. */
export const standardAccount = (): DomainEvent[] => [
  opened(),
  registered(ADMIN),
  roleGranted(ADMIN, 'ACCOUNT_ADMINISTRATOR'),
  roleGranted(ADMIN, 'SOFTWARE_DOWNLOAD'),
  registered(CO_ADMIN),
  roleGranted(CO_ADMIN, 'CO_ADMINISTRATOR'),
  registered(PLAIN),
  roleGranted(PLAIN, 'SOFTWARE_DOWNLOAD'),
];

export const roleRevoked = (userId: string, role: Role): EventOf<'RoleRevoked'> => ({
  type: 'RoleRevoked',
  data: { accountId: ACCOUNT, userId, role },
});

// onboarding

export const domainsSet = (domains: string[], autoApprove = false): EventOf<'AccountDomainsSet'> => ({
  type: 'AccountDomainsSet',
  data: { accountId: ACCOUNT, domains, autoApprove },
});

/** A person signed in with `email` who is not registered. */
export const person = (email = 'pat@acme.test'): Actor => ({ kind: 'unregistered', sub: `sub-${email}`, email });

export const requested = (requestId = 'r-1', email = 'pat@acme.test', country = 'DE'): EventOf<'RegistrationRequested'> => ({
  type: 'RegistrationRequested',
  data: { accountId: ACCOUNT, requestId, email, displayName: 'Pat', country, requestedAt: NOW },
});

export const approved = (requestId = 'r-1', userId = 'u-pat', decidedBy: string | null = ADMIN): EventOf<'RegistrationApproved'> => ({
  type: 'RegistrationApproved',
  data: { accountId: ACCOUNT, requestId, userId, decidedBy, decidedByName: decidedBy, decidedAt: NOW },
});

export const rejected = (requestId = 'r-1', reason: string | null = null, decidedBy = ADMIN): EventOf<'RegistrationRejected'> => ({
  type: 'RegistrationRejected',
  data: { accountId: ACCOUNT, requestId, reason, decidedBy, decidedByName: decidedBy, decidedAt: NOW },
});
