import type { EventOf } from '@ses/events';
import { authorize, authorizeFor } from '../../authorization/authorization';
import { DomainError, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText, isInRange, isIntInRange } from '../../shared/validation';
import { raiseAlerts } from '../alerts';
import type { BulkCheckOut, CheckIn, CheckOut, ExpireCheckouts, PoolFacts, UserFacts } from '../seat-pool.commands';
import type { SeatPoolEvent } from '../seat-pool.events';
import { activeCheckoutCount, activeCheckoutIdOf, checkoutHolder, holdsSeat, isCheckoutActive, seatsInUse, seatsInUseWith } from '../seat-pool.queries';
import type { SeatPoolState } from '../seat-pool.state';
import { addDays, earliest, isBefore, toInstant, toMs } from '../time';

interface CheckoutRequest extends UserFacts {
  checkoutId: string;
  userId: string;
}

/** The machine of a bulk check-out that names none. */
const ANY_MACHINE = 'any';

interface CheckoutTerms {
  now: string;
  machineId: string;
  days: number;
}

/** The pool's product id comes from the client: a bad one is BAD_USER_INPUT before anything else. */
function checkProductId(productId: string): void {
  if (!isBoundedText(productId, LIMITS.productId)) throw new DomainError('BAD_USER_INPUT', 'invalid productId', ['productId']);
}

/** For oneself, or by an administrator (or the operator) for another user of the account. */
export function decideCheckOut(command: CheckOut, state: SeatPoolState): SeatPoolEvent[] {
  const { context, now } = command;
  checkProductId(context.productId);
  authorizeFor(command.actor, command.userId);
  const request = { checkoutId: command.checkoutId, userId: command.userId, eligibility: context.eligibility, entitlement: context.entitlement };
  assertUnusedCheckoutIds(state, [request.checkoutId]);
  const refusal = refuseCheckout(state, request, command, activeCheckoutCount(state, now), context.seatsOwned);
  if (refusal) throw refusal;
  const seats = { before: seatsInUse(state, now), after: seatsInUseWith(state, request.userId, now) };
  return [checkedOut(context, request, command), ...raiseAlerts(state, context, seats, now)];
}

/** By an administrator or the operator. All or nothing: the first refusal fails the whole command, named after its user. */
export function decideBulkCheckOut(command: BulkCheckOut, state: SeatPoolState): SeatPoolEvent[] {
  const { context, now, checkouts } = command;
  const terms = { now, days: command.days, machineId: command.machineId ?? ANY_MACHINE };
  authorize(command.actor, 'manageSeatsOfOthers', 'only administrators check out for other users');
  if (!context.accountExists) throw notFound('account');
  checkProductId(context.productId);
  const userIds = checkouts.map((c) => c.userId);
  new Validator()
    .check(isIntInRange(checkouts.length, 1, LIMITS.listSize), 'userIds', `1..${LIMITS.listSize} users`)
    .check(new Set(userIds).size === userIds.length, 'userIds', 'each user at most once')
    .throwIfInvalid();
  assertUnusedCheckoutIds(
    state,
    checkouts.map((c) => c.checkoutId),
  );

  const events: SeatPoolEvent[] = [];
  const raised = new Set<string>();
  let activeCheckouts = activeCheckoutCount(state, now);
  let seats = seatsInUse(state, now);
  for (const request of checkouts) {
    const refusal = refuseCheckout(state, request, terms, activeCheckouts, context.seatsOwned);
    if (refusal) throw new DomainError(refusal.code, `user ${request.userId}: ${refusal.message}`, refusal.fields);
    events.push(checkedOut(context, request, terms));
    activeCheckouts++;
    const after = seats + (holdsSeat(state, request.userId, now) ? 0 : 1);
    events.push(...raiseAlerts(state, context, { before: seats, after }, now, raised));
    seats = after;
  }
  return events;
}

/** The holder gives the seat back early; administrators and the operator may for anyone. */
export function decideCheckIn(command: CheckIn, state: SeatPoolState): SeatPoolEvent[] {
  const holder = checkoutHolder(state, command.checkoutId, command.recorded);
  authorizeFor(command.actor, holder ?? '');
  if (holder === null) throw notFound(`check-out ${command.checkoutId}`);
  if (!isCheckoutActive(state, command.checkoutId, command.now)) {
    throw new DomainError('CHECKOUT_NOT_ACTIVE', `check-out ${command.checkoutId} is not active`);
  }
  return [
    {
      type: 'LicenseCheckedIn',
      data: { accountId: state.accountId!, checkoutId: command.checkoutId, userId: holder, productId: state.productId!, checkedInAt: command.now },
    },
  ];
}

