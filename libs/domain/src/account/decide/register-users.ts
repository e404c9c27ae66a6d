import type { DomainEvent } from '@ses/events';
import { isRole, permits, ROLE_PERMISSIONS, type Acting } from '../../authorization/authorization';
import type { ErrorCode } from '../../shared/domain-error';
import { LIMITS, Validator, describeRange, isBoundedText, isCountryCode, isEmail, isInRange, normalizeEmail } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { RegisterUsers, UserRow } from '../account.commands';
import type { AccountState } from '../account.state';
import { assertNewId, dedupe, isGiven } from './input-rules';

/** What one row of a registerUsers file comes to: its events, or the contract error that refuses it (and nothing else). */
export type RowOutcome = { row: number; ok: true; events: DomainEvent[] } | { row: number; ok: false; errorCode: ErrorCode; errorMessage: string };

type Refusal = { errorCode: ErrorCode; errorMessage: string };

/**
 * Plans a registerUsers file on the account: the command as a whole needs an administrator
 * or co-administrator (FORBIDDEN / USER_DEACTIVATED) and 1..10,000 rows (BAD_USER_INPUT on
 * `users`); then each row is decided alone, in the contract's order: a role the caller
 * may not grant (FORBIDDEN, the rules of grantRole), bad fields (BAD_USER_INPUT), an email
 * that an earlier row of the file already has (BAD_USER_INPUT), a group that is not the
 * account's (NOT_FOUND), an email registered in the account (EMAIL_ALREADY_REGISTERED) or
 * with a pending request (REGISTRATION_PENDING). Emails of other accounts are the shell's
 * to find (the email-reservation streams). Linear in rows and users.
 */
export function planRegisterUsers(c: RegisterUsers, state: AccountState): RowOutcome[] {
  const who = authorizeOnAccount(state, c.actor, 'manageUsers');
  new Validator().check(isInRange(c.rows.length, LIMITS.bulkRows), 'users', `${describeRange(LIMITS.bulkRows)} rows`).throwIfInvalid();
  requireAccount(state);
  const registered = new Set(Object.values(state.users).map((u) => u.emailNormalized));
  const pending = new Set(
    Object.values(state.registrationRequests)
      .filter((r) => r.status === 'PENDING')
      .map((r) => r.email),
  );
  const firstRowOf = new Map<string, number>();
  return c.rows.map((row): RowOutcome => {
    const refusal = refusalOf(row, who, state, firstRowOf) ?? conflictOf(normalizeEmail(row.email), registered, pending);
    if (refusal) return { row: row.row, ok: false, ...refusal };
    assertNewId(row.userId in state.users, 'user', row.userId);
    return { row: row.row, ok: true, events: eventsOf(row, state, c.now) };
  });
}

/** The events of the rows that pass: one append for the whole file. Rows that fail are left out (they are independent). */
export function decideRegisterUsers(c: RegisterUsers, state: AccountState): DomainEvent[] {
  return planRegisterUsers(c, state).flatMap((outcome) => (outcome.ok ? outcome.events : []));
}

function refusalOf(row: UserRow, who: Acting, state: AccountState, firstRowOf: Map<string, number>): Refusal | null {
  const roles = row.roles ?? [];
  const groupIds = row.groupIds ?? [];
  // Every row with an email claims it first, whatever else is wrong with it: each email is in a file once.
  const email = normalizeEmail(row.email);
  const first = isEmail(row.email) ? firstRowOf.get(email) : undefined;
  if (isEmail(row.email) && first === undefined) firstRowOf.set(email, row.row);

  const denied = roles.find((role) => isRole(role) && !permits(who, ROLE_PERMISSIONS[role]));
  if (denied) return { errorCode: 'FORBIDDEN', errorMessage: `you may not grant ${denied}` };
  const problems = [
    !isEmail(row.email) && 'email: not an email address',
    !isBoundedText(row.displayName, LIMITS.displayName) && `displayName: 1..${LIMITS.displayName} characters`,
    isGiven(row.country) && !isCountryCode(row.country) && 'country: ISO 3166-1 alpha-2, upper case',
    !roles.every(isRole) && 'roles: unknown role',
    groupIds.length > LIMITS.listSize && `groupIds: at most ${LIMITS.listSize} entries`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) return { errorCode: 'BAD_USER_INPUT', errorMessage: problems.join('; ') };
  if (first !== undefined) return { errorCode: 'BAD_USER_INPUT', errorMessage: `email: the same email as row ${first} of this file` };
  const unknownGroup = groupIds.find((id) => !(id in state.groups));
  if (unknownGroup !== undefined) return { errorCode: 'NOT_FOUND', errorMessage: `group ${unknownGroup} not found` };
  return null;
}

function conflictOf(email: string, registered: ReadonlySet<string>, pending: ReadonlySet<string>): Refusal | null {
  if (registered.has(email)) return { errorCode: 'EMAIL_ALREADY_REGISTERED', errorMessage: 'this email is already registered' };
  if (pending.has(email)) return { errorCode: 'REGISTRATION_PENDING', errorMessage: 'this person has asked to join: approve or reject their request' };
  return null;
}

function eventsOf(row: UserRow, state: AccountState, now: string): DomainEvent[] {
  const { accountId } = state;
  const { userId } = row;
  return [
    {
      type: 'UserRegistered',
      data: { accountId, userId, email: row.email, displayName: row.displayName, country: row.country ?? state.entitlementCountry, registeredAt: now },
    },
    ...[...new Set(row.roles ?? [])].map((role): DomainEvent => ({ type: 'RoleGranted', data: { accountId, userId, role } })),
    ...dedupe(row.groupIds ?? []).map((groupId): DomainEvent => ({ type: 'GroupMemberAdded', data: { accountId, userId, groupId } })),
  ];
}
