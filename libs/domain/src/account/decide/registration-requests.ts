import type { DomainEvent } from '@ses/events';
import type { Acting } from '../../authorization/authorization';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, emailDomain, isBoundedText, isCountryCode, normalizeEmail } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { ApproveRegistration, RejectRegistration, RequestRegistration } from '../account.commands';
import type { AccountState, RegistrationRequestState } from '../account.state';
import { assertNewId, isGiven } from './input-rules';

/** NOT_FOUND for a person whose email's domain no account claims: they are told whom to ask. */
export const noAccountForDomain = (domain: string): DomainError =>
  new DomainError('NOT_FOUND', `no account has claimed the email domain ${domain}: ask your administrator to register you or to add the domain`);

export const isRegisteredEmail = (state: AccountState, email: string): boolean => {
  const normalized = normalizeEmail(email);
  return Object.values(state.users).some((u) => u.emailNormalized === normalized);
};

export const pendingRequestFor = (state: AccountState, email: string): RegistrationRequestState | undefined => {
  const normalized = normalizeEmail(email);
  return Object.values(state.registrationRequests).find((r) => r.status === 'PENDING' && r.email === normalized);
};

/**
 * A person asks to join the account that claims their email's domain (the shell found it
 * through the domain's claim; this decides on that account). Order: who asks (a
 * registered user: EMAIL_ALREADY_REGISTERED; the operator, or a token without email:
 * FORBIDDEN), validation, the account claims the domain (NOT_FOUND), then the rules.
 * With autoApprove the person is registered at once, with no roles.
 */
export function decideRequestRegistration(c: RequestRegistration, state: AccountState): DomainEvent[] {
  const { actor } = c;
  if (actor.kind === 'user') throw new DomainError('EMAIL_ALREADY_REGISTERED', 'you are already a registered user');
  if (actor.kind === 'operator' || !actor.email) throw forbidden('only a person signed in with an email may ask to join an account');
  new Validator()
    .check(isBoundedText(c.displayName, LIMITS.displayName), 'displayName', `1..${LIMITS.displayName} characters`)
    .check(!isGiven(c.country) || isCountryCode(c.country), 'country', 'ISO 3166-1 alpha-2, upper case')
    .throwIfInvalid();
  const email = normalizeEmail(actor.email);
  const domain = emailDomain(email);
  if (!state.exists || !state.domains.includes(domain)) throw noAccountForDomain(domain);
  if (isRegisteredEmail(state, email)) throw new DomainError('EMAIL_ALREADY_REGISTERED', 'this email is already registered');
  if (pendingRequestFor(state, email)) throw new DomainError('REGISTRATION_PENDING', 'you have already asked to join: an administrator will decide');
  assertNewId(c.requestId in state.registrationRequests, 'registration request', c.requestId);
  const { accountId } = state;
  const country = c.country ?? state.entitlementCountry;
  const requested: DomainEvent = {
    type: 'RegistrationRequested',
    data: { accountId, requestId: c.requestId, email, displayName: c.displayName, country, requestedAt: c.now },
  };
  if (!state.autoApprove) return [requested];
  assertNewId(c.userId in state.users, 'user', c.userId);
  return [
    requested,
    {
      type: 'RegistrationApproved',
      data: { accountId, requestId: c.requestId, userId: c.userId, decidedBy: null, decidedByName: null, decidedAt: c.now },
    },
    registered(state, c.requestId, c.userId, { email, displayName: c.displayName, country }, c.now),
  ];
}

export function decideApproveRegistration(c: ApproveRegistration, state: AccountState): DomainEvent[] {
  const { who, request } = pendingRequest(c, state);
  if (isRegisteredEmail(state, request.email)) throw new DomainError('EMAIL_ALREADY_REGISTERED', 'this email is already registered');
  assertNewId(c.userId in state.users, 'user', c.userId);
  return [
    {
      type: 'RegistrationApproved',
      data: { accountId: state.accountId, requestId: request.requestId, userId: c.userId, ...decider(who, state), decidedAt: c.now },
    },
    registered(state, request.requestId, c.userId, request, c.now),
  ];
}

/** The shell releases the request's email reservation once this is appended: the person may ask again. */
export function decideRejectRegistration(c: RejectRegistration, state: AccountState): DomainEvent[] {
  const who = authorizeOnAccount(state, c.actor, 'decideRegistrations');
  new Validator().check(!isGiven(c.reason) || isBoundedText(c.reason, LIMITS.reason), 'reason', `1..${LIMITS.reason} characters`).throwIfInvalid();
  const { request } = pendingRequest(c, state, who);
  return [
    {
      type: 'RegistrationRejected',
      data: { accountId: state.accountId, requestId: request.requestId, reason: c.reason ?? null, ...decider(who, state), decidedAt: c.now },
    },
  ];
}

/** Authorization (administrators and co-administrators of the account), existence, then the request must still be pending. */
function pendingRequest(
  c: ApproveRegistration | RejectRegistration,
  state: AccountState,
  authorized?: Acting,
): { who: Acting; request: RegistrationRequestState } {
  const who = authorized ?? authorizeOnAccount(state, c.actor, 'decideRegistrations');
  requireAccount(state);
  const request = state.registrationRequests[c.requestId];
  if (!request) throw notFound('registration request');
  if (request.status !== 'PENDING') throw new DomainError('REGISTRATION_NOT_PENDING', `this request is ${request.status.toLowerCase()} already`);
  return { who, request };
}

/** Who decided, as the events record it: the user's id and display name, or the operator. */
function decider(who: Acting, state: AccountState): { decidedBy: string; decidedByName: string } {
  if (who.kind !== 'member') return { decidedBy: 'operator', decidedByName: 'operator' };
  return { decidedBy: who.userId, decidedByName: state.users[who.userId]?.displayName ?? who.userId };
}

function registered(
  state: AccountState,
  requestId: string,
  userId: string,
  person: { email: string; displayName: string; country: string },
  now: string,
): DomainEvent {
  return {
    type: 'UserRegistered',
    data: {
      accountId: state.accountId,
      userId,
      email: person.email,
      displayName: person.displayName,
      country: person.country,
      registeredAt: now,
      requestId,
    },
  };
}