export function decideExpireCheckouts(command: ExpireCheckouts, state: SeatPoolState): SeatPoolEvent[] {
  const events: SeatPoolEvent[] = [];
  for (const c of state.activeCheckouts.values()) {
    if (isBefore(command.now, c.expiresAt)) continue;
    events.push({
      type: 'CheckoutExpired',
      data: { accountId: state.accountId!, checkoutId: c.checkoutId, userId: c.userId, productId: state.productId!, expiredAt: c.expiresAt },
    });
  }
  return events;
}

/** The rules of one check-out, in the contract's order; null when it may proceed. */
function refuseCheckout(state: SeatPoolState, request: CheckoutRequest, terms: CheckoutTerms, activeCheckouts: number, seatsOwned: number): DomainError | null {
  const { eligibility, entitlement, userId } = request;
  if (!eligibility.allowed) {
    if (eligibility.denyReason === 'NOT_REGISTERED') return notFound(`user ${userId}`);
    if (eligibility.denyReason === 'USER_DEACTIVATED') return new DomainError('USER_DEACTIVATED', `user ${userId} is deactivated`);
    return new DomainError('NOT_ENTITLED', `not entitled to this product (${eligibility.denyReason})`);
  }
  if (!entitlement) return new DomainError('NOT_ENTITLED', "no active entitlement for this product in the user's country");
  if (!entitlement.checkoutAllowed) return new DomainError('CHECKOUT_NOT_ALLOWED', `entitlement ${entitlement.entitlementId} does not allow check-out`);
  const [minDays, maxDays] = LIMITS.checkoutDays;
  const invalid = [
    ...(isInRange(terms.days, LIMITS.checkoutDays) ? [] : [`days: ${minDays}..${maxDays}`]),
    ...(isBoundedText(terms.machineId, LIMITS.machineId) ? [] : [`machineId: 1..${LIMITS.machineId} characters`]),
  ];
  if (invalid.length > 0)
    return new DomainError(
      'BAD_USER_INPUT',
      invalid.join('; '),
      invalid.map((p) => p.split(':')[0]),
    );
  if (terms.days > entitlement.maxCheckoutDays) {
    return new DomainError('CHECKOUT_TOO_LONG', `at most ${entitlement.maxCheckoutDays} days`);
  }
  if (activeCheckoutIdOf(state, userId, terms.now) !== null) {
    return new DomainError('ALREADY_CHECKED_OUT', `user ${userId} already holds an active check-out of this product`);
  }
  if (activeCheckouts + 1 > seatsOwned) {
    return new DomainError('NO_SEATS_AVAILABLE', `all ${seatsOwned} seats owned are checked out`);
  }
  return null;
}

function checkedOut(pool: PoolFacts, request: CheckoutRequest, terms: CheckoutTerms): EventOf<'LicenseCheckedOut'> {
  // refuseCheckout guarantees the entitlement; the check-out never outlives it.
  const expiresAt = earliest(addDays(terms.now, terms.days), toInstant(toMs(request.entitlement!.endsAt)));
  return {
    type: 'LicenseCheckedOut',
    data: {
      accountId: pool.accountId,
      checkoutId: request.checkoutId,
      userId: request.userId,
      productId: pool.productId,
      machineId: terms.machineId,
      checkedOutAt: terms.now,
      expiresAt,
    },
  };
}

/**
 * Check-out ids come from the shell (UUIDs derived from the command's seed, and a repeated
 * commandId answers its recorded result before deciding); a reuse is a programming error,
 * not a user's. The state knows active check-outs only, which is where a reuse would harm.
 */
function assertUnusedCheckoutIds(state: SeatPoolState, checkoutIds: string[]): void {
  const seen = new Set<string>();
  for (const id of checkoutIds) {
    if (state.activeCheckouts.has(id) || seen.has(id)) throw new Error(`checkoutId ${id} is already used`);
    seen.add(id);
  }
}
